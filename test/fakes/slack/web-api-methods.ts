import { type FileStore, fileJson } from './files.js';
import type { ViewRegistry } from './views.js';
import type { Workspace } from './workspace.js';
import { type ApiParams, type JsonObject, SlackApiError, type StoredMessage, type UserSetup } from './types.js';

/** What a method handler may use. */
export interface MethodContext {
  readonly workspace: Workspace;
  readonly views: ViewRegistry;
  /** External uploads (`files.getUploadURLExternal` / `files.completeUploadExternal`). */
  readonly files: FileStore;
  /** Issues a single-use Socket Mode URL (for `apps.connections.open`). */
  readonly openSocketUrl: () => string;
}

/** A Web API method: parsed params in, the success body (without `ok`) out, or a `SlackApiError`. */
export type MethodHandler = (params: ApiParams, context: MethodContext) => JsonObject;

/** The methods this fake implements, by name. */
export const METHODS: Readonly<Record<string, MethodHandler>> = {
  'auth.test': (_params, { workspace }) => {
    const id = workspace.identity;
    return {
      url: `https://${id.teamDomain}.slack.com/`,
      team: id.teamName,
      user: id.botName,
      team_id: id.teamId,
      user_id: id.botUserId,
      bot_id: id.botId,
      is_enterprise_install: false,
    };
  },
  'apps.connections.open': (_params, { openSocketUrl }) => ({ url: openSocketUrl() }),
  'chat.postMessage': postMessage,
  'chat.update': updateMessage,
  'chat.delete': (params, { workspace }) => {
    const message = workspace.delete(params.channel, stringOrUndefined(params.ts));
    return { channel: message.channel, ts: message.ts };
  },
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': (params, { workspace }) => {
    const channel = workspace.channel(params.channel).id;
    return { channel, permalink: workspace.permalink(channel, stringOrUndefined(params.message_ts)) };
  },
  'conversations.join': (params, { workspace }) => {
    const { channel, alreadyIn } = workspace.join(params.channel);
    const body: JsonObject = { channel: channelJson(channel) };
    if (!alreadyIn) return body;
    return { ...body, warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } };
  },
  'conversations.members': conversationMembers,
  'views.open': (params, { views }) => ({ view: views.toJson(views.open(params.trigger_id, params.view)) }),
  'views.update': (params, { views }) => {
    const stored = views.update({ viewId: params.view_id, externalId: params.external_id, hash: params.hash, view: params.view });
    return { view: views.toJson(stored) };
  },
  'files.getUploadURLExternal': (params, { files }) => files.reserve(params.filename, params.length),
  'files.completeUploadExternal': completeUpload,
  'usergroups.users.list': (params, { workspace }) => ({ users: workspace.usergroupMembers(String(params.usergroup ?? '')) }),
  'users.info': (params, { workspace }) => {
    const user = workspace.user(String(params.user ?? ''));
    if (user === undefined) throw new SlackApiError('user_not_found');
    return { user: userJson(user, workspace.identity.teamId) };
  },
};

/**
 * One page of a channel's members: `limit` (default 100, at most 1000) from the opaque
 * `cursor`; `response_metadata.next_cursor` is empty on the last page, as Slack answers.
 */
function conversationMembers(params: ApiParams, { workspace }: MethodContext): JsonObject {
  const members = workspace.membersOf(params.channel);
  const limit = params.limit === undefined ? 100 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new SlackApiError('invalid_limit');
  const from = params.cursor === undefined || params.cursor === '' ? 0 : offsetOf(params.cursor);
  const next = from + limit < members.length ? Buffer.from(`members:${from + limit}`).toString('base64') : '';
  return { members: members.slice(from, from + limit), response_metadata: { next_cursor: next } };
}

function offsetOf(cursor: unknown): number {
  const match = /^members:(\d+)$/.exec(Buffer.from(String(cursor), 'base64').toString());
  if (!match) throw new SlackApiError('invalid_cursor');
  return Number(match[1]);
}

function postMessage(params: ApiParams, { workspace }: MethodContext): JsonObject {
  const content = messageContent(params);
  const channel = workspace.channel(params.channel);
  workspace.assertCanPost(channel);
  const message = workspace.post({
    channel: channel.id,
    ...content,
    threadTs: stringOrUndefined(params.thread_ts),
    replyBroadcast: isTrue(params.reply_broadcast),
  });
  return { channel: message.channel, ts: message.ts, message: messageJson(message, workspace) };
}

/**
 * Shares uploaded files: with `channel_id` (or one id in `channels`) a message from the bot
 * carrying them is posted there, in `thread_ts`'s thread when given; without, they stay private.
 */
