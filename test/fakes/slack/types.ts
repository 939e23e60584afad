/**
 * Shapes shared by the fake Slack's parts: what it records, what it stores, how it is set up.
 */

/** Parameters of a Web API call, with JSON-encoded fields (`blocks`, `view`, …) decoded. */
export type ApiParams = Record<string, unknown>;

/** A JSON object as the fake answers it. */
export type JsonObject = Record<string, unknown>;

/** One Web API request the fake received, with what it answered. */
export interface ApiCallRecord {
  readonly kind: 'api';
  readonly seq: number;
  readonly method: string;
  readonly params: ApiParams;
  /** Bearer token from the Authorization header, or the `token` form field. */
  readonly token: string | undefined;
  readonly httpStatus: number;
  /** The JSON body the fake answered. */
  readonly result: JsonObject;
}

/** One JSON POST to a `response_url` handed out by `fake.responseUrl(id)`. */
export interface ResponseUrlRecord {
  readonly kind: 'response';
  readonly seq: number;
  /** The id given to `fake.responseUrl(id)`. */
  readonly id: string;
  readonly body: JsonObject;
  /** `ephemeral` unless the body said `in_channel` (Slack's default). */
  readonly responseType: 'ephemeral' | 'in_channel';
  readonly replaceOriginal: boolean;
  readonly deleteOriginal: boolean;
  readonly httpStatus: number;
}

/** One acknowledgement the app sent back over the Socket Mode WebSocket. */
export interface SocketAckRecord {
  readonly kind: 'ack';
  readonly seq: number;
  readonly envelopeId: string;
  /** The ack's `payload` (the SDK always sends one, `{}` for a bare `ack()`). */
  readonly payload: JsonObject | undefined;
}

/** Anything the fake records, in arrival order. */
export type FakeSlackRecord = ApiCallRecord | ResponseUrlRecord | SocketAckRecord;

/** One version of a message's content, kept when `chat.update` replaces it. */
export interface MessageRevision {
  readonly text: string;
  readonly blocks: unknown[] | undefined;
  readonly attachments: unknown[] | undefined;
}

/** A message as the fake stores it. */
export interface StoredMessage {
  readonly channel: string;
  readonly ts: string;
  /** Parent's ts for a thread reply; undefined for a top-level message. */
  readonly threadTs: string | undefined;
  /** Author: the bot user for messages posted through the API, else a seeded user. */
  readonly user: string;
  readonly botId: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  metadata: unknown;
  readonly replyBroadcast: boolean;
  /** Files shared with this message (`files.completeUploadExternal`), as Slack shows them. */
  readonly files?: readonly Record<string, unknown>[] | undefined;
  /** Earlier versions, oldest first; the current content is not included. */
  readonly history: MessageRevision[];
  deleted: boolean;
}

/** An ephemeral message (`chat.postEphemeral`); only its recipient sees it. */
export interface StoredEphemeral {
  readonly channel: string;
  readonly user: string;
  readonly messageTs: string;
  readonly threadTs: string | undefined;
  readonly text: string;
  readonly blocks: unknown[] | undefined;
}

/** A modal opened with `views.open`. */
export interface StoredView {
  readonly id: string;
  readonly externalId: string | undefined;
  readonly triggerId: string;
  view: JsonObject;
  hash: string;
  /** Earlier definitions, oldest first. */
  readonly history: JsonObject[];
}

/** A channel the fake knows about. */
export interface ChannelSetup {
  readonly id: string;
  readonly name?: string;
  /** Whether the bot is a member; posting where it is not answers `not_in_channel`. */
  readonly isMember?: boolean;
  readonly isPrivate?: boolean;
  readonly isArchived?: boolean;
  /** User ids `conversations.members` answers (default: nobody). */
  readonly members?: readonly string[];
}

/** A workspace member, answered by `users.info`. */
export interface UserSetup {
  readonly id: string;
  readonly name: string;
  readonly realName?: string;
  readonly tz?: string;
  readonly isBot?: boolean;
  /** The user's own workspace (default the fake's): another one makes them external, as in Slack Connect. */
  readonly teamId?: string;
  /** Slack marks a user of an unconnected organization as a stranger. */
  readonly isStranger?: boolean;
}

/** Who the fake workspace and its bot are. Every field has a test default. */
export interface FakeSlackIdentity {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly teamName: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botName: string;
}

/** Options of `startFakeSlack`. */
export interface FakeSlackOptions extends Partial<FakeSlackIdentity> {
  /** Seconds part of the first message ts (default 1732900000). */
  readonly tsBase?: number;
  /** Answer `channel_not_found` for channels not added (default: unknown channels exist). */
  readonly strictChannels?: boolean;
  readonly channels?: readonly ChannelSetup[];
  readonly users?: readonly UserSetup[];
  /** Usergroup id → member user ids, for `usergroups.users.list`. */
  readonly usergroups?: Readonly<Record<string, readonly string[]>>;
  /** Default timeout of `waitFor` and of socket acks, in ms (default 3000). */
  readonly waitTimeoutMs?: number;
}

/** An error a Web API method answers as `{ ok: false, error }`. */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: JsonObject = {},
  ) {
    super(code);
    this.name = 'SlackApiError';
  }
}
