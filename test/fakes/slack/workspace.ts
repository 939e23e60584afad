import {
  type ChannelSetup,
  type FakeSlackIdentity,
  SlackApiError,
  type StoredEphemeral,
  type StoredMessage,
  type UserSetup,
} from './types.js';

/** Content of a new message. */
export interface NewMessage {
  readonly channel: string;
  readonly text: string;
  readonly blocks?: unknown[] | undefined;
  readonly attachments?: unknown[] | undefined;
  readonly metadata?: unknown;
  readonly threadTs?: string | undefined;
  readonly replyBroadcast?: boolean;
  /** Author; defaults to the bot user. */
  readonly user?: string;
  /** Files shared by the message (file objects as Slack answers them). */
  readonly files?: readonly Record<string, unknown>[] | undefined;
}

/** Replacement content for `chat.update`; an omitted field keeps its old value, as in Slack. */
export interface MessageEdit {
  readonly text?: string | undefined;
  readonly blocks?: unknown[] | undefined;
  readonly attachments?: unknown[] | undefined;
  readonly metadata?: unknown;
}

interface ChannelState {
  readonly id: string;
  readonly name: string;
  isMember: boolean;
  readonly isPrivate: boolean;
  readonly isArchived: boolean;
  readonly messages: StoredMessage[];
  members: string[];
}

/**
 * The fake workspace's state: channels with their messages (threads, edits, deletions),
 * ephemeral messages, users and usergroups. Rule violations throw `SlackApiError` with
 * the code Slack answers.
 */
export class Workspace {
  private readonly channels = new Map<string, ChannelState>();
  private readonly users = new Map<string, UserSetup>();
  private readonly usergroups = new Map<string, string[]>();
  readonly ephemerals: StoredEphemeral[] = [];
  private tsCounter = 0;

  constructor(
    readonly identity: FakeSlackIdentity,
    private readonly tsBase: number,
    private readonly strictChannels: boolean,
  ) {}

  /** Adds (or replaces) a channel. */
  addChannel(setup: ChannelSetup): void {
    const existing = this.channels.get(setup.id);
    this.channels.set(setup.id, {
      id: setup.id,
      name: setup.name ?? setup.id.toLowerCase(),
      isMember: setup.isMember ?? true,
      isPrivate: setup.isPrivate ?? false,
      isArchived: setup.isArchived ?? false,
      messages: existing?.messages ?? [],
      members: [...(setup.members ?? existing?.members ?? [])],
    });
  }

  /** Adds (or replaces) a member, as `users.info` answers it. */
  addUser(user: UserSetup): void {
    this.users.set(user.id, user);
  }

  /** A member added with `addUser`, if any. */
  user(id: string): UserSetup | undefined {
    return this.users.get(id);
  }

  /** Sets a usergroup's members. */
  setUsergroup(id: string, members: readonly string[]): void {
    this.usergroups.set(id, [...members]);
  }

  /** A usergroup's members, or `no_such_subteam`. */
  usergroupMembers(id: string): string[] {
    const members = this.usergroups.get(id);
    if (members === undefined) throw new SlackApiError('no_such_subteam');
    return [...members];
  }

  /** The channel's state, creating it on first use unless channels are strict. */
  channel(id: unknown): ChannelState {
    if (typeof id !== 'string' || id === '') throw new SlackApiError('channel_not_found');
    const dmId = /^[UW][A-Z0-9]+$/.test(id) ? `D${id.slice(1)}` : id; // posting to a user id opens a DM
    let state = this.channels.get(dmId);
    if (state === undefined) {
      if (this.strictChannels && dmId === id) throw new SlackApiError('channel_not_found');
      this.addChannel({ id: dmId });
      state = this.channels.get(dmId) as ChannelState;
    }
    return state;
  }

  /** Throws what Slack answers when the bot may not post in the channel. */
  assertCanPost(channel: ChannelState): void {
    if (channel.isArchived) throw new SlackApiError('is_archived');
    if (!channel.isMember) throw new SlackApiError('not_in_channel');
  }

  /** Sets who is in a channel, for `conversations.members`. */
  setMembers(channelId: string, members: readonly string[]): void {
    this.channel(channelId).members = [...members];
  }

  /**
   * Who is in a channel, as `conversations.members` may tell the bot: a private channel the
   * bot is not in is `channel_not_found` to it, as in Slack.
   */
  membersOf(channelId: unknown): readonly string[] {
    const channel = this.channel(channelId);
    if (channel.isPrivate && !channel.isMember) throw new SlackApiError('channel_not_found');
    return channel.members;
  }

