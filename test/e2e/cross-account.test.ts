/**
 * Keys of other accounts, end to end: the bot assumes the member-account role there (with an
 * external id) and assesses, contains, stores the replacement secret and reviews CloudTrail in
 * that account; without the role it says exactly what to deploy, and `assess` starts over once
 * it is there. An account outside the organization and ALLOWED_ACCOUNT_IDS is never assumed,
 * even when someone made a role of the right name there that trusts the bot. The fake STS
 * issues real session keys, so every IAM call shows which account it acted in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asiaKeyFor, assumedRole, assumeRole, cloudTrailRecord, iamUser } from '../fakes/cloudtrail-records.js';
import { DEFAULT_BOT_ACCOUNT, trustAccount } from '../fakes/fake-aws.js';
import { type Bot, startBot, startWorld, type World } from '../support/harness.js';
import {
  actionReached, answerTo, chooseMoreAction, click, finalRootUpdate, openIncident, proposalPosted, proposals, refOf, storedAction, timeline,
} from '../support/incident-flow.js';
import { TEST_CHANNEL } from '../support/slack-requests.js';
import { REPLACEMENT_SECRET_ENV } from '../support/secrets.js';

const A = 'U0APPROVER';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const BOT_ROLE = 'key-incident-BotRole-TEST';
const BOT_ARN = `arn:aws:sts::${DEFAULT_BOT_ACCOUNT}:assumed-role/${BOT_ROLE}/task-1`;
const BOT_ROLE_ARN = `arn:aws:iam::${DEFAULT_BOT_ACCOUNT}:role/${BOT_ROLE}`;
const ROLE = 'KeyIncidentResponder';
const EXTERNAL_ID = 'ki-external-7f3a';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

let world: World;
let bot: Bot;

beforeAll(async () => {
  world = await startWorld('cross-account', { botArn: BOT_ARN });
  // The bot's account manages the organization, so it can name member accounts.
  world.aws.organization({
    managementAccount: DEFAULT_BOT_ACCOUNT,
    accounts: [
      ...['444455556666', '555566667777'].map((id) => ({ id, name: `Workloads ${id.slice(0, 4)}`, email: `aws+${id}@example.com` })),
      { id: '888899990000', name: 'Sandbox <legacy>', email: 'aws+sandbox@example.com' },
      { id: '121212121212', name: 'Closed', email: 'aws+closed@example.com', status: 'SUSPENDED' },
    ],
  });
  // Two accounts outside the organization the bot may act in all the same.
  bot = await startBot(world, { CROSS_ACCOUNT_ROLE_NAME: ROLE, CROSS_ACCOUNT_EXTERNAL_ID: EXTERNAL_ID, ALLOWED_ACCOUNT_IDS: '666677778888,777788889999', ...REPLACEMENT_SECRET_ENV });
});
afterAll(async () => {
  await bot.stop();
  await world.close();
});

/** The member-account role, trusting the bot's role with the external id, as the template deploys it. */
function deployRole(account: string): void {
  world.aws.account(account).role(ROLE, { trust: trustAccount(BOT_ROLE_ARN, { externalId: EXTERNAL_ID }) });
}

/** A key of `account` held by `userName` with `policy`; a user of the same name in the bot's account as a decoy. */
function memberKey(account: string, userName: string, policy: string, lastUsedMinutes = 600): { keyId: string; decoyKeyId: string } {
  const keyId = world.aws.keyIdFor(account);
  world.aws.account(account).user(userName).key(keyId, { lastUsed: { at: minutesAgo(lastUsedMinutes), service: 's3', region: 'eu-west-1' } }).attach(policy);
  const decoyKeyId = world.aws.keyIdFor(world.aws.botAccount);
  world.aws.user(userName).key(decoyKeyId);
  return { keyId, decoyKeyId };
}

function threadTexts(ts: string): string[] {
  return world.slack.threadOf(TEST_CHANNEL.id, ts).filter((m) => m.threadTs === ts).map((m) => JSON.stringify(m.blocks));
}

async function say(text: string, user = A): Promise<string> {
  const id = `r-${Math.random().toString(36).slice(2)}`;
  await bot.command(text, { user_id: user, response_url: world.slack.responseUrl(id) });
  return JSON.stringify((await world.slack.waitForResponse((r) => r.id === id)).body);
}

