import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/adapters/aws-clients.js';
import { SdkStsReader } from '../../src/adapters/sts/sdk-sts-reader.js';
import type { FakeAws } from '../fakes/fake-aws.js';
import { type AwsUnderTest, rejection, startAwsUnderTest } from '../support/aws.js';

const REGION = 'us-west-2';
const BOT_ACCOUNT = '123456789012';

let aws: FakeAws;
let clients: AwsClients;
let reader: SdkStsReader;
let env: AwsUnderTest;

beforeAll(async () => {
  env = await startAwsUnderTest(REGION, 2, { botAccount: BOT_ACCOUNT });
  ({ aws, clients } = env);
});

beforeEach(() => {
  aws.reset();
  reader = new SdkStsReader(clients.sts);
});

afterAll(() => env.close());

describe('SdkStsReader: the account of a key', () => {
  it('decodes the account from a real key id as AWS does (documented pair ASIAY34FZKBOKMUTVV7A → 609629065308)', async () => {
    await expect(reader.getAccessKeyAccount('ASIAY34FZKBOKMUTVV7A')).resolves.toBe('609629065308');
  });

  it('decodes the AWS documentation example key by the same algorithm', async () => {
    await expect(reader.getAccessKeyAccount('AKIAIOSFODNN7EXAMPLE')).resolves.toBe('581039954779');
  });

  it('finds the account of a freshly made key for any account, leading zeros kept', async () => {
    const keyId = aws.keyIdFor('000012345678');

    await expect(reader.getAccessKeyAccount(keyId)).resolves.toBe('000012345678');
  });

  it('answers the account a test registered for a key, over what the key id encodes', async () => {
    aws.registerKey('ASIAY34FZKBOKMUTVV7A', '999988887777');

    await expect(reader.getAccessKeyAccount('ASIAY34FZKBOKMUTVV7A')).resolves.toBe('999988887777');
  });

  it('answers the account of a user who holds the key', async () => {
    const mallory = aws.account('444455556666').user('mallory').key('AKIAMALLORYSEEDEDKEY');

    await expect(reader.getAccessKeyAccount(mallory.keyIds[0]!)).resolves.toBe('444455556666');
  });

  it('maps a too-short key id to the ValidationError STS gives', async () => {
    const error = await rejection(reader.getAccessKeyAccount('AKIASHORT'));

    expect(error).toMatchObject({ code: 'ValidationError', service: 'sts', operation: 'GetAccessKeyInfo', retryable: false });
  });

  it('maps AccessDenied with its code and request id', async () => {
    aws.deny('GetAccessKeyInfo');

    const error = await rejection(reader.getAccessKeyAccount('ASIAY34FZKBOKMUTVV7A'));

    expect(error).toMatchObject({ code: 'AccessDenied', retryable: false });
    expect(error.message).toContain('sts:GetAccessKeyInfo');
    expect(error.requestId).toBe(aws.calls.at(-1)?.requestId);
  });

  it('signs STS calls for the sts service in the configured region', async () => {
    await reader.getAccessKeyAccount('ASIAY34FZKBOKMUTVV7A');

    expect(aws.calls).toHaveLength(1);
    expect(aws.calls[0]).toMatchObject({ service: 'sts', region: REGION, action: 'GetAccessKeyInfo' });
    expect(aws.calls[0]?.params).toEqual({ AccessKeyId: 'ASIAY34FZKBOKMUTVV7A' });
  });
});

describe("SdkStsReader: the bot's own account", () => {
  it('returns the account of the bot credentials and asks STS only once', async () => {
    const first = await reader.getCallerIdentity();
    const second = await reader.getCallerIdentity();

    expect([first, second]).toEqual([{ account: BOT_ACCOUNT, arn: aws.botArn }, { account: BOT_ACCOUNT, arn: aws.botArn }]);
    expect(aws.count('GetCallerIdentity')).toBe(1);
  });

  it('asks again after a failed lookup instead of keeping the failure', async () => {
    aws.failNext('GetCallerIdentity', 'AccessDenied');

    const error = await rejection(reader.getCallerIdentity());
    const identity = await reader.getCallerIdentity();

    expect(error.code).toBe('AccessDenied');
    expect(identity.account).toBe(BOT_ACCOUNT);
    expect(aws.count('GetCallerIdentity')).toBe(2);
  });

  it('retries a throttled lookup and marks an exhausted one retryable', async () => {
    aws.throttle('GetCallerIdentity', 2);

    const error = await rejection(reader.getCallerIdentity());

    expect(error).toMatchObject({ code: 'Throttling', retryable: true, operation: 'GetCallerIdentity' });
    expect(aws.count('GetCallerIdentity')).toBe(2);
  });
});
