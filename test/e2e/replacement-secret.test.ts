/**
 * Who can read a replacement key: the secret is fenced off by a resource policy (BlockPublicPolicy)
 * and the configured KMS key before its value is stored, the exposed key is refused its value and a
 * named reader is not, the thread names the readers; with no readers configured the bot refuses and
 * says what to set, making nothing in IAM or Secrets Manager.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, startBot, startWorld, type World } from '../support/harness.js';
import { actionReached, chooseMoreAction, click, mutatingAwsCalls, openIncident, proposalPosted, refOf, storedAction } from '../support/incident-flow.js';
import { DEPLOYER_ARN, REPLACEMENT_KMS_KEY } from '../support/secrets.js';

const A = 'U0APPROVER';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READER = 'arn:aws:iam::111122223333:user/release-bot';
const BOT = 'arn:aws:iam::111122223333:user/key-incident-bot';

let world: World;

beforeAll(async () => {
  world = await startWorld('replacement-secret');
});
afterEach(() => world.aws.reset());
afterAll(async () => {
  await world?.close();
});

/** An admin key's incident with a replacement approved; the proposal's last update. */
async function replaced(bot: Bot, userName: string, status: string) {
  const keyId = world.aws.keyIdFor(world.aws.botAccount);
  world.aws.user(userName).key(keyId).attach(ADMIN);
  const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
  await chooseMoreAction(world, bot, incidentId, 'create-replacement-key', A);
  await proposalPosted(world, ts, 'Create replacement key');
  const { ref, messageTs } = refOf(world, ts, 'Create replacement key');
  const reached = actionReached(world, messageTs, status);
  await click(world, bot, 'ki_approve', ref, A);
  return { keyId, ref, incidentId, update: await reached, name: `key-incident/${incidentId}/${ref.split(':')[1]}` };
}

/** GetSecretValue signed with `accessKeyId` (the fake knows the caller by its key id). */
async function readAs(accessKeyId: string, secretId: string): Promise<string> {
  const client = new SecretsManagerClient({ region: 'eu-west-1', endpoint: world.aws.url, maxAttempts: 1, credentials: { accessKeyId, secretAccessKey: 'unused-in-the-fake' } });
  try {
    const got = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    return got.SecretString === undefined ? 'no value' : 'read';
  } catch (err) {
    return (err as { name?: string }).name ?? 'error';
  } finally {
    client.destroy();
  }
}

describe('with readers and a KMS key configured', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot(world, { APPROVER_USER_IDS: A, REPLACEMENT_SECRET_READERS: `${DEPLOYER_ARN},${READER}`, REPLACEMENT_SECRET_KMS_KEY_ID: REPLACEMENT_KMS_KEY });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('fences the secret off before storing the value; the exposed key is denied it, a reader is not; the thread names the readers', async () => {
    const { keyId, update, name } = await replaced(bot, 'fenced', 'succeeded');

    const secret = world.aws.secret(name)!;
    expect(secret.kmsKeyId).toBe(REPLACEMENT_KMS_KEY);
    expect(secret.resourcePolicy).toMatchObject({
      Statement: [{ Effect: 'Deny', Principal: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': [DEPLOYER_ARN, READER, BOT] } } }],
    });
    const secretCalls = world.aws.calls.filter((c) => c.service === 'secretsmanager').map((c) => c.action);
    expect(secretCalls.slice(0, 2)).toEqual(['CreateSecret', 'PutResourcePolicy']);
    expect(secretCalls.indexOf('PutSecretValue')).toBeGreaterThan(secretCalls.indexOf('PutResourcePolicy'));
    expect(world.aws.calls.find((c) => c.action === 'PutResourcePolicy')?.params).toMatchObject({ BlockPublicPolicy: 'true' });
    expect(world.aws.calls.findIndex((c) => c.action === 'CreateAccessKey')).toBeGreaterThan(world.aws.calls.findIndex((c) => c.action === 'PutResourcePolicy'));

    const readerKey = world.aws.keyIdFor(world.aws.botAccount);
    world.aws.user('release-bot').key(readerKey);
    expect(await readAs(keyId, name)).toBe('AccessDeniedException');
    expect(await readAs(readerKey, name)).toBe('read');

    const blocks = JSON.stringify(update.params.blocks);
    expect(blocks).toContain(`Only ${DEPLOYER_ARN}, ${READER} and key-incident's own role can read it`);
    expect(blocks).toContain(REPLACEMENT_KMS_KEY);
  });
});

describe('with no readers configured', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot(world, { APPROVER_USER_IDS: A });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('refuses the replacement, says what to set, and makes nothing in IAM or Secrets Manager', async () => {
    const { ref, update } = await replaced(bot, 'unread', 'failed');

    const blocks = JSON.stringify(update.params.blocks);
    expect(blocks).toContain('*Failed* (`SecretReadersNotSet`)');
    expect(blocks).toContain('Set REPLACEMENT_SECRET_READERS');
    expect(blocks).toContain('REPLACEMENT_SECRET_KMS_KEY_ID');
    expect(await storedAction(world, ref)).toMatchObject({ status: 'failed', outcome: { code: 'SecretReadersNotSet' } });
    expect(mutatingAwsCalls(world)).toEqual([]);
    expect(world.aws.userState('unread')!.keys).toHaveLength(1);
  });
});
