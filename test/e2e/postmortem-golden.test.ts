/**
 * Golden files of the three export formats, for an incident built through the real flow
 * (opened, assessed, reviewed, contained by two approvals, a note, resolved). Values that
 * change from run to run (times, ids, keys, request ids) are replaced by placeholders first.
 * `UPDATE_GOLDEN=1 npx vitest run test/e2e/postmortem-golden.test.ts` rewrites the files.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVER, type Bot, startBot, startWorld, type World } from '../support/harness.js';
import { actionReached, adminKey, click, openIncident, refOf } from '../support/incident-flow.js';

const GOLDEN = resolve(import.meta.dirname, '../golden');

let world: World;
let bot: Bot;
let incidentId: string;

/** Replaces what differs between runs with stable placeholders (keys numbered by first use). */
function normalise(text: string): string {
  const keys = new Map<string, string>();
  return text
    .replace(/A[KS]IA[A-Z2-7]{16}/g, (k) => { if (!keys.has(k)) keys.set(k, `<KEY-${keys.size + 1}>`); return keys.get(k)!; })
    .replace(/KI-[0-9A-F]{6}/g, '<INCIDENT>')
    .replace(/\b[0-9A-HJKMNP-TV-Z]{26}\b/g, '<ULID>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<UUID>')
    .replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?Z?/g, '<TIME>')
    .replace(/\b\d{10}\.\d{6}\b/g, '<TS>')
    .replace(/\b\d+ (h|min|s|ms)\b/g, '<N $1>');
}

async function exported(format: 'md' | 'json' | 'csv'): Promise<string> {
  const id = `golden-${format}`;
  await bot.command(`export ${incidentId} ${format}`, { user_id: APPROVER, response_url: world.slack.responseUrl(id) });
  await world.slack.waitForResponse((r) => r.id === id);
  return world.slack.files.filter((f) => f.name === `${incidentId}-postmortem.${format}`).at(-1)!.content;
}

async function approve(ts: string, title: string): Promise<void> {
  const { ref, messageTs } = refOf(world, ts, title);
  const done = actionReached(world, messageTs, 'succeeded');
  await click(world, bot, 'ki_approve', ref, APPROVER);
  await done;
}

beforeAll(async () => {
  world = await startWorld('golden');
  bot = await startBot(world);
  const keyId = adminKey(world, 'golden-user');
  const opened = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
  incidentId = opened.incidentId;
  // Let the CloudTrail review finish so that no event interleaves with the approvals.
  await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === opened.ts && String(c.params.text).startsWith('CloudTrail review:'));
  await approve(opened.ts, 'Disable access key');
  await approve(opened.ts, 'Revoke active sessions');
  await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === opened.ts && String(c.params.text).startsWith('🟢 Contained'));
  await bot.command(`note ${incidentId} | injected | cell | and \`code\` and <b>html</b>`, { user_id: APPROVER, response_url: world.slack.responseUrl('golden-note') });
  await world.slack.waitForResponse((r) => r.id === 'golden-note');
  await bot.command(`resolve ${incidentId} key rotated; no misuse in CloudTrail`, { user_id: APPROVER, response_url: world.slack.responseUrl('golden-resolve') });
  await world.slack.waitForResponse((r) => r.id === 'golden-resolve');
});

afterAll(async () => {
  await bot.stop();
  await world.close();
});

describe('postmortem exports match their golden files', () => {
  it.each(['md', 'json', 'csv'] as const)('%s', async (format) => {
    const actual = normalise(await exported(format));
    const path = join(GOLDEN, `postmortem.${format}`);
    if (process.env.UPDATE_GOLDEN === '1') await writeFile(path, actual);
    expect(actual).toBe(await readFile(path, 'utf8'));
  });
});
