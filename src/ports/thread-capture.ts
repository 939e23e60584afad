/** How the event reached us: for deduplication of Slack's redeliveries. */
export interface Delivery {
  /** The Events API `event_id` (the same on every retry of one event). */
  readonly eventId: string | undefined;
  /** `event_time` as ISO time. */
  readonly eventTime: string | undefined;
  /** `X-Slack-Retry-Num` (0 for a first delivery). */
  readonly retryNum: number;
  /** `X-Slack-Retry-Reason`, on retries. */
  readonly retryReason: string | undefined;
}

/** A reply posted in a thread. */
export interface ReplyPosted {
  readonly channel: string;
  readonly threadTs: string;
  readonly ts: string;
  readonly user: string;
  readonly text: string;
  /** When it was posted (from `ts`), ISO. */
  readonly at: string;
  /** The client's own id for the message (absent for some clients and integrations). */
  readonly clientMsgId: string | undefined;
  readonly delivery: Delivery;
}

/** A reply's new text after an edit. */
export interface ReplyEdited {
  readonly channel: string;
  readonly threadTs: string;
  readonly ts: string;
  readonly user: string;
  readonly text: string;
  /** The text before the edit, when Slack sent it. */
  readonly previousText: string | undefined;
  /** When the reply was first posted (from `ts`), ISO. */
  readonly at: string;
  /** When it was edited (from `edited.ts`), ISO. */
  readonly editedAt: string;
  readonly clientMsgId: string | undefined;
  readonly delivery: Delivery;
}

/** A reply deleted. */
export interface ReplyDeleted {
  readonly channel: string;
  readonly threadTs: string;
  readonly ts: string;
  /** Author of the deleted reply, when Slack sent the previous message. */
  readonly user: string | undefined;
  /** Its last text, when Slack sent it. */
  readonly text: string | undefined;
  /** When the reply was posted (from `ts`), ISO. */
  readonly at: string;
  /** When it was deleted (from the event's `ts`), ISO. */
  readonly deletedAt: string;
  readonly delivery: Delivery;
}

/** "Add to incident timeline" used on a message. */
export interface ShortcutUsed {
  readonly channel: string;
  /** The message's thread (undefined for a top-level message that has no replies). */
  readonly threadTs: string | undefined;
  readonly ts: string;
  /** The message's author (undefined for some bot/integration messages). */
  readonly user: string | undefined;
  readonly text: string;
  /** When the message was posted (from `ts`), ISO. */
  readonly at: string;
  /** When it was last edited, ISO. */
  readonly editedAt: string | undefined;
  /** Who used the shortcut. */
  readonly addedBy: string;
  /** When (from `action_ts`), ISO. */
  readonly addedAt: string;
  readonly triggerId: string;
  readonly responseUrl: string;
}

/** What the shortcut did with the message: the adapter words it for whoever used it. */
export type ShortcutOutcome =
  | { readonly kind: 'added'; readonly incidentId: string }
  /** Not in an incident's thread, and its channel has no single open incident. */
  | { readonly kind: 'no-incident' };

/** Where thread activity goes: replies, edits, deletions and the message shortcut. The shortcut's answer goes privately to its user. */
export interface ThreadCapture {
  replyPosted(e: ReplyPosted): Promise<void>;
  replyEdited(e: ReplyEdited): Promise<void>;
  replyDeleted(e: ReplyDeleted): Promise<void>;
  shortcut(e: ShortcutUsed): Promise<ShortcutOutcome>;
}
