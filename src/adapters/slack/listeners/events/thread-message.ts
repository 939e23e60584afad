/** `message` events: people's replies in threads, edited and deleted too, into thread capture. */
import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ThreadCapture } from '../../../../ports/thread-capture.js';
import { deliveryOf, type MessageShape, threadEventOf } from '../../inbound/thread-events.js';
import { markUnrecorded } from './ack-after-record.js';

/**
 * Hands a thread reply, edit or deletion to the capture; ignores every other message. A record
 * that fails leaves the delivery unacknowledged, for Slack to deliver again.
 */
export function threadMessage(capture: ThreadCapture): Middleware<SlackEventMiddlewareArgs<'message'>> {
  return async ({ event, body, context }) => {
    const found = threadEventOf(event as unknown as MessageShape, deliveryOf(body, context), context.botUserId);
    try {
      if (found?.kind === 'posted') await capture.replyPosted(found.event);
      if (found?.kind === 'edited') await capture.replyEdited(found.event);
      if (found?.kind === 'deleted') await capture.replyDeleted(found.event);
    } catch (err) {
      markUnrecorded(body);
      throw err;
    }
  };
}
