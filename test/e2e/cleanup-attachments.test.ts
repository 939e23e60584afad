/**
 * Removing a policy attachment the review found, end to end: `AttachRolePolicy` succeeds on a
 * pair already attached, so a call of the key does not show the attachment is the attacker's.
 * A pre-existing attachment takes two distinct approvers; one of a role the key created, one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailRecord, iamUser } from '../fakes/cloudtrail-records.js';
import { type Bot, startBot, startWorld, type World } from '../support/harness.js';
import { TEST_CHANNEL } from '../support/slack-requests.js';
import { actionReached, answerTo, click, openIncident, proposalPosted, refOf, storedAction, timeline } from '../support/incident-flow.js';

const A = 'U0APPROVER';
const B = 'U0APPROVER2';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const S3_FULL = 'arn:aws:iam::aws:policy/AmazonS3FullAccess';
const DETACH = 'Detach policy from role';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

let world: World;
let bot: Bot;

beforeAll(async () => {
  world = await startWorld('cleanup-attachments');
  bot = await startBot(world, { APPROVER_USER_IDS: `${A},${B}` });
});
afterAll(async () => {
  await bot?.stop();
  await world?.close();
});

/** An admin key of `userName` whose CloudTrail holds `calls` (IAM name, request, response), then its incident and the detach proposal. */
async function reviewedIncident(userName: string, calls: ReadonlyArray<[string, Record<string, unknown>, Record<string, unknown>?]>) {
  const account = world.aws.botAccount;
  const keyId = world.aws.keyIdFor(account);
  world.aws.user(userName).key(keyId, { lastUsed: { at: minutesAgo(5), service: 'iam', region: 'us-east-1' } }).attach(ADMIN);
  const identity = iamUser(account, userName, keyId);
  world.aws.trail('us-east-1').add(calls.map(([eventName, requestParameters, responseElements], i) =>
    cloudTrailRecord({ identity, eventName, eventSource: 'iam.amazonaws.com', time: minutesAgo(30 - i), requestParameters, responseElements: responseElements ?? null })));
  const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
  await proposalPosted(world, ts, DETACH, 30_000);
  const { ref, messageTs } = refOf(world, ts, DETACH);
  const blocks = JSON.stringify(world.slack.threadOf(TEST_CHANNEL.id, ts).find((m) => m.ts === messageTs)!.blocks);
  return { incidentId, ref, messageTs, blocks };
}

const detachCalls = () => world.aws.calls.filter((c) => c.action === 'DetachRolePolicy').length;

describe('detaching a policy the key’s CloudTrail attached', () => {
  it('asks two approvers for an attachment that was already there: one approval does not detach, a second approver does', async () => {
    world.aws.role('prod-app').attach(S3_FULL);
    const { incidentId, ref, messageTs, blocks } = await reviewedIncident('ci-prod', [['AttachRolePolicy', { roleName: 'prod-app', policyArn: S3_FULL }]]);

    expect(blocks).toContain('This policy may have been attached before the incident: two approvers needed.');
    expect(blocks).toContain('Needs 2 approvals from different approvers');
    const before = detachCalls();
    expect(await answerTo(world, await click(world, bot, 'ki_approve', ref, A))).toContain('1 of 2');
    expect(await storedAction(world, ref)).toMatchObject({ status: 'proposed', approvalsRequired: 2, attachment: { known: 'age-unknown' } });
    expect(world.aws.roleState('prod-app')!.attachedPolicyArns).toEqual([S3_FULL]);
    expect(detachCalls()).toBe(before);

    const detached = actionReached(world, messageTs, 'succeeded');
    await click(world, bot, 'ki_approve', ref, B);
    await detached;
    expect(world.aws.roleState('prod-app')!.attachedPolicyArns).toEqual([]);
    const approved = (await timeline(world, incidentId)).find((e) => e.type === 'action.approved');
    expect(approved).toMatchObject({ details: { approvers: [A, B], of: 2 } });
  });

  it('asks one approver to detach a policy from a role the key created', async () => {
    world.aws.role('evil-role').attach(S3_FULL);
    const arn = `arn:aws:iam::${world.aws.botAccount}:role/evil-role`;
    const { ref, messageTs, blocks } = await reviewedIncident('ci-evil', [
      ['CreateRole', { roleName: 'evil-role' }, { role: { roleName: 'evil-role', arn, path: '/' } }],
      ['AttachRolePolicy', { roleName: 'evil-role', policyArn: S3_FULL }],
    ]);

    expect(blocks).toContain('The exposed key created this role');
    expect(blocks).toContain('Needs 1 approval');
    const detached = actionReached(world, messageTs, 'succeeded');
    await click(world, bot, 'ki_approve', ref, A);
    await detached;
    expect(world.aws.roleState('evil-role')!.attachedPolicyArns).toEqual([]);
    expect(await storedAction(world, ref)).toMatchObject({ approvalsRequired: 1, attachment: { known: 'created-by-key', entity: 'role', name: 'evil-role' } });
  });
});