async function approve(ts: string, title: string): Promise<void> {
  const { ref, messageTs } = refOf(world, ts, title);
  const reached = actionReached(world, messageTs, 'succeeded');
  await click(world, bot, 'ki_approve', ref, A);
  await reached;
}

/** The role sessions the bot took in `account`. */
const sessionsIn = (account: string) => world.aws.assumedRoleSessions().filter((s) => s.roleArn === `arn:aws:iam::${account}:role/${ROLE}`);

describe('a key of a member account with the role deployed', () => {
  it('is assessed, contained and reviewed in that account through one role session', async () => {
    const member = '444455556666';
    deployRole(member);
    const { keyId, decoyKeyId } = memberKey(member, 'member-ci', ADMIN);
    world.aws.trail('us-east-1', member).add([cloudTrailRecord({
      identity: iamUser(member, 'member-ci', keyId), eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', time: minutesAgo(20),
      requestParameters: { userName: 'backdoor' }, responseElements: { user: { userName: 'backdoor', arn: `arn:aws:iam::${member}:user/backdoor` } },
    })]);

    const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
    const thread = threadTexts(ts);
    expect(thread[0]).toContain(`through its role \`arn:aws:iam::${member}:role/${ROLE}\``);
    expect(thread[0]).toContain('Organizations names it *Workloads 4444*');
    expect(thread[1]).toContain('member-ci');

    await approve(ts, 'Disable access key');
    await approve(ts, 'Revoke active sessions');
    // The review found what the key did in the member account's CloudTrail and proposes the clean-up there.
    await proposalPosted(world, ts, 'Delete IAM user');

    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    expect(world.aws.keyStatus(decoyKeyId)).toBe('Active');
    expect(Object.keys(world.aws.userState('member-ci', member)!.inlinePolicies)).toEqual(['KeyIncidentRevokeOlderSessions']);
    expect(Object.keys(world.aws.userState('member-ci')!.inlinePolicies)).toEqual([]);

    // One session, with the external id, under the bot's session name, reused for every call.
    const sessions = sessionsIn(member);
    expect(sessions).toEqual([expect.objectContaining({ sessionName: 'key-incident', externalId: EXTERNAL_ID, callerArn: BOT_ARN })]);
    const writes = world.aws.calls.filter((c) => c.action === 'UpdateAccessKey' || c.action === 'PutUserPolicy');
    expect(writes.map((c) => c.accessKeyId)).toEqual([sessions[0]!.accessKeyId, sessions[0]!.accessKeyId]);
    const reads = world.aws.calls.filter((c) => c.action === 'GetAccessKeyLastUsed' || c.action === 'LookupEvents');
    expect(reads.length).toBeGreaterThan(1);
    expect(reads.every((c) => c.accessKeyId === sessions[0]!.accessKeyId)).toBe(true);

    const { ref } = refOf(world, ts, 'Delete IAM user');
    expect(await storedAction(world, ref)).toMatchObject({ target: { userName: 'backdoor', account: member } });
    const account = (await timeline(world, incidentId)).find((e) => e.type === 'assessment.account');
    expect(account).toMatchObject({ details: { accountId: member, sameAccount: false, reach: { kind: 'role', roleArn: `arn:aws:iam::${member}:role/${ROLE}` } } });
  });

  it('stores a replacement key\'s secret in that account\'s Secrets Manager', async () => {
    const member = '666677778888';
    deployRole(member);
    const { keyId } = memberKey(member, 'member-reporting', READ_ONLY, 5);
    const { ts, incidentId } = await openIncident(world, bot, keyId, ['Create replacement key']);
    const { ref } = refOf(world, ts, 'Create replacement key');
    await approve(ts, 'Create replacement key');

    const name = `key-incident/${incidentId}/${ref.split(':')[1]}`;
    expect(world.aws.secret(name, { account: member })).toBeDefined();
    expect(world.aws.secret(name, { account: world.aws.botAccount })).toBeUndefined();
    const newKey = JSON.parse(world.aws.secretValue(name, { account: member })!) as { accessKeyId: string };
    expect(world.aws.userState('member-reporting', member)!.keys.map((k) => k.id)).toContain(newKey.accessKeyId);
  });
});

