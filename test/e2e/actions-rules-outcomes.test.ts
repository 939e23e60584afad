/**
 * How an approved action ends when AWS says no, when the target changed or was already in
 * the wanted state, and that a replacement key's secret goes nowhere but Secrets Manager.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, type Bot, scanTable, SIGNING_SECRET, startBot, startWorld, type World } from '../support/harness.js';
import {
  actionReached, chooseMoreAction, click, mutatingAwsCalls, openIncident, proposalPosted, proposals, refOf, storedAction, timeline,
} from '../support/incident-flow.js';
import { REPLACEMENT_SECRET_ENV } from '../support/secrets.js';

const A = 'U0APPROVER';
const B = 'U0APPROVER2';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

let world: World;
let bot: Bot;

beforeAll(async () => {
  world = await startWorld('actions-rules-outcomes');
  bot = await startBot(world, { APPROVER_USER_IDS: `${A},${B}`, LOG_LEVEL: 'trace', ...REPLACEMENT_SECRET_ENV });
});
afterEach(() => world.aws.reset());
afterAll(async () => {
  await bot?.stop();
  await world?.close();
});

/** A user with an admin key (and any `extraKeys`), its incident opened, the recommended proposals posted. */
async function adminIncident(userName: string, extraKeys: readonly { status: 'Active' | 'Inactive' }[] = []) {
  const keyId = world.aws.keyIdFor(world.aws.botAccount);
  const user = world.aws.user(userName).key(keyId).attach(ADMIN);
  for (const seed of extraKeys) user.key(seed);
  return { keyId, user, ...(await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions'])) };
}

async function approve(ts: string, title: string, userId: string, status = 'succeeded') {
  const { ref, messageTs } = refOf(world, ts, title);
  const reached = actionReached(world, messageTs, status);
  await click(world, bot, 'ki_approve', ref, userId);
  return { ref, messageTs, update: await reached };
}

async function proposeAgain(ts: string, title: string) {
  const before = proposals(world, ts, title).length;
  await click(world, bot, 'ki_propose_again', refOf(world, ts, title).ref, A);
  await world.slack.waitFor(() => proposals(world, ts, title).length === before + 1, { timeoutMs: 15_000 });
}

async function proposeFromMenu(incidentId: string, ts: string, kind: string, title: string) {
  await chooseMoreAction(world, bot, incidentId, kind, A);
  await proposalPosted(world, ts, title);
}

const blocksOf = (update: { params: Record<string, unknown> }) => JSON.stringify(update.params.blocks);

/** The failed outcome as stored, and its `action.failed` event. */
async function failure(incidentId: string, ref: string) {
  const action = await storedAction(world, ref);
  const event = (await timeline(world, incidentId)).find((e) => e.type === 'action.failed' && (e.details as Record<string, unknown>).actionId === ref.split(':')[1]);
  return { action, event };
}

describe('a failure shows AWS’s code and what to do, ends failed, and can be proposed again', () => {
  it('AccessDenied: the bot’s role may not call iam:UpdateAccessKey', async () => {
    const { keyId, ts, incidentId } = await adminIncident('denied-role');
    world.aws.deny('UpdateAccessKey');
    const { ref, update } = await approve(ts, 'Disable access key', A, 'failed');

    expect(blocksOf(update)).toContain('*Failed* (`AccessDenied`)');
    expect(blocksOf(update)).toContain('not allowed to call iam:UpdateAccessKey');
    expect(blocksOf(update)).toContain('"action_id":"ki_propose_again"');
    const { action, event } = await failure(incidentId, ref);
    expect(action).toMatchObject({ status: 'failed', outcome: { result: 'failed', code: 'AccessDenied' } });
    expect(event).toMatchObject({ details: { code: 'AccessDenied', operation: 'UpdateAccessKey' } });
    expect(world.aws.keyStatus(keyId)).toBe('Active');

    world.aws.allow('UpdateAccessKey');
    await proposeAgain(ts, 'Disable access key');
    await approve(ts, 'Disable access key', A);
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
  });

  it('Throttling that outlasts the retries: four fenced attempts, then a plain failure', async () => {
    const { keyId, ts, incidentId } = await adminIncident('throttled');
    world.aws.throttle('UpdateAccessKey', 50);
    const { ref, update } = await approve(ts, 'Disable access key', A, 'failed');

    expect(blocksOf(update)).toContain('*Failed* (`Throttling`)');
    expect(blocksOf(update)).toContain('AWS kept throttling UpdateAccessKey after several retries');
    expect(blocksOf(update)).toContain('"action_id":"ki_propose_again"');
    expect((await failure(incidentId, ref)).action).toMatchObject({ status: 'failed', outcome: { code: 'Throttling' } });
    expect(world.aws.calls.filter((c) => c.action === 'UpdateAccessKey').map((c) => c.errorCode)).toEqual(['Throttling', 'Throttling', 'Throttling', 'Throttling']);
    expect(world.aws.keyStatus(keyId)).toBe('Active');
  });

  it('NoSuchEntity: the user vanished after the proposal, so the re-check reports it and nothing is attempted', async () => {
    const { keyId, ts, incidentId } = await adminIncident('vanished');
    world.aws.account(world.aws.botAccount).state.users.delete('vanished');
    const { ref, update } = await approve(ts, 'Disable access key', A, 'failed');

    expect(blocksOf(update)).toContain('*Failed* (`NoSuchEntity`)');
    expect(blocksOf(update)).toContain('AWS could not find the user or key any more');
    expect(blocksOf(update)).toContain('"action_id":"ki_propose_again"');
    expect((await failure(incidentId, ref)).event).toMatchObject({ details: { code: 'NoSuchEntity', operation: 'ListAccessKeys' } });
    expect(mutatingAwsCalls(world)).toEqual([]);
    expect(world.aws.keyStatus(keyId)).toBeUndefined();
  });

  it('LimitExceeded for a replacement key: the user has 2 keys, so deleting the inactive one is proposed first', async () => {
    const { user, ts, incidentId } = await adminIncident('two-keys', [{ status: 'Inactive' }]);
    const inactiveKey = user.keyIds[1]!;
    await proposeFromMenu(incidentId, ts, 'create-replacement-key', 'Create replacement key');
    const deleteProposed = world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === ts && String(c.params.text) === `Delete access key (${inactiveKey}): proposed`, { timeoutMs: 15_000 });
    const { ref, update } = await approve(ts, 'Create replacement key', A, 'failed');

    expect(blocksOf(update)).toContain('*Failed* (`LimitExceeded`)');
    expect(blocksOf(update)).toContain('The user already has 2 access keys, the most IAM allows');
    expect((await failure(incidentId, ref)).action).toMatchObject({ status: 'failed', outcome: { code: 'LimitExceeded' } });
    const proposal = await deleteProposed;
    expect(blocksOf(proposal)).toContain('Proposed by key-incident');
    expect(mutatingAwsCalls(world)).toEqual([]);

    const pending = refOf(world, ts, 'Delete access key');
    await click(world, bot, 'ki_approve', pending.ref, A);
    await actionReached(world, pending.messageTs, 'proposed');
    await approve(ts, 'Delete access key', B);
    expect(world.aws.keyStatus(inactiveKey)).toBeUndefined();
    await proposeAgain(ts, 'Create replacement key');
    await approve(ts, 'Create replacement key', A);
    expect(world.aws.userState('two-keys')!.keys).toHaveLength(2);
    expect(world.aws.count('CreateAccessKey')).toBe(1);
  });
});

describe('an action already in effect', () => {
  it('succeeds as “Already in effect” without calling UpdateAccessKey when the key was disabled outside the bot', async () => {
    const { keyId, user, ts, incidentId } = await adminIncident('disabled-elsewhere');
    user.state.keys.find((k) => k.id === keyId)!.status = 'Inactive';
    const { ref, update } = await approve(ts, 'Disable access key', A);

    expect(blocksOf(update)).toContain('*Already in effect.*');
    expect(blocksOf(update)).toContain(`Key ${keyId} was already inactive.`);
    expect(blocksOf(update)).not.toContain('ki_undo');
    expect(await storedAction(world, ref)).toMatchObject({ status: 'succeeded', outcome: { result: 'already' } });
    expect((await timeline(world, incidentId)).filter((e) => e.type === 'action.succeeded')).toHaveLength(1);
    expect(world.aws.count('UpdateAccessKey')).toBe(0);
  });
});

describe('a replacement key’s secret', () => {
  it('appears in no log line, no Slack call or response, and no stored item; nor do the bot’s own Slack secrets', async () => {
    const { ts, incidentId } = await adminIncident('secret-keeper');
    await proposeFromMenu(incidentId, ts, 'create-replacement-key', 'Create replacement key');
    const { ref, update } = await approve(ts, 'Create replacement key', A);
    const fresh = world.aws.userState('secret-keeper')!.keys.at(-1)!;
    const secret = world.aws.keySecret(fresh.id)!;
    // The secret exists and is where it belongs, so looking for it elsewhere means something.
    expect(secret).toMatch(/^[A-Za-z0-9/+]{40}$/);
    expect(JSON.parse(world.aws.secretValue(`key-incident/${incidentId}/${ref.split(':')[1]}`)!)).toMatchObject({ accessKeyId: fresh.id, secretAccessKey: secret });
    expect(blocksOf(update)).toContain(fresh.id);
    await click(world, bot, 'ki_undo', ref, A);
    await proposalPosted(world, ts, 'Delete access key');

    const places = {
      logs: bot.logs.text,
      slack: JSON.stringify(world.slack.records),
      table: JSON.stringify(await scanTable(world.table)),
    };
    expect(bot.running.log.level).toBe('trace');
    for (const [where, text] of Object.entries(places)) {
      for (const piece of [secret, secret.slice(0, 20), secret.slice(20)]) expect(text.includes(piece), `${where} holds the secret`).toBe(false);
    }
    for (const own of [BOT_TOKEN, SIGNING_SECRET]) expect(places.logs.includes(own), `logs hold ${own}`).toBe(false);
  });
});
