/**
 * The adapters that reach other accounts, against the fake STS/IAM/Organizations on the wire:
 * role credentials (kept, renewed before expiry, shared while in flight, refusals not kept),
 * the gateway (one session per account, errors as `AwsError`), and the Organizations reader.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AssumedRoleGateway, partitionOf, SESSION_NAME } from '../../src/adapters/cross-account/assumed-role-gateway.js';
import { assumedRoleCredentials } from '../../src/adapters/cross-account/assumed-role-credentials.js';
import type { AwsClients } from '../../src/adapters/aws-clients.js';
import { SdkOrganizationsReader } from '../../src/adapters/organizations/sdk-organizations-reader.js';
import { type FakeAws, trustAccount } from '../fakes/fake-aws.js';
import { type AwsUnderTest, rejection, startAwsUnderTest } from '../support/aws.js';

const REGION = 'eu-west-1';
const BOT = '111122223333';
const MEMBER = '444455556666';
const ROLE = 'KeyIncidentResponder';
const ROLE_ARN = `arn:aws:iam::${MEMBER}:role/${ROLE}`;

let env: AwsUnderTest;
let aws: FakeAws;
let clients: AwsClients;

beforeAll(async () => {
  env = await startAwsUnderTest(REGION, 2, { botAccount: BOT });
  ({ aws, clients } = env);
});
beforeEach(() => aws.reset());
afterAll(() => env.close());

function deployRole(externalId?: string): void {
  aws.account(MEMBER).role(ROLE, { trust: trustAccount(aws.botArn, externalId === undefined ? {} : { externalId }) });
}

describe('role credentials', () => {
  it('assumes once, shares the call in flight, and keeps the session until 5 minutes before it ends', async () => {
    deployRole('ext-1');
    let now = Date.now();
    const credentials = assumedRoleCredentials(clients.sts, { roleArn: ROLE_ARN, sessionName: 'key-incident', externalId: 'ext-1', now: () => now });
    const together = await Promise.all([credentials(), credentials(), credentials()]);
    expect(new Set(together.map((c) => c.accessKeyId)).size).toBe(1);
    expect(aws.count('AssumeRole')).toBe(1);
    expect(aws.calls.find((c) => c.action === 'AssumeRole')?.params).toMatchObject({ RoleArn: ROLE_ARN, RoleSessionName: 'key-incident', ExternalId: 'ext-1', DurationSeconds: '3600' });

    const expiration = together[0]!.expiration.getTime();
    now = expiration - 6 * 60_000;
    expect((await credentials()).accessKeyId).toBe(together[0]!.accessKeyId);
    expect(aws.count('AssumeRole')).toBe(1);
    now = expiration - 4 * 60_000;
    const renewed = await credentials();
    expect(aws.count('AssumeRole')).toBe(2);
    expect(renewed.accessKeyId).not.toBe(together[0]!.accessKeyId);
  });

  it('throws a refusal as AwsError to every waiting caller and asks again next time', async () => {
    const credentials = assumedRoleCredentials(clients.sts, { roleArn: ROLE_ARN, sessionName: 'key-incident' });
    const [first, second] = await Promise.all([rejection(credentials()), rejection(credentials())]);
    expect(first).toMatchObject({ code: 'AccessDenied', service: 'sts', operation: 'AssumeRole' });
    expect(second).toBe(first);
    expect(first.message).toContain(`not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`);
    deployRole();
    await expect(credentials()).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/) });
    expect(aws.count('AssumeRole')).toBe(2);
  });
});

describe('the account gateway', () => {
  const gateway = (settings: { roleName?: string; externalId?: string } = { roleName: ROLE }) =>
    new AssumedRoleGateway({ ...settings, region: REGION, maxAttempts: 2, sts: clients.sts });

  it('works in the member account through one session reused by every port', async () => {
    deployRole('ext-2');
    aws.account(MEMBER).user('member-ci').key();
    aws.user('member-ci');
    const g = gateway({ roleName: ROLE, externalId: 'ext-2' });
    try {
      const ports = await g.portsIn(MEMBER);
      await ports.iamWriter.setAccessKeyStatus('member-ci', (await ports.iam.listAccessKeys('member-ci'))[0]!.keyId, 'Inactive');
      expect(await g.portsIn(MEMBER)).toBe(ports);
      const sessions = aws.assumedRoleSessions();
      expect(sessions).toEqual([expect.objectContaining({ roleArn: ROLE_ARN, sessionName: SESSION_NAME, externalId: 'ext-2' })]);
      const iamCalls = aws.calls.filter((c) => c.service === 'iam');
      expect(iamCalls.map((c) => c.accessKeyId)).toEqual([sessions[0]!.accessKeyId, sessions[0]!.accessKeyId]);
      expect(aws.userState('member-ci', MEMBER)!.keys[0]!.status).toBe('Inactive');
    } finally {
      g.destroy();
    }
  });

  it('refuses plainly when the role is missing, off, or the account id is not one', async () => {
    const on = gateway();
    const off = gateway({});
    try {
      expect(await rejection(on.portsIn(MEMBER))).toMatchObject({ code: 'AccessDenied', operation: 'AssumeRole' });
      expect(await rejection(off.portsIn(MEMBER))).toMatchObject({ code: 'CrossAccountRoleNotConfigured' });
      expect(await rejection(on.portsIn('not-an-account'))).toMatchObject({ code: 'InvalidAccountId' });
      expect([on.roleArn(MEMBER), off.roleArn(MEMBER), on.usesExternalId]).toEqual([ROLE_ARN, undefined, false]);
      expect(aws.count('AssumeRole')).toBe(1);
    } finally {
      on.destroy();
      off.destroy();
    }
  });

  it('names roles in the partition of its Region', () => {
    expect(['eu-west-1', 'cn-north-1', 'us-gov-west-1'].map(partitionOf)).toEqual(['aws', 'aws-cn', 'aws-us-gov']);
  });
});

describe('the Organizations reader', () => {
  let organizations: OrganizationsClient;
  let now: number;
  const debug: object[] = [];
  const reader = (capacity?: number) => new SdkOrganizationsReader(organizations, { debug: (d) => void debug.push(d) }, () => now, capacity);
  const member = (id: string, name = `Team ${id}`) => ({ id, name, email: `aws+${id}@example.com` });

  beforeAll(() => { organizations = new OrganizationsClient({ region: 'us-east-1', maxAttempts: 1 }); });
  afterAll(() => organizations.destroy());
  beforeEach(() => { now = Date.now(); debug.length = 0; });

  it('names a member account and says when the organization does not hold one', async () => {
    aws.organization({ managementAccount: BOT, accounts: [{ id: MEMBER, name: 'Workloads & <prod>', email: 'aws+prod@example.com', status: 'SUSPENDED' }] });
    const r = reader();
    expect(await r.describeAccount(MEMBER)).toEqual({ kind: 'known', finding: { member: true, name: 'Workloads & <prod>', email: 'aws+prod@example.com', status: 'SUSPENDED' } });
    expect(await r.describeAccount('999988887777')).toEqual({ kind: 'known', finding: { member: false } });
  });

  it('says why when it cannot read the organization, and does not ask again for a minute', async () => {
    const r = reader();
    expect(await r.describeAccount(MEMBER)).toEqual({ kind: 'unavailable', code: 'AWSOrganizationsNotInUseException' });
    expect(await r.describeAccount(MEMBER)).toEqual({ kind: 'unavailable', code: 'AWSOrganizationsNotInUseException' });
    expect(aws.count('DescribeAccount')).toBe(1);
    expect(debug).toEqual([expect.objectContaining({ awsError: 'AWSOrganizationsNotInUseException' })]);
    aws.organization({ managementAccount: BOT, accounts: [{ id: MEMBER, name: 'Workloads', email: 'aws+w@example.com' }] });
    now += 61_000;
    expect(await r.describeAccount(MEMBER)).toMatchObject({ kind: 'known', finding: { member: true, name: 'Workloads' } });
  });

  it('remembers a member for five minutes and an outsider for one, then asks again', async () => {
    aws.organization({ managementAccount: BOT, accounts: [member(MEMBER)] });
    const r = reader();
    await r.describeAccount(MEMBER);
    await r.describeAccount('999988887777');
    aws.organization({ managementAccount: BOT, accounts: [member('999988887777')] });
    now += 61_000;

    expect(await r.describeAccount(MEMBER)).toMatchObject({ kind: 'known', finding: { member: true } });
    expect(await r.describeAccount('999988887777')).toMatchObject({ kind: 'known', finding: { member: true } });
    now += 4 * 60_000;
    expect(await r.describeAccount(MEMBER)).toEqual({ kind: 'known', finding: { member: false } });
    expect(aws.calls.filter((c) => c.action === 'DescribeAccount').map((c) => c.params.AccountId)).toEqual([MEMBER, '999988887777', '999988887777', MEMBER]);
  });

  it('remembers a bounded number of accounts, forgetting the oldest answer first', async () => {
    const ids = ['200000000001', '200000000002', '200000000003'];
    aws.organization({ managementAccount: BOT, accounts: ids.map((id) => member(id)) });
    const r = reader(2);
    for (const id of ids) await r.describeAccount(id);

    await r.describeAccount(ids[2]!);
    await r.describeAccount(ids[1]!);
    await r.describeAccount(ids[0]!);

    expect(aws.calls.filter((c) => c.action === 'DescribeAccount').map((c) => c.params.AccountId)).toEqual([...ids, ids[0]]);
  });

  it('does not remember throttling: the next call asks again and gets the answer', async () => {
    aws.organization({ managementAccount: BOT, accounts: [member(MEMBER)] });
    aws.throttle('DescribeAccount');
    const r = reader();

    expect(await r.describeAccount(MEMBER)).toEqual({ kind: 'unavailable', code: 'TooManyRequestsException' });
    expect(await r.describeAccount(MEMBER)).toMatchObject({ kind: 'known', finding: { member: true } });
  });

  it('lists every account over several pages, and says why when it cannot', async () => {
    const r = reader();
    expect(await r.listAccounts()).toEqual({ kind: 'unavailable', code: 'AWSOrganizationsNotInUseException' });
    const seeded = Array.from({ length: 45 }, (_, i) => ({ id: String(300000000000 + i), name: `Team ${i}`, email: `aws+${i}@example.com` }));
    aws.organization({ managementAccount: BOT, accounts: [...seeded, { id: MEMBER, name: 'Old', email: 'aws+old@example.com', status: 'SUSPENDED' }] });
    const listing = await r.listAccounts();
    expect(listing.kind).toBe('listed');
    const accounts = listing.kind === 'listed' ? listing.accounts : [];
    expect(accounts).toHaveLength(47);
    expect(accounts.find((a) => a.id === MEMBER)).toEqual({ id: MEMBER, name: 'Old', email: 'aws+old@example.com', status: 'SUSPENDED' });
    expect(new Set(accounts.map((a) => a.id)).size).toBe(47);
    expect(aws.count('ListAccounts')).toBeGreaterThan(2);
  });

  it('answers nothing in a member account that is not a delegated administrator', async () => {
    aws.organization({ managementAccount: '222233334444', accounts: [{ id: BOT, name: 'Bot', email: 'aws+bot@example.com' }] });
    expect(await reader().describeAccount(MEMBER)).toEqual({ kind: 'unavailable', code: 'AccessDeniedException' });
    expect(debug).toEqual([expect.objectContaining({ awsError: 'AccessDeniedException' })]);
  });
});
