/**
 * The CloudTrail review end to end: a realistic compromise in the fake CloudTrail (recon,
 * GetSessionToken and AssumeRole with activity under the temporary keys, persistence,
 * spend in another region), reviewed right after the assessment and again on request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assumedRole, accessDenied, assumeRole, asiaKeyFor, cloudTrailRecord, getSessionToken, history, iamUser, sessionUser, ATTACKER_IP } from '../fakes/cloudtrail-records.js';
import type { ApiCallRecord } from '../fakes/fake-slack.js';
import { APPROVER, type Bot, scanTable, startBot, startWorld, type World } from '../support/harness.js';
import { actionReached, click, openIncident, proposalPosted, proposals, refOf } from '../support/incident-flow.js';
import { TEST_CHANNEL } from '../support/slack-requests.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

let world: World;
let bot: Bot;

beforeAll(async () => {
  world = await startWorld('review');
  bot = await startBot(world, { APPROVER_USER_IDS: `${APPROVER},U0APPROVER2` });
});
afterAll(async () => {
  await bot.stop();
  await world.close();
});

/** Loads the compromise of `keyId` (owned by `userName`) into the fake CloudTrail. */
function seedCompromise(keyId: string, userName: string) {
  const account = world.aws.botAccount;
  const user = iamUser(account, userName, keyId);
  const sessionKey = asiaKeyFor(user);
  const roleKey = asiaKeyFor(user);
  const session = sessionUser(account, userName, sessionKey, minutesAgo(50));
  const role = assumedRole(account, 'ops-admin', 'maint', roleKey, minutesAgo(40));
  const recon = Array.from({ length: 12 }, (_, i) => accessDenied(user, { time: new Date(minutesAgo(60).getTime() + i * 1000), eventName: 'ListSecrets', eventSource: 'secretsmanager.amazonaws.com' }));
  world.aws.trail('us-east-1').add([
    ...recon,
    getSessionToken(user, { time: minutesAgo(50), newAccessKeyId: sessionKey }),
    cloudTrailRecord({ identity: session, eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', time: minutesAgo(45), requestParameters: { userName: 'backup-admin' }, responseElements: { user: { userName: 'backup-admin', arn: `arn:aws:iam::${account}:user/backup-admin` } } }),
    cloudTrailRecord({ identity: session, eventName: 'CreateAccessKey', eventSource: 'iam.amazonaws.com', time: minutesAgo(44), requestParameters: { userName: 'backup-admin' }, responseElements: { accessKey: { userName: 'backup-admin', accessKeyId: 'AKIABACKUPADMIN2ABCD', status: 'Active' } } }),
    cloudTrailRecord({ identity: session, eventName: 'CreateLoginProfile', eventSource: 'iam.amazonaws.com', time: minutesAgo(43), requestParameters: { userName: 'backup-admin', passwordResetRequired: false } }),
    cloudTrailRecord({ identity: session, eventName: 'AttachUserPolicy', eventSource: 'iam.amazonaws.com', time: minutesAgo(42), requestParameters: { userName: 'backup-admin', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
    assumeRole(session, { time: minutesAgo(40), roleArn: `arn:aws:iam::${account}:role/ops-admin`, sessionName: 'maint', newAccessKeyId: roleKey }),
    cloudTrailRecord({ identity: role, eventName: 'AttachRolePolicy', eventSource: 'iam.amazonaws.com', time: minutesAgo(39), requestParameters: { roleName: 'ops-admin', policyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' } }),
    cloudTrailRecord({ identity: role, eventName: 'PutRolePolicy', eventSource: 'iam.amazonaws.com', time: minutesAgo(38), requestParameters: { roleName: 'ops-admin', policyName: 'backdoor', policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' } }),
    cloudTrailRecord({ identity: role, eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', time: minutesAgo(35), requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${account}:trail/main` } }),
  ]);
  world.aws.trail('eu-west-1').add([
    cloudTrailRecord({
      identity: user, eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com', time: minutesAgo(30), region: 'eu-west-1',
      requestParameters: { instanceType: 'p3.16xlarge', instancesSet: { items: [{ imageId: 'ami-0abcdef1234567890', minCount: 3, maxCount: 3 }] } },
      responseElements: { instancesSet: { items: [{ instanceId: 'i-0aaa1111', instanceType: 'p3.16xlarge' }, { instanceId: 'i-0bbb2222', instanceType: 'p3.16xlarge' }, { instanceId: 'i-0ccc3333', instanceType: 'p3.16xlarge' }] } },
    }),
  ]);
  return { sessionKey, roleKey };
}

function reviewPosted(ts: string, after = 0): Promise<ApiCallRecord> {
  return world.slack.waitFor((r) => r.kind === 'api' && r.seq > after && r.method === 'chat.postMessage' && r.params.thread_ts === ts && String(r.params.text).startsWith('CloudTrail review:'), { timeoutMs: 30_000 }) as Promise<ApiCallRecord>;
}

describe('reviewing what the key and its sessions did', () => {
  it('follows the temporary keys, flags persistence, evasion and spend, and records the verdict', async () => {
    const keyId = world.aws.keyIdFor(world.aws.botAccount);
    world.aws.user('ci-deployer').key(keyId, { lastUsed: { at: minutesAgo(30), service: 'ec2', region: 'eu-west-1' } }).attach(ADMIN);
    world.aws.user('backup-admin').loginProfile().attach(ADMIN);
    world.aws.role('ops-admin').attach('arn:aws:iam::aws:policy/IAMFullAccess').inline('backdoor', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const { sessionKey, roleKey } = seedCompromise(keyId, 'ci-deployer');

    const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
    const summary = await reviewPosted(ts);
    await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === ts && String(c.params.text) === '8 CloudTrail findings', { timeoutMs: 15_000 });
    const thread = world.slack.threadOf(TEST_CHANNEL.id, ts).map((m) => JSON.stringify(m.blocks)).join('\n');

    expect(String(summary.params.text)).toContain('CloudTrail review: 6 persistence findings');
    expect(String(summary.params.text)).toContain('2 temporary sessions');
    expect(thread).toContain(sessionKey);
    expect(thread).toContain(roleKey);
    expect(thread).toContain('backup-admin');
    expect(thread).toContain('AKIABACKUPADMIN2ABCD');
    expect(thread).toContain('Stopped CloudTrail logging');
    expect(thread).toContain('aws ec2 terminate-instances --region eu-west-1 --instance-ids i-0aaa1111 i-0bbb2222 i-0ccc3333');
    expect(thread).toContain('p3.16xlarge');
    expect(thread).toContain(ATTACKER_IP);
    expect(thread).toMatch(/12 denied calls in us-east-1/);

    // Every key in both regions (eu-west-1 where it was last used, us-east-1 for global calls), never throttled.
    const lookups = world.aws.calls.filter((c) => c.action === 'LookupEvents');
    const scanned = new Set(lookups.map((c) => `${c.region}:${JSON.stringify(c.params).match(/(A[KS]IA[A-Z2-7]{16})/)?.[1]}`));
    for (const k of [keyId, sessionKey, roleKey]) for (const r of ['eu-west-1', 'us-east-1']) expect(scanned).toContain(`${r}:${k}`);
    expect(world.aws.trail('us-east-1').throttled + world.aws.trail('eu-west-1').throttled).toBe(0);

    const items = await scanTable(world.table);
    const mine = items.filter((i) => i.pk === `INC#${incidentId}`);
    const findings = mine.filter((i) => i.type === 'review.finding');
    expect(findings.map((f) => (f.details as { eventName: string }).eventName).sort()).toEqual(['AttachRolePolicy', 'AttachUserPolicy', 'CreateAccessKey', 'CreateLoginProfile', 'CreateUser', 'PutRolePolicy', 'RunInstances', 'StopLogging']);
    expect(findings.every((f) => /^[0-9a-f-]{36}$/.test(String((f.details as { eventId: string }).eventId)))).toBe(true);
    expect(mine.find((i) => i.type === 'review.completed')).toMatchObject({ details: { days: 7, regions: ['eu-west-1', 'us-east-1'], keysScanned: 3, findings: 8 } });
    const meta = mine.find((i) => i.sk === 'META') as { review: { status: string; verdict: string } };
    expect(meta.review).toMatchObject({ status: 'done', verdict: String(summary.params.text).replace('CloudTrail review: ', '') });
    // The role the key's session reached gets its own revocation (it also cuts legitimate sessions).
    await proposalPosted(world, ts, 'Revoke sessions of role');
    expect(proposals(world, ts, 'Revoke sessions of role')[0]!.text).toBe('Revoke sessions of role (ops-admin): proposed');
    // What the attacker created is proposed for deletion through the two-approver flow.
    await proposalPosted(world, ts, 'Delete access key');
    await proposalPosted(world, ts, 'Delete IAM user');
    expect(proposals(world, ts, 'Delete access key')[0]!.text).toBe('Delete access key (AKIABACKUPADMIN2ABCD): proposed');
    expect(proposals(world, ts, 'Delete IAM user')[0]!.text).toBe('Delete IAM user (backup-admin): proposed');
    for (const [title, name] of [['Delete console password', 'backup-admin'], ['Detach policy from user', 'backup-admin'], ['Delete inline policy of role', 'ops-admin'], ['Detach policy from role', 'ops-admin']] as const) {
      await proposalPosted(world, ts, title);
      expect(proposals(world, ts, title)[0]!.text).toBe(`${title} (${name}): proposed`);
    }
    // The backdoor policy is removed on two approvals, its document kept in the timeline.
    const { ref, messageTs } = refOf(world, ts, 'Delete inline policy of role');
    await click(world, bot, 'ki_approve', ref, APPROVER);
    const removed = actionReached(world, messageTs, 'succeeded');
    await click(world, bot, 'ki_approve', ref, 'U0APPROVER2');
    await removed;
    expect(world.aws.roleState('ops-admin')!.inlinePolicies['backdoor']).toBeUndefined();
    const snapshot = (await scanTable(world.table)).find((i) => i.pk === `INC#${incidentId}` && i.type === 'action.snapshot');
    expect(snapshot).toMatchObject({ details: { snapshot: { role: 'ops-admin', policyName: 'backdoor', document: { Statement: [{ Action: '*' }] } } } });
    // The attacker's user (the key created it) loses its policy on one approval, its console password on two.
    const detach = refOf(world, ts, 'Detach policy from user');
    const detached = actionReached(world, detach.messageTs, 'succeeded');
    await click(world, bot, 'ki_approve', detach.ref, APPROVER);
    await detached;
    const password = refOf(world, ts, 'Delete console password');
    await click(world, bot, 'ki_approve', password.ref, APPROVER);
    const deleted = actionReached(world, password.messageTs, 'succeeded');
    await click(world, bot, 'ki_approve', password.ref, 'U0APPROVER2');
    await deleted;
    expect(world.aws.userState('backup-admin')).toMatchObject({ attachedPolicyArns: [], loginProfile: false });
    // ops-admin existed before: its attachment may predate the incident, so two approvers.
    const roleDetach = refOf(world, ts, 'Detach policy from role');
    await click(world, bot, 'ki_approve', roleDetach.ref, APPROVER);
    const roleDetached = actionReached(world, roleDetach.messageTs, 'succeeded');
    await click(world, bot, 'ki_approve', roleDetach.ref, 'U0APPROVER2');
    await roleDetached;
    expect(world.aws.roleState('ops-admin')!.attachedPolicyArns).toEqual([]);
    const root = await world.slack.waitForCall('chat.update', (c) => c.params.ts === ts && JSON.stringify(c.params.blocks).includes('CloudTrail review (last 7 days):* 6 persistence'), { timeoutMs: 15_000 });
    expect(JSON.stringify(root.params.blocks)).toContain('1 spend finding');
  });

  it('reviews again over a wider window on request', async () => {
    const keyId = world.aws.keyIdFor(world.aws.botAccount);
    world.aws.user('again').key(keyId).attach(ADMIN);
    const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
    const first = await reviewPosted(ts);
    world.aws.trail('us-east-1').add([cloudTrailRecord({ identity: iamUser(world.aws.botAccount, 'again', keyId), eventName: 'CreateLoginProfile', eventSource: 'iam.amazonaws.com', time: new Date(Date.now() - 20 * 24 * 3600_000), requestParameters: { userName: 'again' } })]);
    const res = await bot.command(`review ${incidentId} 30`, { response_url: world.slack.responseUrl('review-again') });
    expect(res.status).toBe(200);
    expect(JSON.stringify((await world.slack.waitForResponse((r) => r.id === 'review-again')).body)).toContain('last 30 days');
    const second = await reviewPosted(ts, first.seq);
    expect(String(second.params.text)).toContain('1 persistence finding');
    const completed = (await scanTable(world.table)).filter((i) => i.pk === `INC#${incidentId}` && i.type === 'review.completed');
    expect(completed.map((c) => (c.details as { days: number }).days)).toEqual([7, 30]);
  });

  it('refuses a second review while one runs, without announcing it as started', async () => {
    const keyId = world.aws.keyIdFor(world.aws.botAccount);
    world.aws.user('twice').key(keyId).attach(ADMIN);
    const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
    const first = await reviewPosted(ts);
    const hold = world.aws.hold('LookupEvents', { apply: false });
    await bot.command(`review ${incidentId}`, { response_url: world.slack.responseUrl('review-1') });
    await hold.arrived;
    await bot.command(`review ${incidentId}`, { response_url: world.slack.responseUrl('review-2') });
    const answers = async (id: string) => {
      await world.slack.waitForResponse((r) => r.id === id);
      return world.slack.responses(id).map((r) => JSON.stringify(r.body));
    };
    expect(await answers('review-1')).toEqual([expect.stringContaining('Reviewing CloudTrail')]);
    const second = await answers('review-2');
    expect(second).toEqual([expect.stringContaining('is already running')]);
    hold.release();
    await reviewPosted(ts, first.seq);
  });

  it('reads a large history in three regions at the rate limit, riding out throttling without losing a page', async () => {
    const keyId = world.aws.keyIdFor(world.aws.botAccount);
    world.aws.user('busy').key(keyId, { lastUsed: { at: minutesAgo(5), service: 's3', region: 'ap-southeast-2' } }).attach(ADMIN);
    const user = iamUser(world.aws.botAccount, 'busy', keyId);
    for (const region of ['ap-southeast-2', 'eu-west-1', 'us-east-1']) {
      world.aws.trail(region).add(history(user, 500, minutesAgo(6 * 24 * 60), minutesAgo(10), region));
    }
    world.aws.trail('eu-west-1').throttleNext(2);
    const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
    const summary = await reviewPosted(ts);
    expect(JSON.stringify(summary.params.blocks)).toContain('*Events:* 1,500');
    const completed = (await scanTable(world.table)).find((i) => i.pk === `INC#${incidentId}` && i.type === 'review.completed');
    expect(completed).toMatchObject({ details: { events: 1500, regions: ['ap-southeast-2', 'eu-west-1', 'us-east-1'], problems: [] } });
    expect(world.aws.trail('eu-west-1').injectedThrottles).toBe(2);
    // The pace kept CloudTrail's own limit from ever refusing a request.
    for (const region of ['ap-southeast-2', 'eu-west-1', 'us-east-1']) expect(world.aws.trail(region).rateLimited).toBe(0);
  });

  it('stops a region at REVIEW_MAX_PAGES_PER_REGION and says in the thread what it did not read', async () => {
    const capped = await startBot(world, { APPROVER_USER_IDS: APPROVER, CLOUDTRAIL_REGIONS: 'eu-west-1', REVIEW_MAX_PAGES_PER_REGION: '2' });
    try {
      const keyId = world.aws.keyIdFor(world.aws.botAccount);
      world.aws.user('very-busy').key(keyId, { lastUsed: { at: minutesAgo(5), service: 's3', region: 'eu-west-1' } }).attach(ADMIN);
      world.aws.trail('eu-west-1').add(history(iamUser(world.aws.botAccount, 'very-busy', keyId), 150, minutesAgo(6 * 24 * 60), minutesAgo(10), 'eu-west-1'));

      const { ts } = await openIncident(world, capped, keyId, ['Disable access key', 'Revoke active sessions']);
      const summary = await reviewPosted(ts);

      const blocks = JSON.stringify(summary.params.blocks);
      expect(blocks).toContain('*Events:* 100');
      expect(blocks).toContain('Partial review');
      expect(blocks).toContain('`eu-west-1`, the exposed key: nothing before');
      expect(String(summary.params.text)).toContain('partial review');
      expect(world.aws.calls.filter((c) => c.action === 'LookupEvents' && String(c.params.LookupAttributes).includes(keyId))).toHaveLength(2);
    } finally {
      await capped.stop();
    }
  });

  it('refuses a window CloudTrail does not keep, changing nothing', async () => {
    const res = await bot.command('review KI-ABC123 120');
    expect(res.status).toBe(200);
    expect(res.body).toContain('CloudTrail keeps 90 days');
  });
});
