/**
 * Requests as Slack sends them to an app: payload builders (slash commands, block actions,
 * view submissions, events) and `signedPost`, which signs a body exactly as Slack's request
 * verification describes (`v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { DEFAULT_SLACK_IDENTITY as IDENTITY } from '../fakes/fake-slack.js';

/** The test workspace, as the fake Slack answers it by default. */
export const TEST_TEAM = { id: IDENTITY.teamId, domain: IDENTITY.teamDomain } as const;
export const TEST_APP_ID = IDENTITY.appId;
/** The person invoking commands and clicking buttons unless a test says otherwise. */
export const TEST_USER = { id: 'U0TESTUSER', name: 'alice' } as const;
/** The channel commands are invoked in unless a test says otherwise. */
export const TEST_CHANNEL = { id: 'C0INCIDENT', name: 'security-incidents' } as const;

/** Where `respond()` goes when a test gave no response URL: a closed local port, never Slack. */
const NO_RESPONSE_URL = 'http://127.0.0.1:9/no-response-url-given';

/** Form fields of a slash command request (all strings, as Slack sends them). */
export type SlashCommandPayload = {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
};

/** A slash command invocation; pass `response_url: fake.responseUrl(id)` to catch `respond()`. */
export function slashCommand(overrides: Partial<SlashCommandPayload> = {}): SlashCommandPayload {
  return {
    token: 'test-verification-token',
    team_id: TEST_TEAM.id,
    team_domain: TEST_TEAM.domain,
    channel_id: TEST_CHANNEL.id,
    channel_name: TEST_CHANNEL.name,
    user_id: TEST_USER.id,
    user_name: TEST_USER.name,
    command: '/key-incident',
    text: '',
    api_app_id: TEST_APP_ID,
    is_enterprise_install: 'false',
    response_url: NO_RESPONSE_URL,
    trigger_id: triggerId(),
    ...overrides,
  };
}

/** What a block_actions payload is built from; everything but `actionId` has a default. */
export interface BlockActionOptions {
  readonly actionId: string;
  readonly value?: string;
  readonly blockId?: string;
  readonly userId?: string;
  readonly userName?: string;
  readonly channelId?: string;
  /** ts of the message holding the button. */
  readonly messageTs?: string;
  /** The message holding the button, as Slack echoes it. */
  readonly message?: Record<string, unknown>;
  readonly responseUrl?: string;
  readonly triggerId?: string;
  readonly stateValues?: Record<string, unknown>;
}

/** A button click (`type: block_actions`) on a message. */
export function blockActions(options: BlockActionOptions): Record<string, unknown> {
  const user = { id: options.userId ?? TEST_USER.id, username: options.userName ?? TEST_USER.name, name: options.userName ?? TEST_USER.name, team_id: TEST_TEAM.id };
  const channelId = options.channelId ?? TEST_CHANNEL.id;
  const messageTs = options.messageTs ?? '1732900000.000100';
  return {
    type: 'block_actions',
    user,
    api_app_id: TEST_APP_ID,
    token: 'test-verification-token',
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    trigger_id: options.triggerId ?? triggerId(),
    team: { id: TEST_TEAM.id, domain: TEST_TEAM.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: channelId === TEST_CHANNEL.id ? TEST_CHANNEL.name : channelId.toLowerCase() },
    message: options.message ?? { type: 'message', ts: messageTs, text: '', user: IDENTITY.botUserId, bot_id: IDENTITY.botId },
    state: { values: options.stateValues ?? {} },
    response_url: options.responseUrl ?? NO_RESPONSE_URL,
    actions: [
      {
        action_id: options.actionId,
        block_id: options.blockId ?? `${options.actionId}-block`,
        text: { type: 'plain_text', text: options.actionId, emoji: true },
        value: options.value ?? '',
        type: 'button',
        action_ts: nowTs(),
      },
    ],
  };
}

/** What a view_submission payload is built from. */
export interface ViewSubmissionOptions {
  readonly callbackId: string;
  /** `state.values`: block_id → action_id → element value object. */
  readonly values?: Record<string, Record<string, unknown>>;
  readonly privateMetadata?: string;
  readonly viewId?: string;
  readonly userId?: string;
}

