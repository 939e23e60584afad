/** The fake STS AssumeRole on the wire, with the real SDK: sessions in other accounts, trust policies, refusals. */
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  STSClient,
  type AssumeRoleCommandInput,
  type Credentials,
} from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { useWireFake } from '../support/wire-fake.js';
import { accountFromKeyId, trustAccount } from '../fakes/fake-aws.js';

const BOT_ACCOUNT = '111122223333';
const BOT_ARN = `arn:aws:iam::${BOT_ACCOUNT}:user/key-incident-bot`;
const TARGET = '444455556666';
const THIRD = '777788889999';
const ROLE = 'KeyIncidentResponder';
const ROLE_ARN = `arn:aws:iam::${TARGET}:role/${ROLE}`;
const EXTERNAL_ID = 'key-incident-7f3a';
const BOT_KEYS = { accessKeyId: 'AKIAKEYINCIDENTTESTS', secretAccessKey: 'not-a-real-secret' };

const fake = useWireFake({ botAccount: BOT_ACCOUNT });

type SdkCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** What the SDK takes as `credentials` for a session AssumeRole returned. */
function sessionKeys(credentials: Credentials | undefined): SdkCredentials {
  return { accessKeyId: credentials!.AccessKeyId!, secretAccessKey: credentials!.SecretAccessKey!, sessionToken: credentials!.SessionToken! };
}

/** A bare SDK client making one attempt per call, so every answer shows. */
function sts(credentials: SdkCredentials = BOT_KEYS): STSClient {
  const client = new STSClient({ region: 'us-east-1', endpoint: fake.aws.url, maxAttempts: 1, credentials });
  fake.track(client);
  return client;
}

function iam(credentials: SdkCredentials): IAMClient {
  const client = new IAMClient({ region: 'us-east-1', endpoint: fake.aws.url, maxAttempts: 1, credentials });
  fake.track(client);
  return client;
}

function assume(input: Partial<AssumeRoleCommandInput> = {}, credentials?: SdkCredentials) {
  return sts(credentials).send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'key-incident', ...input }));
}

/** The SDK error an AssumeRole call fails with. */
async function refusal(input: Partial<AssumeRoleCommandInput>, credentials?: SdkCredentials) {
  const error = await assume(input, credentials).then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number } },
  );
  expect(error, 'AssumeRole should have been refused').toBeDefined();
  return { name: error!.name, message: error!.message, status: error!.$metadata.httpStatusCode };
}

