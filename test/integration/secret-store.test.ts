import { inspect } from 'node:util';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients, destroyAwsClients } from '../../src/adapters/aws-clients.js';
import { SdkSecretStore, clientRequestToken } from '../../src/adapters/secrets/sdk-secret-store.js';
import type { NewAccessKey } from '../../src/domain/action/iam-footprint.js';
import { replacementSecretPolicy } from '../../src/domain/action/secret-policy.js';
import { REDACTED, type FakeAws } from '../fakes/fake-aws.js';
import { type AwsUnderTest, rejection, startAwsUnderTest, until } from '../support/aws.js';

const REGION = 'eu-west-1';
const NAME = 'key-incident/KI-7F3A9C/replacement-key';
const DESCRIPTION = 'Replacement for AKIA… created by key-incident for KI-7F3A9C';

let aws: FakeAws;
let env: AwsUnderTest;
let store: SdkSecretStore;

beforeAll(async () => {
  env = await startAwsUnderTest(REGION, 3);
  aws = env.aws;
  store = new SdkSecretStore(env.clients.secretsManager);
});

beforeEach(() => aws.reset());

afterAll(() => env.close());

const READERS = ['arn:aws:iam::111122223333:role/Deployer', 'arn:aws:iam::111122223333:user/key-incident-bot'];
const GUARD = { description: DESCRIPTION, kmsKeyId: 'alias/key-incident-replacement-secrets', resourcePolicy: replacementSecretPolicy(READERS) };

/** The secret made and fenced off, then the key stored in it, as the replacement does. */
async function stored(key: NewAccessKey, secrets = store): Promise<{ arn: string }> {
  await secrets.guardSecret(NAME, GUARD);
  return secrets.storeAccessKey(NAME, key);
}

/** A key as IAM would hand it out (the fake's id and secret shapes). */
function newKey(): NewAccessKey {
  const keyId = aws.keyIdFor(aws.botAccount);
  return { keyId, secretAccessKey: `wJalrXUtnFEMI/K7MDENG/bPxRfiCY${keyId.slice(-10)}`, createdAt: '2024-05-01T12:00:00.000Z' };
}

