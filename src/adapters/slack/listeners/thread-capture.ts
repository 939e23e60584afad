/**
 * Thread capture: people's replies in threads (posted, edited, deleted) and the
 * "Add to incident timeline" message shortcut, handed over as plain objects. Which thread
 * belongs to an incident, and deduplication, are the capture's business.
 *
 * Slack's message events (`message.channels`, `message.groups`): a reply carries `thread_ts`
 * ≠ `ts`; an edit is subtype `message_changed` with the new `message` (its `edited`) and
 * `previous_message`; a deletion is subtype `message_deleted` with `deleted_ts` and
 * `previous_message`. Slack redelivers an event it thinks failed with the same `event_id`
 * (and `X-Slack-Retry-Num`); retries are passed on with that info, not dropped.
 */
import type { App, MessageShortcut } from '@slack/bolt';
import type { Delivery, ThreadCapture } from '../../../ports/thread-capture.js';
import { shortcutAnswer } from '../views/thread-notes.js';

/** callback_id of the message shortcut (manifest.yml: features.shortcuts). */
export const ADD_TO_TIMELINE_CALLBACK_ID = 'ki_add_to_timeline';

/** A Slack ts ("1732900000.000100") as ISO time (millisecond precision). */
export function tsToIso(ts: string): string {
  const [seconds = '0', fraction = ''] = ts.split('.');
  const millis = Number(seconds) * 1000 + Math.floor(Number(fraction.padEnd(6, '0').slice(0, 6)) / 1000);
  return new Date(millis).toISOString();
}

/** The fields of a message (event or nested `message`/`previous_message`) this listener reads. */
interface MessageShape {
  readonly type?: string;
  readonly subtype?: string;
  readonly channel?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly text?: string;
  readonly ts?: string;
  readonly thread_ts?: string;
  readonly client_msg_id?: string;
  readonly edited?: { readonly user?: string; readonly ts?: string };
  readonly message?: MessageShape;
  readonly previous_message?: MessageShape;
  readonly deleted_ts?: string;
}

/** Subtypes of a person's ordinary reply (a reply also sent to the channel, a reply with a file). */
const REPLY_SUBTYPES = new Set<string | undefined>([undefined, 'thread_broadcast', 'file_share']);

/** A person's reply in a thread: has a user, no bot id, and a thread other than itself. */
function isPersonReply(m: MessageShape | undefined, botUserId: string | undefined): m is MessageShape & { user: string; ts: string; thread_ts: string } {
  return m !== undefined
    && typeof m.user === 'string'
    && m.bot_id === undefined
    && m.subtype !== 'bot_message'
    && m.user !== botUserId
    && typeof m.ts === 'string'
    && typeof m.thread_ts === 'string'
    && m.thread_ts !== m.ts;
}

export function registerThreadCapture(app: App, capture: ThreadCapture): void {
  app.event('message', async ({ event, body, context }) => {
    const m = event as unknown as MessageShape;
    const channel = m.channel;
    if (channel === undefined) return;
    const envelope = body as { event_id?: string; event_time?: number };
    const delivery: Delivery = {
      eventId: envelope.event_id,
      eventTime: typeof envelope.event_time === 'number' ? new Date(envelope.event_time * 1000).toISOString() : undefined,
      retryNum: context.retryNum ?? 0,
      retryReason: context.retryReason,
    };
    const botUserId = context.botUserId;

    if (REPLY_SUBTYPES.has(m.subtype)) {
      if (!isPersonReply(m, botUserId)) return;
      await capture.replyPosted({
        channel, threadTs: m.thread_ts, ts: m.ts, user: m.user, text: m.text ?? '', at: tsToIso(m.ts), clientMsgId: m.client_msg_id, delivery,
      });
      return;
    }

    if (m.subtype === 'message_changed') {
      const now = m.message;
      // Without `edited` it is Slack updating the message (reply counts, unfurls), not a person.
      if (!isPersonReply(now, botUserId) || now.edited?.ts === undefined) return;
      await capture.replyEdited({
        channel,
        threadTs: now.thread_ts,
        ts: now.ts,
        user: now.user,
        text: now.text ?? '',
        previousText: m.previous_message?.text,
        at: tsToIso(now.ts),
        editedAt: tsToIso(now.edited.ts),
        clientMsgId: now.client_msg_id,
        delivery,
      });
      return;
    }

    if (m.subtype === 'message_deleted') {
      const before = m.previous_message;
      const ts = m.deleted_ts ?? before?.ts;
      const threadTs = before?.thread_ts;
      if (ts === undefined || threadTs === undefined || threadTs === ts) return;
      if (before?.bot_id !== undefined || before?.subtype === 'bot_message' || (before?.user !== undefined && before.user === botUserId)) return;
      await capture.replyDeleted({
        channel, threadTs, ts, user: before?.user, text: before?.text, at: tsToIso(ts), deletedAt: tsToIso(m.ts ?? ts), delivery,
      });
    }
  });

  app.shortcut<MessageShortcut>({ callback_id: ADD_TO_TIMELINE_CALLBACK_ID, type: 'message_action' }, async ({ ack, shortcut, respond }) => {
    await ack();
    const message = shortcut.message as MessageShape & { ts: string };
    const outcome = await capture.shortcut({
      channel: shortcut.channel.id,
      threadTs: message.thread_ts,
      ts: message.ts ?? shortcut.message_ts,
      user: message.user,
      text: message.text ?? '',
      at: tsToIso(message.ts ?? shortcut.message_ts),
      editedAt: message.edited?.ts === undefined ? undefined : tsToIso(message.edited.ts),
      addedBy: shortcut.user.id,
      addedAt: tsToIso(shortcut.action_ts),
      triggerId: shortcut.trigger_id,
      responseUrl: shortcut.response_url,
    });
    // Only the person who used the shortcut sees the answer.
    await respond({ response_type: 'ephemeral', text: shortcutAnswer(outcome) });
  });
}
