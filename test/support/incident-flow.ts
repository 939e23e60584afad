/**
 * Driving an incident through the real app: open it, find its proposals in the thread, click
 * their buttons as a given user, and wait for an action to reach a state.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiCallRecord, StoredMessage } from '../fakes/fake-slack.js';
import { type BotDriver, SIGNING_SECRET, type World } from './harness.js';
import { blockActions, postInteraction, TEST_CHANNEL } from './slack-requests.js';

export interface OpenedIncident {
  readonly incidentId: string;
  /** ts of the root message (= the thread). */
  readonly ts: string;
}

let responses = 0;

/** Opens an incident for `keyId` and waits (each wait up to `timeoutMs`) until the recommended proposals are posted. */
export async function openIncident(world: World, bot: BotDriver, keyId: string, expectedProposals: readonly string[], timeoutMs?: number): Promise<OpenedIncident> {
  await bot.command(keyId);
  const root = await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === undefined && String(c.params.text).includes(keyId), timeoutMs ? { timeoutMs } : {});
  const ts = String(root.result.ts);
  for (const title of expectedProposals) await proposalPosted(world, ts, title, timeoutMs);
  return { incidentId: /KI-[0-9A-F]{6}/.exec(String(root.params.text))![0], ts };
}

/** Waits for a proposal with this title to be posted in the thread. */
export function proposalPosted(world: World, ts: string, title: string, timeoutMs = 15_000): Promise<ApiCallRecord> {
  return world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === ts && String(c.params.text).startsWith(`${title} (`), { timeoutMs });
}

/** The thread's proposal messages with the given title, oldest first. */
export function proposals(world: World, ts: string, title: string): StoredMessage[] {
  return world.slack.threadOf(TEST_CHANNEL.id, ts).filter((m) => m.threadTs === ts && m.text.startsWith(`${title} (`));
}

/** `incidentId:actionId` of the newest proposal with this title. */
export function refOf(world: World, ts: string, title: string): { ref: string; messageTs: string } {
  const message = proposals(world, ts, title).at(-1);
  if (!message) throw new Error(`no proposal "${title}" in the thread`);
  const ref = /"value":"(KI-[0-9A-F]{6}:[0-9A-Z]{26})"/.exec(JSON.stringify(message.blocks));
  if (!ref) throw new Error(`proposal "${title}" carries no action reference`);
  return { ref: ref[1]!, messageTs: message.ts };
}

export interface Click {
  readonly responseId: string;
  readonly status: number;
}

/** Clicks a button on a proposal as `userId`; its ephemeral answer goes to `responseId`. */
export async function click(world: World, bot: BotDriver, actionId: string, ref: string, userId: string, channelId = TEST_CHANNEL.id): Promise<Click> {
  const responseId = `r${++responses}`;
  const res = await bot.click(blockActions({ actionId, value: ref, userId, channelId, responseUrl: world.slack.responseUrl(responseId) }));
  return { responseId, status: res.status };
}

export interface DeliveredClick extends Click {
  /** How many times the click reached an app (the original and Slack's retries). */
  readonly deliveries: number;
  /** The HTTP status of each delivery, the original first. */
  readonly statuses: readonly number[];
}

/**
 * One click on a proposal as `userId`, delivered by Slack to each of `bots` at once: the first
 * gets the original, the others the same payload again as Slack's retries (`X-Slack-Retry-Num`
 * 1, 2 …). Every delivery carries the same response URL, so all answers go to `responseId`.
 */
export async function clickDelivered(world: World, bots: readonly BotDriver[], actionId: string, ref: string, userId: string): Promise<DeliveredClick> {
  const responseId = `r${++responses}`;
  const payload = blockActions({ actionId, value: ref, userId, channelId: TEST_CHANNEL.id, responseUrl: world.slack.responseUrl(responseId) });
  const results = await Promise.all(bots.map((bot, retryNum) => retryNum === 0
    ? bot.click(payload)
    : postInteraction(bot.eventsUrl, payload, { signingSecret: SIGNING_SECRET, retryNum, retryReason: 'http_timeout' })));
  const statuses = results.map((r) => r.status);
  return { responseId, status: statuses[0]!, deliveries: bots.length, statuses };
}

/** Chooses an entry of the root message's "More actions" menu. */
export async function chooseMoreAction(world: World, bot: BotDriver, incidentId: string, kind: string, userId: string): Promise<Click> {
  const responseId = `r${++responses}`;
  const payload = blockActions({ actionId: 'ki_more_actions', userId, responseUrl: world.slack.responseUrl(responseId) });
  const [first] = payload.actions as Array<Record<string, unknown>>;
  const res = await bot.click({
    ...payload,
    actions: [{ ...first, type: 'static_select', value: undefined, selected_option: { text: { type: 'plain_text', text: kind }, value: `${incidentId}:${kind}` } }],
  });
  return { responseId, status: res.status };
}