  /** Joins the bot to a channel; true when it already was a member. */
  join(channelId: unknown): { channel: ChannelState; alreadyIn: boolean } {
    const channel = this.channel(channelId);
    if (channel.isArchived) throw new SlackApiError('is_archived');
    if (channel.isPrivate && !channel.isMember) throw new SlackApiError('method_not_supported_for_channel_type');
    const alreadyIn = channel.isMember;
    channel.isMember = true;
    return { channel, alreadyIn };
  }

  /** A new ts, unique and increasing across the workspace: "1732900000.000100", ".000200", … */
  nextTs(): string {
    this.tsCounter += 1;
    const micros = this.tsCounter * 100;
    const seconds = this.tsBase + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  /** Stores a message; a reply's `threadTs` must name a top-level message of the channel. */
  post(input: NewMessage): StoredMessage {
    const channel = this.channel(input.channel);
    const threadTs = input.threadTs === undefined ? undefined : this.threadRoot(channel, input.threadTs);
    const author = input.user ?? this.identity.botUserId;
    const message: StoredMessage = {
      channel: channel.id,
      ts: this.nextTs(),
      threadTs,
      user: author,
      botId: author === this.identity.botUserId ? this.identity.botId : undefined,
      text: input.text,
      blocks: input.blocks,
      attachments: input.attachments,
      metadata: input.metadata,
      replyBroadcast: input.replyBroadcast ?? false,
      ...(input.files === undefined ? {} : { files: input.files }),
      history: [],
      deleted: false,
    };
    channel.messages.push(message);
    return message;
  }

  /** A live message, or `message_not_found`. */
  message(channelId: unknown, ts: unknown): StoredMessage {
    const channel = this.channel(channelId);
    const message = channel.messages.find((candidate) => candidate.ts === ts && !candidate.deleted);
    if (message === undefined) throw new SlackApiError('message_not_found');
    return message;
  }

  /** Replaces a bot message's content, keeping the old version in its history. */
  update(channelId: unknown, ts: unknown, edit: MessageEdit): StoredMessage {
    const message = this.message(channelId, ts);
    if (message.user !== this.identity.botUserId) throw new SlackApiError('cant_update_message');
    message.history.push({ text: message.text, blocks: message.blocks, attachments: message.attachments });
    if (edit.text !== undefined) message.text = edit.text;
    if (edit.blocks !== undefined) message.blocks = edit.blocks;
    if (edit.attachments !== undefined) message.attachments = edit.attachments;
    if (edit.metadata !== undefined) message.metadata = edit.metadata;
    return message;
  }

  /** Deletes a bot message. */
  delete(channelId: unknown, ts: unknown): StoredMessage {
    const message = this.message(channelId, ts);
    if (message.user !== this.identity.botUserId) throw new SlackApiError('cant_delete_message');
    message.deleted = true;
    return message;
  }

  /** Slack's permalink format, with `thread_ts` and `cid` for a reply. */
  permalink(channelId: unknown, ts: unknown): string {
    const message = this.message(channelId, ts);
    const base = `https://${this.identity.teamDomain}.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;
    if (message.threadTs === undefined) return base;
    return `${base}?thread_ts=${message.threadTs}&cid=${message.channel}`;
  }

  /** Channel history as Slack shows it: top-level messages and broadcast replies. */
  messagesIn(channelId: string, options: { includeReplies?: boolean } = {}): StoredMessage[] {
    const state = this.channels.get(channelId);
    if (state === undefined) return [];
    return state.messages.filter(
      (message) => !message.deleted && (options.includeReplies === true || message.threadTs === undefined || message.replyBroadcast),
    );
  }

  /** A thread: its parent first, then its live replies in order. */
  threadOf(channelId: string, parentTs: string): StoredMessage[] {
    const state = this.channels.get(channelId);
    if (state === undefined) return [];
    return state.messages.filter((message) => !message.deleted && (message.ts === parentTs || message.threadTs === parentTs));
  }

  /**
   * The ts of the thread a reply joins. Slack flattens a reply to a reply into the parent's
   * thread; for a parent that does not exist it answers ok and shows the reply nowhere, which
   * this fake turns into `thread_not_found` so such bugs surface in tests.
   */
  private threadRoot(channel: ChannelState, threadTs: string): string {
    if (!/^\d+\.\d+$/.test(threadTs)) throw new SlackApiError('invalid_thread_ts');
    const parent = channel.messages.find((message) => message.ts === threadTs && !message.deleted);
    if (parent === undefined) throw new SlackApiError('thread_not_found');
    return parent.threadTs ?? parent.ts;
  }
}
