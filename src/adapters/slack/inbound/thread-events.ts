/**
 * Slack's thread activity as the plain objects thread capture takes: people's replies in
 * threads (posted, edited, deleted) and the "Add to incident timeline" message shortcut.
 * Which thread belongs to an incident, and deduplication, are the capture's business.
 *
 * Slack's message events (`message.channels`, `message.groups`): a reply carries `thread_ts`
 * ≠ `ts`; an edit is subtype `message_changed` with the new `message` (its `edited`) and
 * `previous_message`; a deletion is subtype `message_deleted` with `deleted_ts` and
 * `previous_message`. Slack redelivers an event it thinks failed with the same `event_id`
 * (and `X-Slack-Retry-Num`); retries are passed on with that info, not dropped.
 */
import type { Delivery, ReplyDeleted, ReplyEdited, ReplyPosted, ShortcutUsed } from '../../../ports/thread-capture.js';

/** A Slack ts ("1732900000.000100") as ISO time (millisecond precision). */
export function tsToIso(ts: string): string {
  const [seconds = '0', fraction = ''] = ts.split('.');
  const millis = Number(seconds) * 1000 + Math.floor(Number(fraction.padEnd(6, '0').slice(0, 6)) / 1000);
  return new Date(millis).toISOString();
}

/** The fields of a message (event or nested `message`/`previous_message`) read here. */
export interface MessageShape {
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

/** The fields of the "Add to incident timeline" shortcut's payload read here. */
export interface MessageShortcutShape {
  readonly channel: { readonly id: string };
  readonly user: { readonly id: string };
  readonly message: MessageShape;
  readonly message_ts: string;
  readonly action_ts: string;
  readonly trigger_id: string;
  readonly response_url: string;
}

/** A message event as thread capture sees it; `undefined` when it is none of these. */
export type ThreadEvent =
  | { readonly kind: 'posted'; readonly event: ReplyPosted }
  | { readonly kind: 'edited'; readonly event: ReplyEdited }
  | { readonly kind: 'deleted'; readonly event: ReplyDeleted };

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

/** How an event reached the app, from the Events API envelope and Bolt's retry headers. */
export function deliveryOf(envelope: { readonly event_id?: string; readonly event_time?: number }, retry: { readonly retryNum?: number; readonly retryReason?: string }): Delivery {
  return {
    eventId: envelope.event_id,
    eventTime: typeof envelope.event_time === 'number' ? new Date(envelope.event_time * 1000).toISOString() : undefined,
    retryNum: retry.retryNum ?? 0,
    retryReason: retry.retryReason,
  };
}

/** A `message` event as a reply posted, edited or deleted in a thread by a person other than the bot. */
export function threadEventOf(m: MessageShape, delivery: Delivery, botUserId: string | undefined): ThreadEvent | undefined {
  const channel = m.channel;
  if (channel === undefined) return undefined;
  if (REPLY_SUBTYPES.has(m.subtype)) return replyPosted(channel, m, delivery, botUserId);
  if (m.subtype === 'message_changed') return replyEdited(channel, m, delivery, botUserId);
  if (m.subtype === 'message_deleted') return replyDeleted(channel, m, delivery, botUserId);
  return undefined;
}

function replyPosted(channel: string, m: MessageShape, delivery: Delivery, botUserId: string | undefined): ThreadEvent | undefined {
  if (!isPersonReply(m, botUserId)) return undefined;
  return {
    kind: 'posted',
    event: { channel, threadTs: m.thread_ts, ts: m.ts, user: m.user, text: m.text ?? '', at: tsToIso(m.ts), clientMsgId: m.client_msg_id, delivery },
  };
}

function replyEdited(channel: string, m: MessageShape, delivery: Delivery, botUserId: string | undefined): ThreadEvent | undefined {
  const now = m.message;
  // Without `edited` it is Slack updating the message (reply counts, unfurls), not a person.
  if (!isPersonReply(now, botUserId) || now.edited?.ts === undefined) return undefined;
  return {
    kind: 'edited',
    event: {
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
    },
  };
}

function replyDeleted(channel: string, m: MessageShape, delivery: Delivery, botUserId: string | undefined): ThreadEvent | undefined {
  const before = m.previous_message;
  const ts = m.deleted_ts ?? before?.ts;
  const threadTs = before?.thread_ts;
  // Only a reply: a thread parent (or a top-level message) has no thread other than itself.
  if (ts === undefined || threadTs === undefined || threadTs === ts) return undefined;
  // A bot's message, the bot's own included, is not a person's reply.
  if (before?.bot_id !== undefined || before?.subtype === 'bot_message' || (before?.user !== undefined && before.user === botUserId)) return undefined;
  return {
    kind: 'deleted',
    event: { channel, threadTs, ts, user: before?.user, text: before?.text, at: tsToIso(ts), deletedAt: tsToIso(m.ts ?? ts), delivery },
  };
}

/** The "Add to incident timeline" shortcut: the message it was used on, and who used it when. */
export function shortcutUsedOf(shortcut: MessageShortcutShape): ShortcutUsed {
  const message = shortcut.message;
  const ts = message.ts ?? shortcut.message_ts;
  return {
    channel: shortcut.channel.id,
    threadTs: message.thread_ts,
    ts,
    user: message.user,
    text: message.text ?? '',
    at: tsToIso(ts),
    editedAt: message.edited?.ts === undefined ? undefined : tsToIso(message.edited.ts),
    addedBy: shortcut.user.id,
    addedAt: tsToIso(shortcut.action_ts),
    triggerId: shortcut.trigger_id,
    responseUrl: shortcut.response_url,
  };
}