/** Waits for the proposal message of `messageTs` to show `status` (its fallback text ends with it). */
export function actionReached(world: World, messageTs: string, status: string, timeoutMs = 15_000): Promise<ApiCallRecord> {
  return world.slack.waitForCall('chat.update', (c) => c.params.ts === messageTs && String(c.params.text).endsWith(`: ${status}`), { timeoutMs });
}

/** The ephemeral answer a click got. */
export async function answerTo(world: World, c: Click): Promise<string> {
  const r = await world.slack.waitForResponse((x) => x.id === c.responseId);
  return JSON.stringify(r.body);
}

// ---- Reading what an action left behind (stored action, timeline, AWS calls) ----

/** The action behind an `incidentId:actionId` ref, read consistently from the table. */
export async function storedAction(world: World, ref: string): Promise<Record<string, unknown> | undefined> {
  const [incidentId, actionId] = ref.split(':');
  const { Item } = await world.table.client.send(new GetCommand({
    TableName: world.table.tableName, Key: { pk: `INC#${incidentId}`, sk: `ACT#${actionId}` }, ConsistentRead: true,
  }));
  return Item;
}

/** The incident's timeline events, oldest first. */
export async function timeline(world: World, incidentId: string): Promise<Record<string, unknown>[]> {
  const { Items } = await world.table.client.send(new QueryCommand({
    TableName: world.table.tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
    ExpressionAttributeValues: { ':pk': `INC#${incidentId}`, ':ev': 'EV#' },
    ConsistentRead: true,
  }));
  return Items ?? [];
}

/** AWS requests that could change something: every action but Get… and List…. */
export function mutatingAwsCalls(world: World): string[] {
  return world.aws.calls.map((c) => c.action).filter((action) => !/^(Get|List|Lookup|Describe)/.test(action));
}

/** Waits for the root message `ts` to be updated with blocks matching `pattern`. */
export function rootShows(world: World, ts: string, pattern: RegExp): Promise<ApiCallRecord> {
  return world.slack.waitForCall('chat.update', (c) => c.params.ts === ts && pattern.test(JSON.stringify(c.params.blocks)), { timeoutMs: 15_000 });
}

/** Like `openIncident` once the command was sent some other way (e.g. over Socket Mode). */
export async function incidentPosted(world: World, keyId: string, expectedProposals: readonly string[]): Promise<OpenedIncident> {
  const root = await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === undefined && String(c.params.text).includes(keyId), { timeoutMs: 15_000 });
  const ts = String(root.result.ts);
  for (const title of expectedProposals) await proposalPosted(world, ts, title);
  return { incidentId: /KI-[0-9A-F]{6}/.exec(String(root.params.text))![0], ts };
}

/** A key of the bot's account held by an admin IAM user, so the assessment runs to a recommendation. */
export function adminKey(world: World, userName: string): string {
  const keyId = world.aws.keyIdFor(world.aws.botAccount);
  world.aws.user(userName).key(keyId).attach('arn:aws:iam::aws:policy/AdministratorAccess');
  return keyId;
}

/** The root message posted in `channel` for `keyId`. */
export function rootPostFor(world: World, keyId: string, channel: string): Promise<ApiCallRecord> {
  return world.slack.waitForCall('chat.postMessage',
    (c) => c.params.channel === channel && c.params.thread_ts === undefined && c.result.ok === true && String(c.params.text).includes(keyId), { timeoutMs: 15_000 });
}

/** The first root update of an incident once its assessment is done. */
export function finalRootUpdate(world: World, channel: string, incidentId: string): Promise<ApiCallRecord> {
  return world.slack.waitForCall('chat.update',
    (c) => c.params.channel === channel && String(c.params.text).startsWith(`${incidentId}:`) && !String(c.params.text).includes('assessing'), { timeoutMs: 15_000 });
}

/** The assessment's last thread post: what the key can do and the recommendation, after the proposals. */
export function evidencePosted(world: World, channel: string, ts: string): Promise<ApiCallRecord> {
  return world.slack.waitForCall('chat.postMessage',
    (c) => c.params.channel === channel && c.params.thread_ts === ts && c.result.ok === true && String(c.params.text).includes('Recommendation: '), { timeoutMs: 15_000 });
}

/** AWS requests about one key (other tests' background work does not count). */
export function awsCallsAbout(world: World, keyId: string, action?: string): number {
  return world.aws.calls.filter((c) => (action === undefined || c.action === action) && c.params.AccessKeyId === keyId).length;
}
