/**
 * A bot stopped in the middle of an approved action, and the bot started after it: the fake
 * AWS holds the IAM (or Secrets Manager) request, the test stops the instance that sent it
 * (its clients destroyed, so its SDK's retries are swallowed as a dead process's would be),
 * then starts a new instance on the same table whose clock says the action is stale.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LEASE_MS } from '../../src/domain/action/attempt.js';
import { type Bot, scanTable, TestClock, type World } from '../support/harness.js';
import { useReplicas } from '../support/replicas.js';
import { actionReached, chooseMoreAction, click, openIncident, proposalPosted, proposals, refOf } from '../support/incident-flow.js';
import { holdsSecret, REPLACEMENT_SECRET_ENV } from '../support/secrets.js';
import { trustAccount } from '../fakes/fake-aws.js';
import { TEST_CHANNEL } from '../support/slack-requests.js';

const A = 'U0APPROVER';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const WAIT_MS = 15_000;

const replicas = useReplicas('actions-restarts');
let world: World;
beforeAll(() => {
  world = replicas.world();
});

/** Starts an instance; with `stale`, its clock runs past DEFAULT_LEASE_MS. */
function instance(options: { stale?: boolean; env?: Record<string, string> } = {}): Promise<Bot> {
  const clock = new TestClock();
  if (options.stale) clock.advance(DEFAULT_LEASE_MS + 1_000);
  return replicas.start({ APPROVER_USER_IDS: A, ...REPLACEMENT_SECRET_ENV, ...options.env }, clock);
}

const crash = (bot: Bot) => replicas.crash(bot);

