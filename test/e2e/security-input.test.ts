/**
 * End to end, what comes in: forged or stale requests are refused, bad input is answered at
 * once and changes nothing, and a pasted secret access key is never kept, logged or shown.
 * Two worlds: in `quiet` no incident is ever opened, so it must stay empty; `busy` opens some.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_ACCOUNT, keyIdForAccount } from '../fakes/fake-aws.js';
import { type Bot, SIGNING_SECRET, scanTable, startBot, startWorld, type World } from '../support/harness.js';
import { aSecretAccessKey, EXAMPLE_SECRET, placesHolding } from '../support/secrets.js';
import { blockActions, formBody, interactionBody, type SignedPostResult, signedPost, slashCommand } from '../support/slack-requests.js';

interface Running {
  readonly world: World;
  readonly bot: Bot;
  /** The table once start-up's own work is done (the one-off migration's marker). */
  readonly startedWith: Record<string, unknown>[];
}

let quiet: Running;
let busy: Running;

async function start(label: string): Promise<Running> {
  const world = await startWorld(label);
  const bot = await startBot(world);
  await bot.running.backfilled;
  return { world, bot, startedWith: await scanTable(world.table) };
}

beforeAll(async () => {
  // One after the other: startWorld points the AWS SDK's environment at its own fake.
  quiet = await start('security-quiet');
  busy = await start('security-busy');
});
afterAll(async () => {
  for (const { world, bot } of [quiet, busy]) {
    await bot.stop();
    await world.close();
  }
});

/** The quiet world is untouched: no item since start-up, no Slack post or response, no AWS call. */
async function expectQuietUntouched(): Promise<void> {
  const { world, startedWith } = quiet;
  expect(startedWith.map((i) => i.entity)).toEqual(['migration-marker']);
  expect(await scanTable(world.table)).toEqual(startedWith);
  expect(world.slack.calls.map((c) => c.method).filter((m) => m !== 'auth.test')).toEqual([]);
  expect(world.slack.responses()).toEqual([]);
  expect(world.aws.calls).toEqual([]);
}

/** The JSON body of an ack that answers privately, as text. */
function ephemeralAck(res: SignedPostResult): string {
  expect(res.status).toBe(200);
  expect(res.contentType).toMatch(/^application\/json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body.response_type).toBe('ephemeral');
  return JSON.stringify(body);
}

/** Where the secret is found among everything the bot wrote (logs, Slack, table) and its ack. */
async function whereIs(secret: string, { world, bot }: Running, ack: SignedPostResult): Promise<string[]> {
  return placesHolding(secret, {
    logs: bot.logs.text,
    slack: JSON.stringify(world.slack.records),
    table: JSON.stringify(await scanTable(world.table)),
    ack: ack.body,
  });
}

describe('requests that are not from Slack', () => {
  it('refuses a bad signature, a stale timestamp or no signature with 401 and does nothing', async () => {
    const { bot, world } = quiet;
    const command = formBody(slashCommand({ text: keyIdForAccount(DEFAULT_BOT_ACCOUNT), response_url: world.slack.responseUrl('forged') }));
    const click = interactionBody(blockActions({ actionId: 'ki_permission_details', value: 'KI-000000' }));
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;

    const answers = [
      await signedPost(bot.eventsUrl, command, { signingSecret: SIGNING_SECRET, badSignature: true }),
      await signedPost(bot.eventsUrl, command, { signingSecret: SIGNING_SECRET, timestamp: sixMinutesAgo }),
      await signedPost(bot.eventsUrl, click, { signingSecret: SIGNING_SECRET, badSignature: true }),
      await fetch(bot.eventsUrl, { method: 'POST', headers: { 'content-type': command.contentType }, body: command.raw }),
    ];

    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    await bot.logs.waitFor((l) => l.includes('signature mismatch'));
    await bot.logs.waitFor((l) => l.includes('no more than 5 minutes'));
    await expectQuietUntouched();
  });
});

