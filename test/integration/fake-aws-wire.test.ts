import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAws } from '../fakes/fake-aws.js';

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

let aws: FakeAws;

beforeAll(async () => {
  aws = await FakeAws.start({ botAccount: '111122223333' });
});

beforeEach(() => aws.reset());

afterAll(() => aws.close());

interface Answer {
  readonly status: number;
  readonly requestId: string;
  readonly body: string;
}

async function post(service: 'iam' | 'sts', form: Record<string, string>, signed = true, userAgent?: string): Promise<Answer> {
  const version = service === 'iam' ? '2010-05-08' : '2011-06-15';
  const scope = `Credential=AKIAKEYINCIDENTTESTS/20240115/us-east-1/${service}/aws4_request`;
  const response = await fetch(aws.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signed ? { authorization: `AWS4-HMAC-SHA256 ${scope}, SignedHeaders=host, Signature=00` } : {}),
      ...(userAgent ? { 'user-agent': userAgent } : {}),
    },
    body: new URLSearchParams({ Action: form.Action!, Version: version, ...form }).toString(),
  });
  return { status: response.status, requestId: response.headers.get('x-amzn-requestid') ?? '', body: await response.text() };
}

describe('fake IAM on the wire', () => {
  it('answers GetAccessKeyLastUsed for a never-used key with N/A and no LastUsedDate', async () => {
    aws.user('bob').key('AKIABOBNEVERUSED0001');

    const answer = await post('iam', { Action: 'GetAccessKeyLastUsed', AccessKeyId: 'AKIABOBNEVERUSED0001' });

    expect(answer.status).toBe(200);
    expect(answer.body.trim()).toBe(
      `<GetAccessKeyLastUsedResponse xmlns="${IAM_NS}"><GetAccessKeyLastUsedResult>` +
        '<AccessKeyLastUsed><Region>N/A</Region><ServiceName>N/A</ServiceName></AccessKeyLastUsed>' +
        '<UserName>bob</UserName></GetAccessKeyLastUsedResult>' +
        `<ResponseMetadata><RequestId>${answer.requestId}</RequestId></ResponseMetadata></GetAccessKeyLastUsedResponse>`,
    );
  });

  it('answers an unknown key with the 403 AccessDenied envelope real IAM sends', async () => {
    const answer = await post('iam', { Action: 'GetAccessKeyLastUsed', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' });

    expect(answer.status).toBe(403);
    expect(answer.body.trim()).toBe(
      `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
        '<Message>User: arn:aws:iam::111122223333:user/key-incident-bot is not authorized to perform ' +
        'iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE</Message></Error>' +
        `<RequestId>${answer.requestId}</RequestId></ErrorResponse>`,
    );
  });

  it('URL-encodes inline policy documents as IAM does', async () => {
    aws.user('alice').inline('p', '{"Version":"2012-10-17","Statement":[{"Sid":"a b(!)","Effect":"Allow","Action":"s3:*","Resource":"*"}]}');

    const answer = await post('iam', { Action: 'GetUserPolicy', UserName: 'alice', PolicyName: 'p' });

    expect(answer.body).toContain(
      '<PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Sid%22%3A%22a%20b%28%21%29%22%2C',
    );
  });

  it('pages with IsTruncated and an opaque Marker, and honours MaxItems', async () => {
    aws.user('carol').attach('arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/B', 'arn:aws:iam::aws:policy/C');

    const first = await post('iam', { Action: 'ListAttachedUserPolicies', UserName: 'carol', MaxItems: '2' });
    const marker = /<Marker>([^<]+)<\/Marker>/.exec(first.body)?.[1] ?? '';
    const second = await post('iam', { Action: 'ListAttachedUserPolicies', UserName: 'carol', MaxItems: '2', Marker: marker });

    expect(first.body).toContain(
      '<AttachedPolicies><member><PolicyName>A</PolicyName><PolicyArn>arn:aws:iam::aws:policy/A</PolicyArn></member>' +
        '<member><PolicyName>B</PolicyName><PolicyArn>arn:aws:iam::aws:policy/B</PolicyArn></member></AttachedPolicies>' +
        '<IsTruncated>true</IsTruncated><Marker>',
    );
    expect(second.body).toContain('<PolicyName>C</PolicyName>');
    expect(second.body).toContain('<IsTruncated>false</IsTruncated></ListAttachedUserPoliciesResult>');
  });

  it('shows a permissions boundary in GetUser', async () => {
    aws.user('dan').boundary('arn:aws:iam::111122223333:policy/guard');

    const answer = await post('iam', { Action: 'GetUser', UserName: 'dan' });

    expect(answer.body).toContain(
      '<PermissionsBoundary><PermissionsBoundaryType>PermissionsBoundaryPolicy</PermissionsBoundaryType>' +
        '<PermissionsBoundaryArn>arn:aws:iam::111122223333:policy/guard</PermissionsBoundaryArn></PermissionsBoundary>',
    );
  });

  it('answers NoSuchEntity with 404 and IAM wording', async () => {
    const answer = await post('iam', { Action: 'GetUser', UserName: 'nobody' });

    expect(answer.status).toBe(404);
    expect(answer.body).toContain('<Code>NoSuchEntity</Code><Message>The user with name nobody cannot be found.</Message>');
  });

  it('throttles with HTTP 400, code Throttling and "Rate exceeded"', async () => {
    aws.throttle('GetUser');

    const answer = await post('iam', { Action: 'GetUser', UserName: 'nobody' });

    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>');
  });

  it('rejects unknown operations and unsigned requests', async () => {
    const unknown = await post('iam', { Action: 'LaunchRockets' });
    const unsigned = await post('iam', { Action: 'GetUser', UserName: 'x' }, false);

    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('<Code>InvalidAction</Code>');
    expect(unsigned.status).toBe(403);
    expect(unsigned.body).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('serves a versioned customer managed policy and reports its default version', async () => {
    const policy = aws.policy('deploy', { Version: '2012-10-17', Statement: [] }).version({ Version: '2012-10-17', Statement: [] });

    const got = await post('iam', { Action: 'GetPolicy', PolicyArn: policy.arn });
    const v1 = await post('iam', { Action: 'GetPolicyVersion', PolicyArn: policy.arn, VersionId: 'v1' });

    expect(got.body).toContain('<DefaultVersionId>v2</DefaultVersionId>');
    expect(v1.body).toContain('<VersionId>v1</VersionId><IsDefaultVersion>false</IsDefaultVersion>');
  });
});

describe('holds that pick their request', () => {
  const ua = (app: string) => `aws-sdk-js/3.0.0 ua/2.1 os/linux lang/js md/nodejs#20 api/iam#3.0.0 m/E app/${app}`;

  it('catch only what `match` accepts, of any action with `*`, and record which process sent each call', async () => {
    aws.user('held').key('AKIAHELDKEY000000001');
    const held = aws.hold('*', { apply: false, match: (r) => r.agent === 'ki-p2' });

    const other = await post('iam', { Action: 'GetUser', UserName: 'held' }, true, ua('ki-p1'));
    expect(other.status).toBe(200);
    const caught = post('iam', { Action: 'UpdateAccessKey', UserName: 'held', AccessKeyId: 'AKIAHELDKEY000000001', Status: 'Inactive' }, true, ua('ki-p2'));
    expect(await held.arrived).toMatchObject({ action: 'UpdateAccessKey', agent: 'ki-p2', params: { AccessKeyId: 'AKIAHELDKEY000000001' } });
    expect(aws.keyStatus('AKIAHELDKEY000000001')).toBe('Active');
    held.release();

    expect((await caught).status).toBe(200);
    expect(aws.calls.map((c) => [c.action, c.agent])).toEqual([['GetUser', 'ki-p1'], ['UpdateAccessKey', 'ki-p2']]);
  });

  it('can be withdrawn before a request takes them', async () => {
    aws.user('free');
    aws.hold('GetUser', { apply: false }).cancel();

    expect((await post('iam', { Action: 'GetUser', UserName: 'free' })).status).toBe(200);
  });
});

describe('fake IAM writes on the wire', () => {
  it('answers CreateAccessKey with the new key, its secret and IAM\'s element order', async () => {
    aws.user('alice');

    const answer = await post('iam', { Action: 'CreateAccessKey', UserName: 'alice' });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(
      /^<CreateAccessKeyResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><CreateAccessKeyResult><AccessKey>/,
    );
    expect(answer.body).toMatch(
      /<AccessKey><UserName>alice<\/UserName><AccessKeyId>AKIA[A-Z2-7]{16}<\/AccessKeyId><Status>Active<\/Status><SecretAccessKey>[A-Za-z0-9+/]{40}<\/SecretAccessKey><CreateDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/CreateDate><\/AccessKey>/,
    );
  });

  it('answers operations without output with only ResponseMetadata', async () => {
    aws.user('alice').key('AKIAALICEKEY00000001');

    const answer = await post('iam', { Action: 'DeleteAccessKey', UserName: 'alice', AccessKeyId: 'AKIAALICEKEY00000001' });

    expect(answer.body.trim()).toBe(
      `<DeleteAccessKeyResponse xmlns="${IAM_NS}"><ResponseMetadata><RequestId>${answer.requestId}</RequestId>` +
        '</ResponseMetadata></DeleteAccessKeyResponse>',
    );
  });

  it('refuses DeleteUser with the 409 DeleteConflict envelope while the user has a login profile', async () => {
    aws.user('bob').loginProfile();

    const answer = await post('iam', { Action: 'DeleteUser', UserName: 'bob' });

    expect(answer.status).toBe(409);
    expect(answer.body).toContain(
      '<Error><Type>Sender</Type><Code>DeleteConflict</Code><Message>Cannot delete entity, must delete login profile first.</Message></Error>',
    );
  });

  it('lists MFA devices with their serial numbers and enable dates', async () => {
    aws.user('carol').mfa();

    const answer = await post('iam', { Action: 'ListMFADevices', UserName: 'carol' });

    expect(answer.body).toContain(
      '<MFADevices><member><UserName>carol</UserName><SerialNumber>arn:aws:iam::111122223333:mfa/carol</SerialNumber>' +
        '<EnableDate>2024-01-15T09:30:00Z</EnableDate></member></MFADevices><IsTruncated>false</IsTruncated>',
    );
  });
});

describe('fake IAM roles on the wire', () => {
  it('answers GetRole with the Role shape and a URL-encoded trust policy', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const role = aws.role('deployer', { path: '/ci/', trust });

    const answer = await post('iam', { Action: 'GetRole', RoleName: 'deployer' });

    expect(role.arn).toBe('arn:aws:iam::111122223333:role/ci/deployer');
    expect(role.id).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(
      `<GetRoleResult><Role><Path>/ci/</Path><RoleName>deployer</RoleName><RoleId>${role.id}</RoleId>` +
        `<Arn>${role.arn}</Arn><CreateDate>2024-01-15T09:30:00Z</CreateDate>` +
        `<AssumeRolePolicyDocument>${encodeURIComponent(JSON.stringify(trust, null, 4))}</AssumeRolePolicyDocument>` +
        '<MaxSessionDuration>3600</MaxSessionDuration><RoleLastUsed></RoleLastUsed></Role></GetRoleResult>',
    );
  });

  it('answers a missing role and a missing role policy with 404 NoSuchEntity in IAM wording', async () => {
    aws.role('deployer');

    const role = await post('iam', { Action: 'GetRole', RoleName: 'ghost' });
    const policy = await post('iam', { Action: 'GetRolePolicy', RoleName: 'deployer', PolicyName: 'p' });

    expect(role.status).toBe(404);
    expect(role.body).toContain('<Code>NoSuchEntity</Code><Message>The role with name ghost cannot be found.</Message>');
    expect(policy.status).toBe(404);
    expect(policy.body).toContain('<Message>The role policy with name p cannot be found.</Message>');
  });

  it('URL-encodes role policy documents, refuses malformed ones and pages ListRolePolicies', async () => {
    aws.role('deployer').inline('a', '{"Statement":[{"Sid":"x (y)!"}]}').inline('b', {}).inline('c', {});

    const get = await post('iam', { Action: 'GetRolePolicy', RoleName: 'deployer', PolicyName: 'a' });
    const malformed = await post('iam', { Action: 'PutRolePolicy', RoleName: 'deployer', PolicyName: 'd', PolicyDocument: 'not json' });
    const first = await post('iam', { Action: 'ListRolePolicies', RoleName: 'deployer', MaxItems: '2' });
    const marker = /<Marker>([^<]+)<\/Marker>/.exec(first.body)?.[1] ?? '';
    const second = await post('iam', { Action: 'ListRolePolicies', RoleName: 'deployer', Marker: marker });

    expect(get.body).toContain('<RoleName>deployer</RoleName><PolicyName>a</PolicyName><PolicyDocument>%7B%22Statement%22%3A%5B%7B%22Sid%22%3A%22x%20%28y%29%21%22%7D%5D%7D</PolicyDocument>');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toContain('<Code>MalformedPolicyDocument</Code>');
    expect(aws.roleState('deployer')?.inlinePolicies.d).toBeUndefined();
    expect(first.body).toContain('<PolicyNames><member>a</member><member>b</member></PolicyNames><IsTruncated>true</IsTruncated>');
    expect(second.body).toContain('<PolicyNames><member>c</member></PolicyNames><IsTruncated>false</IsTruncated>');
  });

  it('forgets roles on reset', () => {
    aws.role('deployer').attach('arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(aws.roleState('deployer')?.attachedPolicyArns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);

    aws.reset();

    expect(aws.roleState('deployer')).toBeUndefined();
  });
});

describe('fake STS on the wire', () => {
  it('answers GetAccessKeyInfo in the STS namespace', async () => {
    const answer = await post('sts', { Action: 'GetAccessKeyInfo', AccessKeyId: 'ASIAY34FZKBOKMUTVV7A' });

    expect(answer.body.trim()).toBe(
      `<GetAccessKeyInfoResponse xmlns="${STS_NS}"><GetAccessKeyInfoResult><Account>609629065308</Account>` +
        `</GetAccessKeyInfoResult><ResponseMetadata><RequestId>${answer.requestId}</RequestId></ResponseMetadata>` +
        '</GetAccessKeyInfoResponse>',
    );
  });

  it('names the signing user as caller when the request is signed with a seeded key', async () => {
    aws.account('444455556666').user('mallory').key('AKIAKEYINCIDENTTESTS');

    const answer = await post('sts', { Action: 'GetCallerIdentity' });

    expect(answer.body).toContain('<Arn>arn:aws:iam::444455556666:user/mallory</Arn>');
    expect(answer.body).toContain('<Account>444455556666</Account>');
  });
});