const denied = (callerArn: string, roleArn = ROLE_ARN) => ({
  name: 'AccessDenied',
  message: `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
  status: 403,
});

describe('fake STS AssumeRole: a session in another account', () => {
  it('returns an ASIA key of the role account, the session identity and an expiration an hour away', async () => {
    const role = fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN, { externalId: EXTERNAL_ID }) });
    const before = Date.now();

    const { Credentials: credentials, AssumedRoleUser, PackedPolicySize } = await assume({ ExternalId: EXTERNAL_ID });

    expect(AssumedRoleUser).toEqual({ AssumedRoleId: `${role.id}:key-incident`, Arn: `arn:aws:sts::${TARGET}:assumed-role/${ROLE}/key-incident` });
    expect(role.id).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(accountFromKeyId(credentials!.AccessKeyId!)).toBe(TARGET);
    expect(credentials?.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(credentials?.SessionToken?.length).toBeGreaterThan(100);
    const expiresIn = credentials!.Expiration!.getTime() - before;
    expect(expiresIn).toBeGreaterThan(3_595_000);
    expect(expiresIn).toBeLessThanOrEqual(3_601_000);
    expect(PackedPolicySize).toBeUndefined();
  });

  it('makes requests signed with the session key act as the session, in the role account', async () => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN, { externalId: EXTERNAL_ID }) });
    fake.aws.account(TARGET).user('alice');
    fake.aws.account(TARGET).user('deployer', { path: '/ci/' });
    fake.aws.user('bot-colleague');
    const { Credentials: credentials, AssumedRoleUser } = await assume({ ExternalId: EXTERNAL_ID });
    const session = sessionKeys(credentials);

    const identity = await sts(session).send(new GetCallerIdentityCommand({}));
    const { Users } = await iam(session).send(new ListUsersCommand({}));
    const botIdentity = await sts().send(new GetCallerIdentityCommand({}));
    const keyInfo = await sts().send(new GetAccessKeyInfoCommand({ AccessKeyId: session.accessKeyId }));

    expect(identity).toMatchObject({ Account: TARGET, Arn: AssumedRoleUser!.Arn, UserId: AssumedRoleUser!.AssumedRoleId });
    expect(Users?.map((u) => u.Arn)).toEqual([`arn:aws:iam::${TARGET}:user/alice`, `arn:aws:iam::${TARGET}:user/ci/deployer`]);
    expect(botIdentity).toMatchObject({ Account: BOT_ACCOUNT, Arn: BOT_ARN });
    expect(keyInfo.Account).toBe(TARGET);
    expect(fake.aws.calls.find((c) => c.action === 'ListUsers')?.accessKeyId).toBe(session.accessKeyId);
  });

  it('records the session it issued, and never the secret key or token in the call log', async () => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN, { externalId: EXTERNAL_ID }) });

    const { Credentials: credentials } = await assume({ ExternalId: EXTERNAL_ID, DurationSeconds: 900 });
    await sts(sessionKeys(credentials)).send(new GetCallerIdentityCommand({}));

    expect(fake.aws.assumedRoleSessions()).toEqual([
      { roleArn: ROLE_ARN, sessionName: 'key-incident', externalId: EXTERNAL_ID, accessKeyId: credentials!.AccessKeyId, callerArn: BOT_ARN },
    ]);
    expect(fake.aws.calls.map((c) => [c.action, c.status])).toEqual([['AssumeRole', 200], ['GetCallerIdentity', 200]]);
    expect(fake.aws.calls[0]!.params).toEqual({ RoleArn: ROLE_ARN, RoleSessionName: 'key-incident', ExternalId: EXTERNAL_ID, DurationSeconds: '900' });
    const logged = JSON.stringify(fake.aws.calls);
    expect(logged).not.toContain(credentials!.SecretAccessKey);
    expect(logged).not.toContain(credentials!.SessionToken);
  });

  it('grants up to the role MaxSessionDuration', async () => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ACCOUNT), maxSessionDuration: 43_200 });
    const before = Date.now();

    const { Credentials: credentials } = await assume({ DurationSeconds: 43_200 });

    expect(credentials!.Expiration!.getTime() - before).toBeGreaterThan(43_195_000);
  });

  it.each([
    ['the caller account id', BOT_ACCOUNT],
    ['the caller account root', `arn:aws:iam::${BOT_ACCOUNT}:root`],
    ['the caller ARN', BOT_ARN],
  ])('lets in a caller that the trust policy names by %s', async (_how, principal) => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(principal) });

    const { AssumedRoleUser } = await assume();

    expect(AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${TARGET}:assumed-role/${ROLE}/key-incident`);
  });

  it('lets a seeded user in by their own key and ARN, and names them when refusing', async () => {
    const alice = fake.aws.user('alice').key();
    const bob = fake.aws.user('bob').key();
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(alice.arn) });
    const keysOf = (user: typeof alice) => ({ accessKeyId: user.keyIds[0]!, secretAccessKey: 'x' });

    await assume({}, keysOf(alice));

    expect(await refusal({}, keysOf(bob))).toEqual(denied(bob.arn));
    expect(fake.aws.assumedRoleSessions().map((s) => s.callerArn)).toEqual([alice.arn]);
  });

  it('chains: a session assumes a role trusting its role, limited to one hour', async () => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN) });
    const next = fake.aws.account(THIRD).role('Auditor', { trust: trustAccount(ROLE_ARN), maxSessionDuration: 43_200 });
    const first = sessionKeys((await assume()).Credentials);

    const { AssumedRoleUser } = await assume({ RoleArn: next.arn, RoleSessionName: 'audit' }, first);
    const tooLong = await refusal({ RoleArn: next.arn, RoleSessionName: 'audit', DurationSeconds: 7200 }, first);

    expect(AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${THIRD}:assumed-role/Auditor/audit`);
    expect(fake.aws.assumedRoleSessions()[1]?.callerArn).toBe(`arn:aws:sts::${TARGET}:assumed-role/${ROLE}/key-incident`);
    expect(tooLong).toEqual({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      status: 400,
    });
  });

  it('forgets issued sessions on reset: their key is no one any more', async () => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN) });
    const session = sessionKeys((await assume()).Credentials);

    fake.aws.reset();
    const identity = await sts(session).send(new GetCallerIdentityCommand({}));

    expect(identity.Arn).toBe(BOT_ARN);
    expect(fake.aws.assumedRoleSessions()).toEqual([]);
  });
});

describe('fake STS AssumeRole: refusals', () => {
  it('answers a role that does not exist with AccessDenied, as for an untrusted caller', async () => {
    fake.aws.account(TARGET).role('SomethingElse', { trust: trustAccount(BOT_ARN) });

    expect(await refusal({})).toEqual(denied(BOT_ARN));
  });

  it('refuses a caller the trust policy does not name', async () => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount('999999999999') });

    expect(await refusal({})).toEqual(denied(BOT_ARN));
  });

  it('refuses with the default trust policy (EC2 only)', async () => {
    fake.aws.account(TARGET).role(ROLE);

    expect(await refusal({})).toEqual(denied(BOT_ARN));
  });

  it.each([
    ['a wrong external id', { ExternalId: 'not-the-right-one' }],
    ['no external id', {}],
  ])('refuses %s when the trust policy requires one', async (_what, input) => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN, { externalId: EXTERNAL_ID }) });

    expect(await refusal(input)).toEqual(denied(BOT_ARN));
  });

  it('refuses when an explicit Deny names the caller, whatever allows it', async () => {
    const allow = { Effect: 'Allow', Principal: { AWS: BOT_ACCOUNT }, Action: 'sts:AssumeRole' };
    const deny = { Effect: 'Deny', Principal: { AWS: [BOT_ARN] }, Action: 'sts:*' };
    fake.aws.account(TARGET).role(ROLE, { trust: { Version: '2012-10-17', Statement: [allow, deny] } });

    expect(await refusal({})).toEqual(denied(BOT_ARN));
  });

  it('refuses a trust condition it does not evaluate rather than granting', async () => {
    const statement = {
      Effect: 'Allow',
      Principal: { AWS: BOT_ACCOUNT },
      Action: 'sts:AssumeRole',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    };
    fake.aws.account(TARGET).role(ROLE, { trust: { Version: '2012-10-17', Statement: statement } });

    expect(await refusal({})).toEqual(denied(BOT_ARN));
  });

  it('refuses a role ARN without the role path', async () => {
    fake.aws.account(TARGET).role(ROLE, { path: '/incident/', trust: trustAccount(BOT_ARN) });

    expect(await refusal({})).toEqual(denied(BOT_ARN));
  });

  it('refuses a duration over the role MaxSessionDuration', async () => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN) });

    expect(await refusal({ DurationSeconds: 7200 })).toEqual({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      status: 400,
    });
  });

  it.each([
    [{ DurationSeconds: 600 }, "Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"],
    [{ DurationSeconds: 43_201 }, "Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"],
    [{ RoleSessionName: 'bad name' }, "Value 'bad name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"],
    [{ RoleSessionName: 'x' }, "Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"],
    [{ RoleSessionName: 's'.repeat(65) }, `Value '${'s'.repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`],
    [{ ExternalId: 'x' }, "Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2"],
    [{ RoleArn: 'arn:aws:iam::1:role' }, "Value 'arn:aws:iam::1:role' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"],
  ])('answers %j with ValidationError: %s', async (input, detail) => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN) });

    expect(await refusal(input)).toEqual({ name: 'ValidationError', message: `1 validation error detected: ${detail}`, status: 400 });
  });

  it('lists every violation in one ValidationError, before looking at the role', async () => {
    const error = await refusal({ RoleSessionName: 'a', DurationSeconds: 60 });

    expect(error).toEqual({
      name: 'ValidationError',
      message:
        "2 validation errors detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
        "Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      status: 400,
    });
  });

  it('issues no session when refusing', async () => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN, { externalId: EXTERNAL_ID }) });

    await refusal({ ExternalId: 'wrong-one' });
    await refusal({ ExternalId: EXTERNAL_ID, DurationSeconds: 7200 });

    expect(fake.aws.assumedRoleSessions()).toEqual([]);
    expect(fake.aws.calls.map((c) => c.errorCode)).toEqual(['AccessDenied', 'ValidationError']);
  });
});

