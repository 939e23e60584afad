/**
 * End to end: a key id names the key's latest incident after it is resolved (status, export,
 * reopen), commands that do not take a resolved incident say why, `list` shows recently resolved
 * incidents under their own heading, and incidents stored before this existed are found too.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toEventItem, toIncidentItem } from '../../src/adapters/dynamodb/mapper.js';
import { IncidentStatus } from '../../src/domain/incident/incident.js';
import { APPROVER, type Bot, startBot, startWorld, type World } from '../support/harness.js';
import { adminKey, openIncident } from '../support/incident-flow.js';
import { anEvent, anIncident } from '../support/incident-builders.js';

let world: World;
let bot: Bot;

/** Resolved before key entries existed: only its incident item and its events are stored. */
const legacy = anIncident({
  id: 'KI-01D5E7', keyId: 'AKIALEGACYRESOLVED22', channelId: 'C0OLDCHAN', status: IncidentStatus.Resolved,
  openedAt: '2025-01-10T09:00:00.000Z', resolvedAt: '2025-01-11T09:00:00.000Z', resolution: 'rotated before the upgrade',
});

beforeAll(async () => {
  world = await startWorld('lookup-by-key');
  for (const item of [toIncidentItem(legacy), toEventItem(anEvent(legacy))]) {
    await world.table.client.send(new PutCommand({ TableName: world.table.tableName, Item: { ...item } }));
  }
  bot = await startBot(world);
});
afterEach(() => world.aws.reset());
afterAll(async () => {
  await bot?.stop();
  await world?.close();
});

/** The private answer to `text`, as the JSON Slack received. */
async function say(text: string, user = APPROVER): Promise<string> {
  const id = `r-${Math.random().toString(36).slice(2)}`;
  await bot.command(text, { user_id: user, response_url: world.slack.responseUrl(id) });
  return JSON.stringify((await world.slack.waitForResponse((r) => r.id === id)).body);
}

describe('a key id after its incident is resolved', () => {
  it('finds the resolved incident for status and export, refuses a note saying why, and names the newer incident once one is opened', async () => {
    const keyId = adminKey(world, 'after-resolve');
    const { incidentId } = await openIncident(world, bot, keyId, ['Disable access key']);
    expect(await say(`resolve ${keyId} key rotated`)).toContain('is now *resolved*');

    const status = await say(`status ${keyId}`);
    expect(status).toContain(incidentId);
    expect(status).toContain('*resolved*');
    expect(status).toContain('Resolution: key rotated');
    expect(await say(`export ${keyId}`)).toContain(`${incidentId}-postmortem.md`);
    expect(await say(`note ${keyId} rotated in CI`)).toContain(`${incidentId} (${keyId}) is resolved, so it takes no more notes.`);
    expect(await say(`review ${keyId}`)).toContain('is resolved, so its key');
    expect(await say(`resolve ${keyId}`)).toContain(`${incidentId} is resolved: it cannot become resolved.`);

    const list = await say('list');
    expect(list).toContain('Resolved in the last 30 days');
    expect(list.indexOf(incidentId)).toBeGreaterThan(list.indexOf('Resolved in the last 30 days'));

    const mark = world.slack.mark();
    await bot.command(keyId);
    const root = await world.slack.waitForCall('chat.postMessage', (c) => c.seq > mark && c.params.thread_ts === undefined && String(c.params.text).includes(keyId));
    const newer = /KI-[0-9A-F]{6}/.exec(String(root.params.text))![0];
    expect(newer).not.toBe(incidentId);
    expect(await say(`status ${keyId}`)).toContain(newer);
    expect(await say(`reopen ${incidentId}`)).toContain(`has another open incident, ${newer}`);
  });

  it('says when a key never had an incident, and how to open one', async () => {
    expect(await say('status AKIANEVERSEENBEFORE2')).toContain('No incident was ever opened for AKIANEVERSEENBEFORE2.');
  });
});

describe('an incident resolved before lookups by key id existed', () => {
  it('is found by its key id once the bot has started', async () => {
    expect(await bot.running.backfilled).toBeGreaterThanOrEqual(1);
    const status = await say(`status ${legacy.keyId}`);
    expect(status).toContain(legacy.id);
    expect(status).toContain('Resolution: rotated before the upgrade');
  });
});