describe('SdkSecretStore: storing a replacement key', () => {
  it('makes the secret empty with the KMS key, fences it off, then stores the key id and secret as JSON and answers with the ARN', async () => {
    const key = newKey();

    const { arn } = await stored(key);

    expect(arn).toMatch(new RegExp(`^arn:aws:secretsmanager:${REGION}:111122223333:secret:${NAME}-[A-Za-z0-9]{6}$`));
    expect(JSON.parse(aws.secretValue(NAME)!)).toEqual({ accessKeyId: key.keyId, secretAccessKey: key.secretAccessKey });
    expect(aws.secret(NAME)).toEqual({
      name: NAME,
      arn,
      region: REGION,
      description: DESCRIPTION,
      tags: [
        { Key: 'managed-by', Value: 'key-incident' },
        { Key: 'key-incident:access-key-id', Value: key.keyId },
      ],
      versionIds: [clientRequestToken(NAME)],
      kmsKeyId: GUARD.kmsKeyId,
      resourcePolicy: JSON.parse(GUARD.resourcePolicy),
    });
    // The policy is in place before any value: no moment where the value is readable by others.
    expect(aws.calls.map((c) => c.action)).toEqual(['CreateSecret', 'PutResourcePolicy', 'PutSecretValue', 'TagResource']);
    expect(aws.calls[0]?.params).not.toHaveProperty('SecretString');
    expect(aws.calls[1]?.params).toMatchObject({ BlockPublicPolicy: 'true' });
  });

  it('sends the secret to Secrets Manager only: the call log shows it redacted', async () => {
    const key = newKey();

    await stored(key);

    const call = aws.calls.find((c) => c.action === 'PutSecretValue');
    expect(call).toMatchObject({ service: 'secretsmanager', region: REGION, action: 'PutSecretValue', status: 200 });
    expect(call?.params).toMatchObject({ SecretId: NAME, SecretString: REDACTED, ClientRequestToken: clientRequestToken(NAME) });
    expect(JSON.stringify(aws.calls)).not.toContain(key.secretAccessKey);
  });

  it('derives the same 36-character token from the same name, and another from another name', () => {
    expect(clientRequestToken(NAME)).toBe(clientRequestToken(NAME));
    expect(clientRequestToken(NAME)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(clientRequestToken(`${NAME}-2`)).not.toBe(clientRequestToken(NAME));
  });

  it('is idempotent on retry: the same key under the same name answers the same ARN, one version', async () => {
    const key = newKey();

    const first = await stored(key);
    const again = await stored(key);

    expect(again).toEqual(first);
    expect(aws.secret(NAME)?.versionIds).toHaveLength(1);
    expect(aws.count('CreateSecret')).toBe(2);
    expect(aws.count('PutSecretValue')).toBe(2);
  });

  it('lets the SDK retry throttling, storing the secret once', async () => {
    aws.throttle('PutSecretValue', 2);

    const { arn } = await stored(newKey());

    expect(aws.count('PutSecretValue')).toBe(3);
    expect(aws.calls.filter((c) => c.action === 'PutSecretValue').map((c) => c.errorCode)).toEqual(['ThrottlingException', 'ThrottlingException', undefined]);
    expect(aws.secret(NAME)?.arn).toBe(arn);
  });

  it('refuses another key under a name already used, keeping the first (ResourceExistsException)', async () => {
    const first = newKey();
    await stored(first);

    const error = await rejection(stored(newKey()));

    expect(error).toMatchObject({ code: 'ResourceExistsException', service: 'secretsmanager', operation: 'PutSecretValue', retryable: false });
    expect(JSON.parse(aws.secretValue(NAME)!).accessKeyId).toBe(first.keyId);
  });

  it('is refused a policy that lets everyone in (PublicPolicyException), so no value is ever stored', async () => {
    const open = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] });

    const error = await rejection(store.guardSecret(NAME, { ...GUARD, resourcePolicy: open }));

    expect(error).toMatchObject({ code: 'PublicPolicyException', operation: 'PutResourcePolicy' });
    expect(aws.secret(NAME)).toMatchObject({ versionIds: [] });
    expect(aws.secret(NAME)).not.toHaveProperty('resourcePolicy');
  });

  it('takes over the empty secret an interrupted attempt made: the policy is put again, the value stored once', async () => {
    await store.guardSecret(NAME, GUARD);
    const key = newKey();

    const { arn } = await stored(key);

    expect(aws.count('CreateSecret')).toBe(2);
    expect(aws.secret(NAME)).toMatchObject({ arn, versionIds: [clientRequestToken(NAME)], resourcePolicy: JSON.parse(GUARD.resourcePolicy) });
  });

  it('refuses a name someone else created (another token) with ResourceExistsException', async () => {
    await env.clients.secretsManager.send(new CreateSecretCommand({ Name: NAME, SecretString: 'not ours' }));

    const error = await rejection(stored(newKey()));

    expect(error).toMatchObject({ code: 'ResourceExistsException', message: `The operation failed because the secret ${NAME} already exists.` });
    expect(aws.secretValue(NAME)).toBe('not ours');
  });

  it('keeps the secret out of the error when AWS quotes it back, and attaches no cause', async () => {
    const key = newKey();
    const echoed = `1 validation error detected: Value '{"accessKeyId":"${key.keyId}","secretAccessKey":"${key.secretAccessKey.replace(/\//g, '\\/')}"}' at 'secretString' failed to satisfy constraint`;
    aws.failNext('PutSecretValue', 'ValidationException', { message: echoed });

    const error = await rejection(stored(key));

    expect(error.code).toBe('ValidationException');
    expect(error.message).toContain('withheld');
    expect(error.cause).toBeUndefined();
    expect(inspect(error, { depth: 10 })).not.toContain(key.secretAccessKey.slice(0, 12));
    expect(JSON.stringify(error)).not.toContain(key.secretAccessKey.slice(0, 12));
  });

  it("keeps AWS's message when it does not quote the secret", async () => {
    aws.deny('CreateSecret');

    const error = await rejection(stored(newKey()));

    expect(error).toMatchObject({ code: 'AccessDeniedException', retryable: false });
    expect(error.message).toBe(
      `User: arn:aws:iam::111122223333:user/key-incident-bot is not authorized to perform: secretsmanager:CreateSecret on resource: ${NAME} because no identity-based policy allows the secretsmanager:CreateSecret action`,
    );
  });
});