describe('a temporary key of a member account', () => {
  it('finds its role session in that account\'s CloudTrail and revokes the role\'s sessions there', async () => {
    const member = '777788889999';
    deployRole(member);
    world.aws.account(member).role('ops-admin').attach(ADMIN);
    world.aws.role('ops-admin');
    const parent = iamUser(member, 'someone', world.aws.keyIdFor(member));
    const keyId = asiaKeyFor(parent);
    const identity = assumedRole(member, 'ops-admin', 'maint', keyId, minutesAgo(30));
    world.aws.trail('us-east-1', member).add([
      assumeRole(parent, { time: minutesAgo(30), roleArn: `arn:aws:iam::${member}:role/ops-admin`, sessionName: 'maint', newAccessKeyId: keyId }),
      cloudTrailRecord({ identity, eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', time: minutesAgo(25) }),
    ]);

    await bot.command(keyId);
    const root = await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === undefined && String(c.params.text).includes(keyId));
    const ts = String(root.result.ts);
    await proposalPosted(world, ts, 'Revoke sessions of role');
    expect(threadTexts(ts).join('\n')).toContain('role `ops-admin` (session `maint`)');
    await approve(ts, 'Revoke sessions of role');

    expect(world.aws.roleState('ops-admin', member)!.inlinePolicies['AWSRevokeOlderSessions']).toBeDefined();
    expect(world.aws.roleState('ops-admin')!.inlinePolicies['AWSRevokeOlderSessions']).toBeUndefined();
  });
});

describe('a key of a member account without the role', () => {
  it('says what to deploy, acts nowhere, and assesses again once the role is there', async () => {
    const member = '555566667777';
    const { keyId } = memberKey(member, 'legacy-ci', ADMIN);
    await bot.command(keyId);
    const root = await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === undefined && String(c.params.text).includes(keyId));
    const ts = String(root.result.ts);
    const incidentId = /KI-[0-9A-F]{6}/.exec(String(root.params.text))![0];
    const final = await finalRootUpdate(world, TEST_CHANNEL.id, incidentId);

    expect(final.params.text).toContain(`Key of another account (${member}): disable it there`);
    const advice = threadTexts(ts)[0]!;
    expect(advice).toContain(`could not assume arn:aws:iam::${member}:role/${ROLE} (AccessDenied)`);
    expect(advice).toContain(`--parameter-overrides BotAccountId=${DEFAULT_BOT_ACCOUNT} BotRoleName=${BOT_ROLE} RoleName=${ROLE} ExternalId=&lt;value of CROSS_ACCOUNT_EXTERNAL_ID&gt;`);
    expect(advice).toContain(`/key-incident assess ${incidentId}`);
    expect(advice).not.toContain(EXTERNAL_ID);
    expect(world.aws.calls.filter((c) => c.action === 'GetAccessKeyLastUsed' && c.params.AccessKeyId === keyId)).toHaveLength(0);

    // Nothing can be done there: actions and the review say why instead of acting in the bot's account.
    const menu = await chooseMoreAction(world, bot, incidentId, 'disable-key', A);
    expect(await answerTo(world, menu)).toContain(`where the bot cannot act: deploy its member-account role there`);
    expect(await say(`review ${incidentId}`)).toContain('could not assume');
    expect(proposals(world, ts, 'Disable access key')).toHaveLength(0);

    // Deployed: while one assessment runs a second is refused, then the first completes through the role.
    deployRole(member);
    const hold = world.aws.hold('GetAccessKeyLastUsed', { apply: false });
    expect(await say(`assess ${incidentId}`)).toContain('Assessing');
    await hold.arrived;
    expect(await say(`assess ${keyId}`)).toContain('is being assessed right now');
    hold.release();
    await proposalPosted(world, ts, 'Disable access key');

    const events = await timeline(world, incidentId);
    expect(events.filter((e) => e.type === 'assessment.restarted')).toEqual([expect.objectContaining({ actor: A })]);
    expect(events.filter((e) => e.type === 'assessment.account').map((e) => (e.details as { reach: { kind: string } }).reach.kind).sort()).toEqual(['refused', 'role']);
    const attempts = world.aws.calls.filter((c) => c.action === 'AssumeRole' && c.params.RoleArn === `arn:aws:iam::${member}:role/${ROLE}`);
    expect(attempts.map((c) => c.status)).toEqual(expect.arrayContaining([403, 200]));
    expect(sessionsIn(member)).toHaveLength(1);
  });

  it('names an account the organization does not hold, and assumes nothing there though a role of the right name trusts the bot', async () => {
    const stranger = '999988887777';
    // An outsider made the role the thread names, trusting the bot, and fed it a key and a trail.
    world.aws.account(stranger).role(ROLE, { trust: trustAccount(BOT_ROLE_ARN, { externalId: EXTERNAL_ID }) });
    const { keyId } = memberKey(stranger, 'bait', ADMIN);
    world.aws.trail('us-east-1', stranger).add([cloudTrailRecord({
      identity: iamUser(stranger, 'bait', keyId), eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', time: minutesAgo(20),
      requestParameters: { userName: 'prod-admin' }, responseElements: { user: { userName: 'prod-admin', arn: `arn:aws:iam::${stranger}:user/prod-admin` } },
    })]);
    await bot.command(keyId);
    const root = await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === undefined && String(c.params.text).includes(keyId));
    const ts = String(root.result.ts);
    const incidentId = /KI-[0-9A-F]{6}/.exec(String(root.params.text))![0];
    const final = await finalRootUpdate(world, TEST_CHANNEL.id, incidentId);
    expect(JSON.stringify(final.params.blocks)).toContain('not an account of your organization');
    const thread = threadTexts(ts)[0]!;
    expect(thread).toContain('*not an account of your organization*');
    expect(thread).toContain(`Account ${stranger} is not in your organization and not in ALLOWED_ACCOUNT_IDS: the bot will not assume a role there.`);
    expect(thread).not.toContain('aws cloudformation deploy');

    // Nothing is proposed, reviewed or assumed there; the incident still takes notes.
    const menu = await chooseMoreAction(world, bot, incidentId, 'disable-key', A);
    const refusal = await answerTo(world, menu);
    expect(refusal).toContain('nor in ALLOWED_ACCOUNT_IDS: the bot does not act there');
    expect(refusal).not.toContain('deploy');
    expect(await say(`review ${incidentId}`)).toContain('the bot will not assume a role there');
    expect(await say(`note ${incidentId} called the account owner`)).not.toContain('resolved');
    expect(proposals(world, ts, 'Disable access key')).toHaveLength(0);
    expect(world.aws.calls.filter((c) => c.action === 'AssumeRole' && String(c.params.RoleArn).includes(stranger))).toEqual([]);
    expect(sessionsIn(stranger)).toEqual([]);
    expect(world.aws.calls.filter((c) => (c.action === 'LookupEvents' || c.action === 'GetAccessKeyLastUsed') && JSON.stringify(c.params).includes(keyId))).toEqual([]);
    const events = await timeline(world, incidentId);
    expect(events.find((e) => e.type === 'assessment.account')).toMatchObject({ details: { accountId: stranger, organization: { member: false }, reach: { kind: 'not-allowed' } } });
    expect(events.filter((e) => e.type === 'note.added')).toHaveLength(1);
  });
});

describe('/key-incident accounts', () => {
  it('tells approvers which active accounts of the organization the bot can respond in, and refuses others', async () => {
    expect(await say('accounts', 'U0SOMEONE')).toContain('Only the approvers named in APPROVER_USER_IDS can list the organization’s accounts');
    const before = world.aws.count('AssumeRole');

    const answer = await say('accounts');
    expect(answer).toContain('*5 accounts in the organization.* The bot can respond in 3: its own and 2 through `KeyIncidentResponder`.');
    expect(answer).toContain('*Not covered (1):*');
    expect(answer).toContain('`888899990000` Sandbox &lt;legacy&gt; — AccessDenied');
    expect(answer).toContain('1 suspended or closing account not checked.');
    // Sessions already held are reused; only the uncovered account is asked, and never the suspended one.
    const asked = world.aws.calls.filter((c) => c.action === 'AssumeRole').slice(before).map((c) => c.params.RoleArn);
    expect(asked).toEqual([`arn:aws:iam::888899990000:role/${ROLE}`]);
  });
});
