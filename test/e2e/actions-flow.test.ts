/**
 * Containment end to end: proposals in the thread, approvals by signed clicks, IAM changed
 * through the wire-level fake, every step in the timeline, undo offered and working.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, scanTable, startBot, startWorld, type World } from '../support/harness.js';
import { actionReached, answerTo, chooseMoreAction, click, openIncident, proposalPosted, proposals, refOf } from '../support/incident-flow.js';
import { REPLACEMENT_SECRET_ENV } from '../support/secrets.js';

const A = 'U0APPROVER';
const B = 'U0APPROVER2';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const QUARANTINE = 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3';

let world: World;
let bot: Bot;

beforeAll(async () => {
  world = await startWorld('actions-flow');
  bot = await startBot(world, { APPROVER_USER_IDS: `${A},${B}`, ...REPLACEMENT_SECRET_ENV });
});
afterEach(() => world.aws.reset());
afterAll(async () => {
  await bot.stop();
  await world.close();
});

/** A user with an admin key, its incident opened and the recommended proposals posted. */
async function adminIncident(userName: string) {
  const keyId = world.aws.keyIdFor(world.aws.botAccount);
  world.aws.user(userName).key(keyId).attach(ADMIN);
  const opened = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
  return { keyId, ...opened };
}

async function approve(ts: string, title: string, userId: string, status = 'succeeded') {
  const { ref, messageTs } = refOf(world, ts, title);
  const reached = actionReached(world, messageTs, status);
  await click(world, bot, 'ki_approve', ref, userId);
  return { ref, messageTs, update: await reached };
}

async function eventTypes(incidentId: string): Promise<string[]> {
  return (await scanTable(world.table))
    .filter((i) => i.pk === `INC#${incidentId}` && String(i.sk).startsWith('EV#'))
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
    .map((i) => String(i.type));
}

describe('reversible actions run on one approval and offer their undo', () => {
  it('disables the key, records it, and re-enables it through the undo', async () => {
    const { keyId, ts, incidentId } = await adminIncident('disable-me');
    const { ref, update } = await approve(ts, 'Disable access key', A);
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    expect(world.aws.count('UpdateAccessKey')).toBe(1);
    expect(JSON.stringify(update.params.blocks)).toContain(`Key ${keyId} disabled.`);
    expect(JSON.stringify(update.params.blocks)).toContain('ki_undo');
    expect(await eventTypes(incidentId)).toEqual(expect.arrayContaining(['action.proposed', 'action.approved', 'action.executing', 'action.succeeded']));
    const succeeded = (await scanTable(world.table)).find((i) => i.pk === `INC#${incidentId}` && i.type === 'action.succeeded');
    const requestId = world.aws.calls.find((c) => c.action === 'UpdateAccessKey')!.requestId;
    expect(succeeded).toMatchObject({ actor: 'bot', details: { kind: 'disable-key', result: 'done', requestIds: [requestId] } });
    const root = await world.slack.waitForCall('chat.update', (c) => c.params.ts === ts && JSON.stringify(c.params.blocks).includes('Key disabled by <@U0APPROVER>'));
    expect(root).toBeDefined();

    await click(world, bot, 'ki_undo', ref, A);
    await proposalPosted(world, ts, 'Re-enable access key');
    // Re-enabling re-opens the door: the first approval is only counted.
    expect(await answerTo(world, await click(world, bot, 'ki_approve', refOf(world, ts, 'Re-enable access key').ref, A))).toMatch(/1 of 2/);
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    await approve(ts, 'Re-enable access key', B);
    expect(world.aws.keyStatus(keyId)).toBe('Active');
  });

  it('revokes sessions with a dated deny policy, refreshes the cut-off on a re-run, and lifts it', async () => {
    const { ts, incidentId } = await adminIncident('revoke-me');
    const cutoff = () => {
      const doc = world.aws.userState('revoke-me')!.inlinePolicies['KeyIncidentRevokeOlderSessions'];
      return doc === undefined ? undefined : Date.parse(/"aws:TokenIssueTime":"([^"]+)"/.exec(decodeURIComponent(doc))![1]!);
    };
    await approve(ts, 'Revoke active sessions', A);
    const first = cutoff()!;
    expect(first).toBeGreaterThan(Date.now() - 60_000);
    await chooseMoreAction(world, bot, incidentId, 'revoke-sessions', A);
    await world.slack.waitFor(() => proposals(world, ts, 'Revoke active sessions').length === 2);
    await approve(ts, 'Revoke active sessions', A);
    expect(cutoff()!).toBeGreaterThan(first);
    const { ref } = refOf(world, ts, 'Revoke active sessions');
    await click(world, bot, 'ki_undo', ref, A);
    await proposalPosted(world, ts, 'Lift session revocation');
    await approve(ts, 'Lift session revocation', A);
    expect(world.aws.userState('revoke-me')!.inlinePolicies['KeyIncidentRevokeOlderSessions']).toBeUndefined();
  });

  it('attaches and detaches the AWS quarantine policy from the menu', async () => {
    const { ts, incidentId } = await adminIncident('quarantine-me');
    await chooseMoreAction(world, bot, incidentId, 'attach-quarantine', A);
    await proposalPosted(world, ts, 'Attach quarantine policy');
    const { ref } = await approve(ts, 'Attach quarantine policy', A);
    expect(world.aws.userState('quarantine-me')!.attachedPolicyArns).toContain(QUARANTINE);
    await click(world, bot, 'ki_undo', ref, A);
    await proposalPosted(world, ts, 'Detach quarantine policy');
    await approve(ts, 'Detach quarantine policy', A);
    expect(world.aws.userState('quarantine-me')!.attachedPolicyArns).not.toContain(QUARANTINE);
  });
});