describe('fake STS AssumeRole: test faults', () => {
  it('fails the next AssumeRole as planned, then works', async () => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN) });
    fake.aws.throttle('AssumeRole');

    const throttled = await refusal({});
    const { AssumedRoleUser } = await assume();

    expect(throttled).toEqual({ name: 'Throttling', message: 'Rate exceeded', status: 400 });
    expect(AssumedRoleUser).toBeDefined();
    expect(fake.aws.assumedRoleSessions()).toHaveLength(1);
  });

  it('denies AssumeRole as an identity policy would, naming the role', async () => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN) });
    fake.aws.deny('AssumeRole');

    expect(await refusal({})).toEqual({
      name: 'AccessDenied',
      message: `User: ${BOT_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN} because no identity-based policy allows the sts:AssumeRole action`,
      status: 403,
    });
    expect(fake.aws.assumedRoleSessions()).toEqual([]);
  });

  it('holds an AssumeRole before it is applied, and issues the session once released', async () => {
    fake.aws.account(TARGET).role(ROLE, { trust: trustAccount(BOT_ARN) });
    const hold = fake.aws.hold('AssumeRole', { apply: false });

    const pending = assume();
    const held = await hold.arrived;
    const sessionsWhileHeld = fake.aws.assumedRoleSessions().length;
    hold.release();
    const { Credentials: credentials } = await pending;

    expect(held).toEqual({ action: 'AssumeRole', params: { RoleArn: ROLE_ARN, RoleSessionName: 'key-incident' } });
    expect(sessionsWhileHeld).toBe(0);
    expect(fake.aws.assumedRoleSessions().map((s) => s.accessKeyId)).toEqual([credentials!.AccessKeyId]);
  });
});