function completeUpload(params: ApiParams, { workspace, files }: MethodContext): JsonObject {
  const channels = typeof params.channels === 'string' && params.channels !== '' ? params.channels.split(',') : [];
  const channelId = stringOrUndefined(params.channel_id) ?? channels[0];
  const threadTs = stringOrUndefined(params.thread_ts);
  // Slack: "make sure to provide only one channel when using thread_ts".
  if (threadTs !== undefined && channels.length > 1) throw new SlackApiError('invalid_arguments');
  const completed = files.complete(params.files, (stored) => {
    if (channelId === undefined) return { channel: undefined, threadTs: undefined, ts: undefined };
    const channel = workspace.channel(channelId);
    workspace.assertCanPost(channel);
    const text = typeof params.initial_comment === 'string' ? params.initial_comment : '';
    const message = workspace.post({
      channel: channel.id,
      text,
      threadTs,
      files: stored.map((file) => fileJson(file, workspace.identity.botUserId)),
    });
    return { channel: message.channel, threadTs: message.threadTs, ts: message.ts };
  });
  return { files: completed.map((file) => ({ id: file.id, title: file.title ?? file.name })) };
}

function updateMessage(params: ApiParams, { workspace }: MethodContext): JsonObject {
  const content = messageContent(params);
  const channel = workspace.channel(params.channel).id;
  const message = workspace.update(channel, stringOrUndefined(params.ts), {
    text: typeof params.text === 'string' ? params.text : undefined,
    blocks: content.blocks,
    attachments: content.attachments,
    metadata: content.metadata,
  });
  return { channel, ts: message.ts, text: message.text, message: messageJson(message, workspace) };
}

function postEphemeral(params: ApiParams, { workspace }: MethodContext): JsonObject {
  const content = messageContent(params);
  const channel = workspace.channel(params.channel);
  workspace.assertCanPost(channel);
  const user = stringOrUndefined(params.user);
  if (user === undefined) throw new SlackApiError('user_not_found');
  const messageTs = workspace.nextTs();
  workspace.ephemerals.push({
    channel: channel.id,
    user,
    messageTs,
    threadTs: stringOrUndefined(params.thread_ts),
    text: content.text,
    blocks: content.blocks,
  });
  return { message_ts: messageTs };
}

/** A message needs text, blocks or attachments; Slack answers `no_text` otherwise. */
function messageContent(params: ApiParams): { text: string; blocks?: unknown[]; attachments?: unknown[]; metadata?: unknown } {
  const text = typeof params.text === 'string' ? params.text : '';
  const blocks = arrayOrUndefined(params.blocks, 'invalid_blocks');
  const attachments = arrayOrUndefined(params.attachments, 'invalid_attachments');
  if (text === '' && (blocks === undefined || blocks.length === 0) && attachments === undefined) {
    throw new SlackApiError('no_text');
  }
  return { text, blocks, attachments, metadata: params.metadata };
}

/** The message object Slack echoes after posting or updating. */
export function messageJson(message: StoredMessage, workspace: Workspace): JsonObject {
  const id = workspace.identity;
  const byBot = message.botId !== undefined;
  return {
    type: 'message',
    user: message.user,
    ...(byBot ? { bot_id: message.botId, app_id: id.appId } : {}),
    text: message.text,
    ts: message.ts,
    team: id.teamId,
    ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs, parent_user_id: message.user }),
    ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
    ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
    ...(message.metadata === undefined ? {} : { metadata: message.metadata }),
    ...(message.files === undefined ? {} : { files: message.files, upload: true, display_as_bot: false }),
    ...(message.history.length > 0 ? { edited: { user: message.user, ts: message.ts } } : {}),
    ...(byBot ? { bot_profile: { id: message.botId, app_id: id.appId, name: id.botName, deleted: false, team_id: id.teamId } } : {}),
  };
}

function channelJson(channel: { id: string; name: string; isPrivate: boolean; isArchived: boolean; isMember: boolean }): JsonObject {
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate,
    is_group: false,
    is_im: false,
    is_private: channel.isPrivate,
    is_archived: channel.isArchived,
    is_member: channel.isMember,
    name_normalized: channel.name,
  };
}

function userJson(user: UserSetup, teamId: string): JsonObject {
  const realName = user.realName ?? user.name;
  return {
    id: user.id,
    team_id: user.teamId ?? teamId,
    ...(user.isStranger ? { is_stranger: true } : {}),
    name: user.name,
    deleted: false,
    real_name: realName,
    tz: user.tz ?? 'Europe/London',
    is_bot: user.isBot ?? false,
    profile: { real_name: realName, display_name: user.name, team: teamId },
  };
}

function arrayOrUndefined(value: unknown, errorCode: string): unknown[] | undefined {
  if (value === undefined || value === '') return undefined;
  if (!Array.isArray(value)) throw new SlackApiError(errorCode);
  return value;
}

function stringOrUndefined(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === '1';
}