describe('SdkSecretStore: finding a secret', () => {
  it('finds a stored secret by name', async () => {
    const { arn } = await stored(newKey());

    expect(await store.findSecret(NAME)).toEqual({ arn, hasValue: true });
  });

  it('finds nothing for a name never used (ResourceNotFoundException)', async () => {
    expect(await store.findSecret(NAME)).toBeUndefined();
    expect(aws.calls[0]).toMatchObject({ action: 'DescribeSecret', status: 400, errorCode: 'ResourceNotFoundException' });
  });

  it('finds nothing in another region: secrets are regional, the region taken from the signature', async () => {
    await stored(newKey());
    const elsewhere = createAwsClients({ region: 'us-east-1', maxAttempts: 1 });
    try {
      expect(await new SdkSecretStore(elsewhere.secretsManager).findSecret(NAME)).toBeUndefined();
    } finally {
      destroyAwsClients(elsewhere);
    }
  });

  it('serves the stored value through GetSecretValue, for checks from outside the app', async () => {
    const key = newKey();
    await stored(key);

    const got = await env.clients.secretsManager.send(new GetSecretValueCommand({ SecretId: NAME }));

    expect(JSON.parse(got.SecretString!)).toEqual({ accessKeyId: key.keyId, secretAccessKey: key.secretAccessKey });
    expect(got).toMatchObject({ Name: NAME, VersionId: clientRequestToken(NAME), VersionStages: ['AWSCURRENT'] });
    expect(got.CreatedDate).toBeInstanceOf(Date);
  });
});

describe('FakeAws.hold: stopping the app around PutSecretValue', () => {
  it.each([false, true])('with apply: %s, a retry after the crash stores the key once, under one ARN', async (apply) => {
    const key = newKey();
    const crashing = createAwsClients({ region: REGION, maxAttempts: 3 });
    const held = aws.hold('PutSecretValue', { apply });

    void stored(key, new SdkSecretStore(crashing.secretsManager)).catch(() => undefined);
    const request = await held.arrived;
    destroyAwsClients(crashing);
    await until(() => aws.swallowed.length > 0);
    expect(request.params.SecretString).toBe(REDACTED);
    expect(aws.swallowed[0]?.params.SecretString).toBe(REDACTED);
    expect(aws.secretValue(NAME) !== undefined).toBe(apply);

    const { arn } = await stored(key);
    held.release();

    expect(aws.secret(NAME)).toMatchObject({ arn, versionIds: [clientRequestToken(NAME)] });
    expect(JSON.parse(aws.secretValue(NAME)!)).toEqual({ accessKeyId: key.keyId, secretAccessKey: key.secretAccessKey });
  });
});

describe('fake Secrets Manager on the wire', () => {
  async function post(target: string, body: object): Promise<{ status: number; type: string | null; json: unknown }> {
    const response = await fetch(aws.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `secretsmanager.${target}`,
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAKEYINCIDENTTESTS/20240115/${REGION}/secretsmanager/aws4_request, SignedHeaders=host, Signature=00`,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, type: response.headers.get('content-type'), json: await response.json() };
  }

  it('answers an unknown secret with 400 and the JSON error envelope', async () => {
    const answer = await post('DescribeSecret', { SecretId: 'nope' });

    expect(answer).toEqual({
      status: 400,
      type: 'application/x-amz-json-1.1',
      json: { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." },
    });
  });

  it('rejects a ClientRequestToken shorter than 32 characters', async () => {
    const answer = await post('CreateSecret', { Name: 'x', SecretString: 'v', ClientRequestToken: 'short' });

    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ __type: 'ValidationException' });
  });

  it('writes times as epoch seconds and omits VersionId for a secret created without a value', async () => {
    const created = await post('CreateSecret', { Name: 'empty', ClientRequestToken: clientRequestToken('empty') });
    const described = await post('DescribeSecret', { SecretId: 'empty' });

    expect(created.json).toEqual({ ARN: expect.stringMatching(/:secret:empty-[A-Za-z0-9]{6}$/), Name: 'empty' });
    expect(described.json).toMatchObject({ Name: 'empty', VersionIdsToStages: {}, CreatedDate: expect.any(Number) });
  });
});
