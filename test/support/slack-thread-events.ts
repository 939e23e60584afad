/**
 * Message events and the message shortcut as Slack sends them for threads: payload builders
 * for `eventCallback` / `postInteraction` (see slack-requests.ts).
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_SLACK_IDENTITY as IDENTITY } from '../fakes/fake-slack.js';
import { TEST_APP_ID, TEST_CHANNEL, TEST_TEAM, TEST_USER } from './slack-requests.js';

export interface ReplyOptions {
  readonly threadTs: string;
  readonly ts: string;
  readonly text: string;
  readonly user?: string;
  readonly channel?: string;
  readonly clientMsgId?: string;
  /** The thread parent's author. */
  readonly parentUserId?: string;
}

/** The message object of a person's reply in a thread. */
export function replyMessage(options: ReplyOptions): Record<string, unknown> & { ts: string } {
  return {
    type: 'message',
    user: options.user ?? TEST_USER.id,
    text: options.text,
    ts: options.ts,
    thread_ts: options.threadTs,
    parent_user_id: options.parentUserId ?? IDENTITY.botUserId,
    client_msg_id: options.clientMsgId ?? randomUUID(),
    team: TEST_TEAM.id,
    blocks: [{ type: 'rich_text', block_id: 'b1', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: options.text }] }] }],
  };
}

/** `message` event (message.channels) for a new reply in a thread. */
export function replyEvent(options: ReplyOptions): Record<string, unknown> {
  return { ...replyMessage(options), channel: options.channel ?? TEST_CHANNEL.id, channel_type: 'channel', event_ts: options.ts };
}

/** `message` event, subtype `message_changed`, for an edit of a reply. */
export function replyEditedEvent(options: ReplyOptions & { readonly previousText: string; readonly editTs: string }): Record<string, unknown> {
  const { previousText, editTs, ...reply } = options;
  const clientMsgId = options.clientMsgId ?? randomUUID();
  const user = options.user ?? TEST_USER.id;
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: options.channel ?? TEST_CHANNEL.id,
    channel_type: 'channel',
    ts: editTs,
    event_ts: editTs,
    message: { ...replyMessage({ ...reply, clientMsgId }), edited: { user, ts: editTs }, source_team: TEST_TEAM.id, user_team: TEST_TEAM.id },
    previous_message: replyMessage({ ...reply, text: previousText, clientMsgId }),
  };
}

/** `message` event, subtype `message_deleted`, for a deleted reply. */
export function replyDeletedEvent(options: ReplyOptions & { readonly deleteTs: string }): Record<string, unknown> {
  const { deleteTs, ...reply } = options;
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: options.channel ?? TEST_CHANNEL.id,
    channel_type: 'channel',
    ts: deleteTs,
    event_ts: deleteTs,
    deleted_ts: options.ts,
    previous_message: replyMessage(reply),
  };
}

export interface MessageShortcutOptions {
  readonly callbackId: string;
  /** The message the shortcut was used on. */
  readonly message: Record<string, unknown> & { ts: string };
  readonly userId?: string;
  readonly channelId?: string;
  readonly responseUrl?: string;
  readonly actionTs?: string;
}

/** A message shortcut (`type: message_action`) used on a message. */
export function messageShortcut(options: MessageShortcutOptions): Record<string, unknown> {
  const channelId = options.channelId ?? TEST_CHANNEL.id;
  const userId = options.userId ?? TEST_USER.id;
  return {
    type: 'message_action',
    token: 'test-verification-token',
    action_ts: options.actionTs ?? (Date.now() / 1000).toFixed(6),
    team: { id: TEST_TEAM.id, domain: TEST_TEAM.domain },
    user: { id: userId, username: TEST_USER.name, name: TEST_USER.name, team_id: TEST_TEAM.id },
    channel: { id: channelId, name: channelId === TEST_CHANNEL.id ? TEST_CHANNEL.name : channelId.toLowerCase() },
    is_enterprise_install: false,
    enterprise: null,
    api_app_id: TEST_APP_ID,
    callback_id: options.callbackId,
    trigger_id: `${Date.now()}.1234567890.${randomUUID().replace(/-/g, '')}`,
    response_url: options.responseUrl ?? 'http://127.0.0.1:9/no-response-url-given',
    message_ts: options.message.ts,
    message: options.message,
  };
}