/** A modal submission (`type: view_submission`). */
export function viewSubmission(options: ViewSubmissionOptions): Record<string, unknown> {
  const viewId = options.viewId ?? 'V0000000001';
  return {
    type: 'view_submission',
    team: { id: TEST_TEAM.id, domain: TEST_TEAM.domain },
    user: { id: options.userId ?? TEST_USER.id, username: TEST_USER.name, name: TEST_USER.name, team_id: TEST_TEAM.id },
    api_app_id: TEST_APP_ID,
    token: 'test-verification-token',
    trigger_id: triggerId(),
    view: {
      id: viewId,
      team_id: TEST_TEAM.id,
      type: 'modal',
      callback_id: options.callbackId,
      private_metadata: options.privateMetadata ?? '',
      state: { values: options.values ?? {} },
      hash: '1732900000.0000001',
      root_view_id: viewId,
      app_id: TEST_APP_ID,
      bot_id: IDENTITY.botId,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** The Events API wrapper (`type: event_callback`) around one event. */
export function eventCallback(event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'test-verification-token',
    team_id: TEST_TEAM.id,
    api_app_id: TEST_APP_ID,
    event: { event_ts: nowTs(), ...event },
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEST_TEAM.id, user_id: IDENTITY.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** A raw request body and its content type, exactly as it will be signed and sent. */
export interface SlackHttpBody {
  readonly contentType: string;
  readonly raw: string;
}

/** Form-encoded fields (slash commands). */
export function formBody(fields: Readonly<Record<string, string>>): SlackHttpBody {
  return { contentType: 'application/x-www-form-urlencoded', raw: new URLSearchParams(fields).toString() };
}

/** Interactivity: one form field `payload` holding the JSON payload. */
export function interactionBody(payload: object): SlackHttpBody {
  return formBody({ payload: JSON.stringify(payload) });
}

/** A JSON body (Events API). */
export function jsonBody(payload: object): SlackHttpBody {
  return { contentType: 'application/json', raw: JSON.stringify(payload) };
}

/** How `signedPost` signs and labels a request. */
export interface SignOptions {
  readonly signingSecret: string;
  /** `X-Slack-Request-Timestamp` in Unix seconds (default: now). */
  readonly timestamp?: number;
  readonly retryNum?: number;
  readonly retryReason?: string;
  /** Sign with a wrong secret, as a forger would. */
  readonly badSignature?: boolean;
}

/** What the app answered. */
export interface SignedPostResult {
  readonly status: number;
  readonly body: string;
  readonly contentType: string | null;
}

/** Slack's v0 signature of a raw body: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`. */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** POSTs a body signed the way Slack signs requests to an app's Request URL. */
export async function signedPost(url: string, body: SlackHttpBody, options: SignOptions): Promise<SignedPostResult> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = options.badSignature === true ? `${options.signingSecret}-forged` : options.signingSecret;
  const headers: Record<string, string> = {
    'content-type': body.contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, timestamp, body.raw),
  };
  if (options.retryNum !== undefined) headers['x-slack-retry-num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['x-slack-retry-reason'] = options.retryReason;
  const response = await fetch(url, { method: 'POST', headers, body: body.raw });
  return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') };
}

/** Sends a signed slash command. */
export function postSlashCommand(url: string, payload: SlashCommandPayload, options: SignOptions): Promise<SignedPostResult> {
  return signedPost(url, formBody(payload), options);
}

/** Sends a signed interactivity payload (block actions, view submissions). */
export function postInteraction(url: string, payload: object, options: SignOptions): Promise<SignedPostResult> {
  return signedPost(url, interactionBody(payload), options);
}

/** A trigger id shaped like Slack's ("37053613634.26768298162.440952c0…"). */
function triggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e11)}.${randomBytes(16).toString('hex')}`;
}

/** Now as a Slack ts ("1732900000.123456"). */
function nowTs(): string {
  return (Date.now() / 1000).toFixed(6);
}