/** A user with an admin key; its incident opened on `bot` and the recommended proposals posted. */
async function adminIncident(bot: Bot, userName: string) {
  const keyId = world.aws.keyIdFor(world.aws.botAccount);
  world.aws.user(userName).key(keyId).attach(ADMIN);
  return { keyId, ...(await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions'])) };
}

/** What the table holds about one action: its item, its events by type, its executing marker. */
/** The key id and its secret go out together: waits until the attempt records the id (the secret is held). */
async function keyIdRecorded(ref: string): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    const { action } = await recordsOf(ref);
    if ((action as { attempt?: { newKeyId?: string } } | undefined)?.attempt?.newKeyId) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function recordsOf(ref: string) {
  const [incidentId, actionId] = ref.split(':') as [string, string];
  const items = await scanTable(world.table);
  const events = items.filter((i) => i.pk === `INC#${incidentId}` && String(i.sk).startsWith('EV#') && (i.details as { actionId?: string }).actionId === actionId);
  return {
    action: items.find((i) => i.pk === `INC#${incidentId}` && i.sk === `ACT#${actionId}`) as Record<string, unknown> & { status: string },
    events: (type: string) => events.filter((e) => e.type === type),
    markers: items.filter((i) => i.pk === 'EXECUTING' && String(i.sk).endsWith(`#ACT#${actionId}`)),
  };
}

/** The proposal's message now, and how many proposals with its title the thread has. */
function proposalNow(ts: string, title: string, messageTs: string) {
  return { text: world.slack.message(TEST_CHANNEL.id, messageTs)!.text, posted: proposals(world, ts, title).length };
}

describe('a restart in the middle of an approved action', () => {
  it('between the intent and the IAM call: the new instance makes the change, once', async () => {
    const doomed = await instance();
    const { keyId, ts } = await adminIncident(doomed, 'restart-before-call');
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');
    const hold = world.aws.hold('UpdateAccessKey', { apply: false });
    await click(world, doomed, 'ki_approve', ref, A);
    await hold.arrived;
    await crash(doomed);
    expect(world.aws.keyStatus(keyId)).toBe('Active');
    expect((await recordsOf(ref)).markers).toHaveLength(1);

    const successor = await instance({ stale: true });
    expect(await successor.running.reconciled).toBe(1);

    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    // Applied once: the successor's call. The held request and the dead instance's retries never applied.
    const applied = world.aws.calls.filter((c) => c.action === 'UpdateAccessKey');
    expect(applied.map((c) => [c.params.AccessKeyId, c.params.Status, c.status])).toEqual([[keyId, 'Inactive', 200]]);
    expect(world.aws.swallowed.every((s) => s.action === 'UpdateAccessKey')).toBe(true);
    const { action, events, markers } = await recordsOf(ref);
    expect(action).toMatchObject({ status: 'succeeded', outcome: { result: 'done', message: `Key ${keyId} disabled.` } });
    expect(events('action.reconciled').map((e) => e.details)).toEqual([expect.objectContaining({ inPlace: false })]);
    expect(events('action.executing')).toHaveLength(1);
    expect(events('action.succeeded')).toHaveLength(1);
    expect(markers).toEqual([]);
    await actionReached(world, messageTs, 'succeeded', WAIT_MS);
    expect(proposalNow(ts, 'Disable access key', messageTs)).toEqual({ text: `Disable access key (${keyId}): succeeded`, posted: 1 });
    expect(world.slack.threadOf(TEST_CHANNEL.id, ts).some((m) => m.text.includes('The bot restarted while carrying out an approved action'))).toBe(true);
  });

  it('between the IAM call and its result: the change is found in place and not made again', async () => {
    const doomed = await instance();
    const { keyId, ts } = await adminIncident(doomed, 'restart-after-call');
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');
    const hold = world.aws.hold('UpdateAccessKey', { apply: true });
    await click(world, doomed, 'ki_approve', ref, A);
    await hold.arrived;
    await crash(doomed);
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    const before = world.aws.calls.length;

    const successor = await instance({ stale: true });
    expect(await successor.running.reconciled).toBe(1);

    expect(world.aws.count('UpdateAccessKey')).toBe(1);
    expect(world.aws.calls.slice(before).map((c) => c.action)).not.toContain('UpdateAccessKey');
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    const { action, events, markers } = await recordsOf(ref);
    expect(action).toMatchObject({ status: 'succeeded', outcome: { result: 'done', message: 'Confirmed in IAM after a restart.' } });
    expect(events('action.reconciled').map((e) => e.details)).toEqual([expect.objectContaining({ inPlace: true })]);
    expect(events('action.succeeded')).toHaveLength(1);
    expect(markers).toEqual([]);
    const shown = await actionReached(world, messageTs, 'succeeded', WAIT_MS);
    expect(JSON.stringify(shown.params.blocks)).toContain('Confirmed in IAM after a restart.');
    expect(proposalNow(ts, 'Disable access key', messageTs).posted).toBe(1);
  });

  it('while the instance running it is alive: a new instance leaves it alone, and the first one finishes it', async () => {
    const first = await instance();
    const { keyId, ts } = await adminIncident(first, 'still-running');
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');
    const hold = world.aws.hold('UpdateAccessKey', { apply: false });
    await click(world, first, 'ki_approve', ref, A);
    await hold.arrived;

    const second = await instance();
    expect(await second.running.reconciled).toBe(0);
    const during = await recordsOf(ref);
    expect(during.action.status).toBe('executing');
    expect(during.markers).toHaveLength(1);
    expect(world.aws.count('UpdateAccessKey')).toBe(0);

    const done = actionReached(world, messageTs, 'succeeded', WAIT_MS);
    hold.release();
    await done;
    expect(world.aws.count('UpdateAccessKey')).toBe(1);
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    const after = await recordsOf(ref);
    expect(after.action).toMatchObject({ status: 'succeeded', outcome: { message: `Key ${keyId} disabled.` } });
    expect(after.events('action.reconciled')).toEqual([]);
    expect(after.markers).toEqual([]);
    expect(second.logs.lines.filter((l) => l.includes('executing action'))).toEqual([]);
  });

  it('between a new key and its secret: the key is kept, named, and proposed for deletion; nothing is deleted', async () => {
    const doomed = await instance();
    const { keyId, ts, incidentId } = await adminIncident(doomed, 'restart-replacement');
    await chooseMoreAction(world, doomed, incidentId, 'create-replacement-key', A);
    await proposalPosted(world, ts, 'Create replacement key');
    const { ref, messageTs } = refOf(world, ts, 'Create replacement key');
    const hold = world.aws.hold('PutSecretValue', { apply: false });
    await click(world, doomed, 'ki_approve', ref, A);
    await hold.arrived;
    await keyIdRecorded(ref);
    await crash(doomed);
    const orphan = world.aws.userState('restart-replacement')!.keys.find((k) => k.id !== keyId)!;
    const orphanSecret = world.aws.keySecret(orphan.id)!;
    expect(orphanSecret).toMatch(/^[A-Za-z0-9/+]{40}$/);
    // The key id was recorded on the attempt the moment IAM returned it.
    expect((await recordsOf(ref)).action).toMatchObject({ status: 'executing', attempt: { number: 1, newKeyId: orphan.id } });

    const successor = await instance({ stale: true });
    expect(await successor.running.reconciled).toBe(1);

    expect(world.aws.userState('restart-replacement')!.keys.map((k) => k.id).sort()).toEqual([keyId, orphan.id].sort());
    expect(world.aws.count('DeleteAccessKey')).toBe(0);
    expect(world.aws.count('CreateAccessKey')).toBe(1);
    const { action, events, markers } = await recordsOf(ref);
    expect(action).toMatchObject({ status: 'failed', outcome: { code: 'Interrupted', details: { orphanKeys: [{ keyId: orphan.id, attempt: 1 }] } } });
    expect(events('action.reconciled').map((e) => e.details)).toEqual([expect.objectContaining({ inPlace: false })]);
    expect(markers).toEqual([]);
    await actionReached(world, messageTs, 'failed', WAIT_MS);
    await proposalPosted(world, ts, 'Delete access key');
    expect(JSON.stringify(world.slack.message(TEST_CHANNEL.id, refOf(world, ts, 'Delete access key').messageTs))).toContain(orphan.id);

    const places = {
      logs: [doomed.logs.text, successor.logs.text].join('\n'),
      slack: JSON.stringify(world.slack.records),
      table: JSON.stringify(await scanTable(world.table)),
      awsCalls: JSON.stringify([world.aws.calls, world.aws.swallowed]),
    };
    expect(Object.entries(places).filter(([, text]) => holdsSecret(text, orphanSecret)).map(([name]) => name)).toEqual([]);
  });

  it('two instances restarting at once: only one takes the interrupted replacement over, and no key is made or deleted again', async () => {
    const doomed = await instance();
    const { keyId, ts, incidentId } = await adminIncident(doomed, 'restart-twice');
    await chooseMoreAction(world, doomed, incidentId, 'create-replacement-key', A);
    await proposalPosted(world, ts, 'Create replacement key');
    const { ref } = refOf(world, ts, 'Create replacement key');
    const hold = world.aws.hold('PutSecretValue', { apply: false });
    await click(world, doomed, 'ki_approve', ref, A);
    await hold.arrived;
    await crash(doomed);

    const successors = await Promise.all([instance({ stale: true }), instance({ stale: true })]);
    const reconciled = await Promise.all(successors.map((bot) => bot.running.reconciled));
    expect(reconciled.sort()).toEqual([0, 1]);

    expect(world.aws.count('CreateAccessKey')).toBe(1);
    expect(world.aws.count('DeleteAccessKey')).toBe(0);
    expect(world.aws.userState('restart-twice')!.keys.filter((k) => k.id !== keyId)).toHaveLength(1);
    const { action, events, markers } = await recordsOf(ref);
    expect(action).toMatchObject({ status: 'failed', outcome: { code: 'Interrupted' } });
    expect(events('action.reconciled')).toHaveLength(1);
    expect(events('action.taken_over')).toHaveLength(1);
    expect(markers).toEqual([]);
  });

  it('in a member account: the new instance takes its own role session there and makes the change there, once', async () => {
    const member = '444455556666';
    const env = { CROSS_ACCOUNT_ROLE_NAME: 'KeyIncidentResponder', ALLOWED_ACCOUNT_IDS: member };
    world.aws.account(member).role('KeyIncidentResponder', { trust: trustAccount(world.aws.botArn) });
    const keyId = world.aws.keyIdFor(member);
    world.aws.account(member).user('member-restart').key(keyId).attach(ADMIN);
    const doomed = await instance({ env });
    const { ts } = await openIncident(world, doomed, keyId, ['Disable access key', 'Revoke active sessions']);
    const { ref } = refOf(world, ts, 'Disable access key');
    const hold = world.aws.hold('UpdateAccessKey', { apply: false });
    await click(world, doomed, 'ki_approve', ref, A);
    await hold.arrived;
    await crash(doomed);
    expect(world.aws.keyStatus(keyId)).toBe('Active');

    const successor = await instance({ stale: true, env });
    expect(await successor.running.reconciled).toBe(1);

    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    // Made once, by the successor, with a session of its own (the first one was the stopped instance's).
    const sessions = world.aws.assumedRoleSessions().map((x) => x.accessKeyId);
    const applied = world.aws.calls.filter((c) => c.action === 'UpdateAccessKey');
    expect(applied).toHaveLength(1);
    expect(sessions).toContain(applied[0]!.accessKeyId);
    expect(applied[0]!.accessKeyId).not.toBe(sessions[0]);
    expect((await recordsOf(ref)).action).toMatchObject({ status: 'succeeded', target: { account: member } });
  });
});