describe('bad input', () => {
  it.each([
    ['a key that is too short', 'AKIAIOSFODNN7EXAMP', /No access key id found/],
    ['a lower-case key', 'akiaiosfodnn7example', /No access key id found/],
    ['a temporary key id too short', 'ASIAY34FZKBOKMUTVV7', /No access key id found.*ASIA for a temporary key/],
    ['an IAM user id', 'AIDAJQABLZS4A3QDU576Q', /IAM unique id \(AIDA…\), not an access key id/],
    ['two different keys', `${keyIdForAccount(DEFAULT_BOT_ACCOUNT)} ${keyIdForAccount(DEFAULT_BOT_ACCOUNT)}`, /Found 2 access key ids\. Open one incident per key/],
    ['help with the usage', 'help', /Usage:.*\/key-incident AKIA…/],
  ])('answers %s privately in the ack and changes nothing', async (_, text, expected) => {
    const res = await quiet.bot.command(text, { response_url: quiet.world.slack.responseUrl('bad-input') });
    expect(ephemeralAck(res)).toMatch(expected);
    await expectQuietUntouched();
  });
});

describe('a pasted secret access key', () => {
  it.each([
    ['AWS’s example secret', EXAMPLE_SECRET, (secret: string) => `oops ${secret}`],
    ['a freshly generated secret', aSecretAccessKey(), (secret: string) => secret],
    ['a secret pasted as a .env line', aSecretAccessKey(), (secret: string) => `AWS_SECRET_ACCESS_KEY=${secret}`],
  ])('warns to treat %s as exposed and keeps it out of logs, Slack and the table', async (_, secret, paste) => {
    const res = await quiet.bot.command(paste(secret), { response_url: quiet.world.slack.responseUrl('secret-only') });
    const answer = ephemeralAck(res);
    expect(answer).toContain('That looks like a secret access key');
    expect(answer).toContain('must be disabled and replaced');
    expect(await whereIs(secret, quiet, res)).toEqual([]);
    await expectQuietUntouched();
  });

  it.each([
    ['after the key, with words', (key: string, secret: string) => `${key} ${secret} leaked in ci logs`],
    ['as .env lines', (key: string, secret: string) => `AWS_ACCESS_KEY_ID=${key}\nAWS_SECRET_ACCESS_KEY=${secret}`],
    ['as a credentials file', (key: string, secret: string) => `[default]\naws_access_key_id = ${key}\naws_secret_access_key = ${secret}`],
    ['as JSON', (key: string, secret: string) => JSON.stringify({ AccessKeyId: key, SecretAccessKey: secret })],
  ])('opens the incident for a key pasted with its secret %s, warns, and drops the secret and the note', async (_, paste) => {
    const { world, bot } = busy;
    const keyId = keyIdForAccount(world.aws.botAccount);
    const secret = aSecretAccessKey();
    const responseId = `with-secret-${keyId}`;

    const res = await bot.command(paste(keyId, secret), { response_url: world.slack.responseUrl(responseId) });

    expect(res.status).toBe(200);
    const root = await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === undefined && String(c.params.text).includes(keyId));
    // The assessment is over once the root shows its outcome: every write is done by then.
    await world.slack.waitForCall('chat.update', (c) => c.params.ts === root.result.ts && !String(c.params.text).includes('assessing'), { timeoutMs: 15_000 });
    expect(await whereIs(secret, busy, res)).toEqual([]);
    const incident = (await scanTable(world.table)).find((i) => i.sk === 'META' && i.keyId === keyId);
    expect(incident).toMatchObject({ status: 'open', keyId });
    expect(incident).not.toHaveProperty('note');
    // The warning is sent before the assessment starts.
    const warnings = world.slack.responses(responseId);
    expect(warnings.map((w) => w.responseType)).toEqual(['ephemeral']);
    expect(JSON.stringify(warnings[0]!.body)).toContain('You also pasted what looks like a secret access key');
    expect(JSON.stringify(warnings[0]!.body)).toContain('anything else you typed was dropped');
  });
});