describe('a replacement key', () => {
  it('goes to Secrets Manager; only the secret ARN is shown, the secret is nowhere else', async () => {
    const { ts, incidentId } = await adminIncident('replace-me');
    await chooseMoreAction(world, bot, incidentId, 'create-replacement-key', A);
    await proposalPosted(world, ts, 'Create replacement key');
    const { update } = await approve(ts, 'Create replacement key', A);
    const keys = world.aws.userState('replace-me')!.keys;
    expect(keys).toHaveLength(2);
    const fresh = keys.at(-1)!;
    const secret = world.aws.keySecret(fresh.id)!;
    expect(secret).toMatch(/^[A-Za-z0-9/+]{40}$/);
    const stored = world.aws.secretValue(`key-incident/${incidentId}/${refOf(world, ts, 'Create replacement key').ref.split(':')[1]}`);
    expect(JSON.parse(stored!)).toEqual({ accessKeyId: fresh.id, secretAccessKey: secret });
    expect(JSON.stringify(update.params.blocks)).toMatch(/arn:aws:secretsmanager:eu-west-1:\d{12}:secret:key-incident\//);
    const everywhere = [JSON.stringify(world.slack.records), bot.logs.text, JSON.stringify(await scanTable(world.table))].join('\n');
    expect(everywhere).not.toContain(secret);
  });

  it('is undone by deleting the new key (two approvers), never the exposed one', async () => {
    const { keyId, ts, incidentId } = await adminIncident('replace-undo');
    await chooseMoreAction(world, bot, incidentId, 'create-replacement-key', A);
    await proposalPosted(world, ts, 'Create replacement key');
    const { ref } = await approve(ts, 'Create replacement key', A);
    const fresh = world.aws.userState('replace-undo')!.keys.find((k) => k.id !== keyId)!;
    await click(world, bot, 'ki_undo', ref, A);
    await proposalPosted(world, ts, 'Delete access key');
    const { ref: deleteRef, messageTs } = refOf(world, ts, 'Delete access key');
    expect(world.slack.message('C0INCIDENT', messageTs)!.text).toBe(`Delete access key (${fresh.id}): proposed`);
    await click(world, bot, 'ki_approve', deleteRef, A);
    const done = actionReached(world, messageTs, 'succeeded');
    await click(world, bot, 'ki_approve', deleteRef, B);
    await done;
    expect(world.aws.keyStatus(fresh.id)).toBeUndefined();
    expect(world.aws.keyStatus(keyId)).toBe('Active');
  });
});

describe('destructive actions need two different approvers', () => {
  it('deletes the key only after a second, different approval; the same person counts once', async () => {
    const { keyId, ts, incidentId } = await adminIncident('delete-key');
    await chooseMoreAction(world, bot, incidentId, 'delete-key', A);
    await proposalPosted(world, ts, 'Delete access key');
    const { ref, messageTs } = refOf(world, ts, 'Delete access key');
    const counted = world.slack.waitForCall('chat.update', (c) => c.params.ts === messageTs && JSON.stringify(c.params.blocks).includes('1 of 2 approvals'));
    expect(JSON.stringify(world.slack.message(world.slack.messagesIn('C0INCIDENT')[0]!.channel, messageTs)?.blocks)).toContain('"confirm"');
    const first = await click(world, bot, 'ki_approve', ref, A);
    await counted;
    expect(await answerTo(world, first)).toContain('Your approval is recorded (1 of 2)');
    const again = await click(world, bot, 'ki_approve', ref, A);
    expect(await answerTo(world, again)).toContain('You already approved this');
    expect(world.aws.keyStatus(keyId)).toBe('Active');
    const done = actionReached(world, messageTs, 'succeeded');
    await click(world, bot, 'ki_approve', ref, B);
    await done;
    expect(world.aws.keyStatus(keyId)).toBeUndefined();
    expect(world.aws.count('DeleteAccessKey')).toBe(1);
  });

  it('deletes a user after removing everything IAM requires, snapshotting it first', async () => {
    const keyId = world.aws.keyIdFor(world.aws.botAccount);
    world.aws.group('ops').attach(ADMIN);
    world.aws.user('leaver').key(keyId).key().attach(ADMIN).inline('extra', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }).memberOf('ops')
      .loginProfile().signingCertificate().sshPublicKey().serviceCredential().mfa({ deviceName: 'leaver-phone' }).mfa({ hardware: true });
    const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
    await chooseMoreAction(world, bot, incidentId, 'delete-user', A);
    await proposalPosted(world, ts, 'Delete IAM user');
    const { ref, messageTs } = refOf(world, ts, 'Delete IAM user');
    await click(world, bot, 'ki_approve', ref, A);
    const done = actionReached(world, messageTs, 'succeeded');
    await click(world, bot, 'ki_approve', ref, B);
    await done;
    expect(world.aws.userExists('leaver')).toBe(false);
    expect(world.aws.count('DeleteUser')).toBe(1);
    const snapshot = (await scanTable(world.table)).find((i) => i.pk === `INC#${incidentId}` && i.type === 'action.snapshot');
    expect(snapshot).toMatchObject({ details: { snapshot: { userName: 'leaver', loginProfile: true, groupNames: ['ops'], inlinePolicyNames: ['extra'] } } });
  });
});
