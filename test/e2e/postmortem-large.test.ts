/** A 10,000-event timeline exports through the command, streamed into an upload, in order. */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toEventItem } from '../../src/adapters/dynamodb/mapper.js';
import { TimelineEventType } from '../../src/domain/incident/incident.js';
import { APPROVER, type Bot, startBot, startWorld, type World } from '../support/harness.js';
import { adminKey, openIncident } from '../support/incident-flow.js';

const EVENTS = 10_000;

let world: World;
let bot: Bot;

beforeAll(async () => {
  world = await startWorld('postmortem-large');
  bot = await startBot(world);
});
afterAll(async () => {
  await bot.stop();
  await world.close();
});

/** Writes `count` thread notes straight into the table, 25 per batch, a few batches at a time. */
async function seedNotes(incidentId: string, count: number): Promise<void> {
  const ulid = monotonicFactory();
  const start = Date.parse('2026-01-01T00:00:00Z');
  const items = Array.from({ length: count }, (_, i) => toEventItem({
    incidentId, id: ulid(start + i), at: new Date(start + i * 1000).toISOString(), type: TimelineEventType.NoteAdded,
    actor: 'U0CHATTY', summary: `note ${String(i).padStart(5, '0')}, with a comma`, details: { source: 'thread' },
  }));
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, b) => items.slice(b * 25, b * 25 + 25));
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(batches.slice(i, i + 8).map((batch) => world.table.client.send(new BatchWriteCommand({
      RequestItems: { [world.table.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) },
    }))));
  }
}

it('exports a 10,000-event timeline as CSV and Markdown, every event once and in order', async () => {
  const keyId = adminKey(world, 'large');
  const { incidentId } = await openIncident(world, bot, keyId, ['Disable access key']);
  await seedNotes(incidentId, EVENTS);

  await bot.command(`export ${incidentId} csv`, { user_id: APPROVER, response_url: world.slack.responseUrl('large-csv') });
  await world.slack.waitForResponse((r) => r.id === 'large-csv', { timeoutMs: 60_000 });
  const csv = world.slack.files.find((f) => f.name === `${incidentId}-postmortem.csv`)!.content;
  const notes = csv.split('\r\n').filter((line) => line.includes(',U0CHATTY,'));
  expect(notes).toHaveLength(EVENTS);
  expect(notes.map((l) => /note (\d{5})/.exec(l)![1])).toEqual(Array.from({ length: EVENTS }, (_, i) => String(i).padStart(5, '0')));

  await bot.command(`export ${incidentId}`, { user_id: APPROVER, response_url: world.slack.responseUrl('large-md') });
  await world.slack.waitForResponse((r) => r.id === 'large-md', { timeoutMs: 60_000 });
  const md = world.slack.files.find((f) => f.name === `${incidentId}-postmortem.md`)!;
  expect(md.content.split('\n').filter((line) => line.includes('| U0CHATTY | note.added |'))).toHaveLength(EVENTS);
  expect(md.size).toBe(Buffer.byteLength(md.content));
}, 120_000);
