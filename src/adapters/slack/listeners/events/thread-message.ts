/** `message` events: people's replies in threads, edited and deleted too, into thread capture. */
import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ThreadCapture } from '../../../../ports/thread-capture.js';
import { deliveryOf, type MessageShape, threadEventOf } from '../../inbound/thread-events.js';

/** Hands a thread reply, edit or deletion to the capture; ignores every other message. */
export function threadMessage(capture: ThreadCapture): Middleware<SlackEventMiddlewareArgs<'message'>> {
  return async ({ event, body, context }) => {
    const found = threadEventOf(event as unknown as MessageShape, deliveryOf(body, context), context.botUserId);
    if (found?.kind === 'posted') await capture.replyPosted(found.event);
    if (found?.kind === 'edited') await capture.replyEdited(found.event);
    if (found?.kind === 'deleted') await capture.replyDeleted(found.event);
  };
}
