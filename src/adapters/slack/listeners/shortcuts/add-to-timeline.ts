/** The "Add to incident timeline" message shortcut. */
import type { MessageShortcut, Middleware, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { ThreadCapture } from '../../../../ports/thread-capture.js';
import { shortcutUsedOf } from '../../inbound/thread-events.js';
import { shortcutAnswer } from '../../views/thread-notes.js';

/** Acks, hands the message to the capture, and answers only the person who used the shortcut. */
export function addToTimeline(capture: ThreadCapture): Middleware<SlackShortcutMiddlewareArgs<MessageShortcut>> {
  return async ({ ack, shortcut, respond }) => {
    await ack();
    const outcome = await capture.shortcut(shortcutUsedOf(shortcut));
    await respond({ response_type: 'ephemeral', text: shortcutAnswer(outcome) });
  };
}
