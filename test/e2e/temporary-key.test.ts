/**
 * `/key-incident ASIA…`: a temporary key cannot be disabled. CloudTrail names its session (a
 * role's, or a user's and the key that minted it) and the right revocation is proposed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asiaKeyFor, assumedRole, assumeRole, cloudTrailRecord, getSessionToken, iamUser, sessionUser } from '../fakes/cloudtrail-records.js';
import { type Bot, scanTable, startBot, startWorld, type World } from '../support/harness.js';
import { actionReached, answerTo, chooseMoreAction, click, evidencePosted, proposalPosted, refOf, rootPostFor } from '../support/incident-flow.js';
import { TEST_CHANNEL } from '../support/slack-requests.js';

const A = 'U0APPROVER';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

let world: World;
let bot: Bot;

beforeAll(async () => {
  world = await startWorld('temporary-key');
  bot = await startBot(world);
});
afterEach(() => world.aws.reset());
afterAll(async () => {
  await bot.stop();
  await world.close();
});

function threadText(ts: string): string {
  return world.slack.threadOf(TEST_CHANNEL.id, ts).map((m) => JSON.stringify(m.blocks)).join('\n');
}

async function open(keyId: string): Promise<{ ts: string; incidentId: string }> {
  await bot.command(keyId);
  const root = await rootPostFor(world, keyId, TEST_CHANNEL.id);
  return { ts: String(root.result.ts), incidentId: /KI-[0-9A-F]{6}/.exec(String(root.params.text))![0] };
}

describe('a temporary key of a role session', () => {
  it('names the role, says the key cannot be disabled, and revokes the role\'s sessions on approval', async () => {
    const account = world.aws.botAccount;
    world.aws.role('ops-admin').attach('arn:aws:iam::aws:policy/AdministratorAccess');
    const parentKey = world.aws.keyIdFor(account);
    const parent = iamUser(account, 'someone', parentKey);
    const keyId = asiaKeyFor(parent);
    const issued = minutesAgo(30);
    const identity = assumedRole(account, 'ops-admin', 'maint', keyId, issued);
    world.aws.trail('us-east-1').add([
      assumeRole(parent, { time: issued, roleArn: `arn:aws:iam::${account}:role/ops-admin`, sessionName: 'maint', newAccessKeyId: keyId }),
      cloudTrailRecord({ identity, eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', time: minutesAgo(25) }),
      cloudTrailRecord({ identity, eventName: 'DescribeInstances', eventSource: 'ec2.amazonaws.com', time: minutesAgo(20) }),
    ]);

    const { ts, incidentId } = await open(keyId);
    await proposalPosted(world, ts, 'Revoke sessions of role');
    await evidencePosted(world, TEST_CHANNEL.id, ts);
    const thread = threadText(ts);
    expect(thread).toContain('Temporary key: it cannot be disabled.');
    expect(thread).toContain('role `ops-admin` (session `maint`)');
    expect(thread).toContain(`Issued by key \`${parentKey}\` via AssumeRole`);
    expect(thread).toContain('2 CloudTrail events made with it');
    expect(thread).toContain('Temporary key: revoke the sessions of role ops-admin');
    expect(world.aws.count('GetAccessKeyLastUsed')).toBe(0);

    const refused = await chooseMoreAction(world, bot, incidentId, 'disable-key', A);
    expect(await answerTo(world, refused)).toContain('cannot be disabled or deleted');

    const { ref, messageTs } = refOf(world, ts, 'Revoke sessions of role');
    const done = actionReached(world, messageTs, 'succeeded');
    await click(world, bot, 'ki_approve', ref, A);
    await done;
    const policy = world.aws.roleState('ops-admin')!.inlinePolicies['AWSRevokeOlderSessions'];
    expect(decodeURIComponent(policy!)).toMatch(/"aws:TokenIssueTime":"20\d\d-/);
    const events = (await scanTable(world.table)).filter((i) => i.pk === `INC#${incidentId}`).map((i) => i.type);
    expect(events).toEqual(expect.arrayContaining(['assessment.session', 'action.succeeded']));

    await click(world, bot, 'ki_undo', ref, A);
    await proposalPosted(world, ts, 'Lift role session revocation');
    const lift = refOf(world, ts, 'Lift role session revocation');
    const lifted = actionReached(world, lift.messageTs, 'succeeded');
    await click(world, bot, 'ki_approve', lift.ref, A);
    await lifted;
    expect(world.aws.roleState('ops-admin')!.inlinePolicies['AWSRevokeOlderSessions']).toBeUndefined();
  });
});

describe('a temporary key of a user session', () => {
  it('finds the key that minted it, names it, reads the user\'s access and proposes revoking the user\'s sessions', async () => {
    const account = world.aws.botAccount;
    const parent = world.aws.keyIdFor(account);
    world.aws.user('dev').key(parent).attach('arn:aws:iam::aws:policy/ReadOnlyAccess');
    const user = iamUser(account, 'dev', parent);
    const keyId = asiaKeyFor(user);
    world.aws.trail('us-east-1').add([
      getSessionToken(user, { time: minutesAgo(40), newAccessKeyId: keyId }),
      cloudTrailRecord({ identity: sessionUser(account, 'dev', keyId, minutesAgo(40)), eventName: 'ListUsers', eventSource: 'iam.amazonaws.com', time: minutesAgo(35) }),
    ]);

    const { ts } = await open(keyId);
    await proposalPosted(world, ts, 'Revoke active sessions');
    await evidencePosted(world, TEST_CHANNEL.id, ts);
    const thread = threadText(ts);
    expect(thread).toContain('IAM user `dev`');
    expect(thread).toContain(`Issued by key \`${parent}\` via GetSessionToken`);
    expect(thread).toContain(`/key-incident ${parent}`);
    expect(thread).toContain('read-only');
  });

  it('says clearly when CloudTrail shows no use of the key, and keeps the incident open', async () => {
    const keyId = asiaKeyFor(iamUser(world.aws.botAccount, 'ghost', world.aws.keyIdFor(world.aws.botAccount)));
    const { ts, incidentId } = await open(keyId);
    const problem = await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === ts && String(c.params.text).includes('NotSeenInCloudTrail'));
    expect(JSON.stringify(problem.params.blocks)).toContain('No CloudTrail event made with');
    const meta = (await scanTable(world.table)).find((i) => i.pk === `INC#${incidentId}` && i.sk === 'META');
    expect(meta).toMatchObject({ status: 'open' });
  });
});
