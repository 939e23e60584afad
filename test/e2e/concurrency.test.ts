/**
 * End to end, under real concurrency: two app instances on one DynamoDB Local table (two
 * processes' worth of clients), signed slash commands fired at once, Slack's retries racing
 * the original, and the same key asked for from another channel. Observed on the fake Slack,
 * the fake AWS and the table.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCallRecord, ResponseUrlRecord } from '../fakes/fake-slack.js';
import * as flow from '../support/incident-flow.js';
import { type Bot, scanTable, startBot, startWorld, waitForLines, type World } from '../support/harness.js';

const INCIDENT_ID = /KI-[0-9A-F]{6}/;
/** Generous: 20 requests share two processes, one table and one fake. */
const WAIT = { timeoutMs: 15_000 };

const adminKey = (userName: string) => flow.adminKey(world, userName);
const rootPostFor = (keyId: string, channel: string) => flow.rootPostFor(world, keyId, channel);
const finalRootUpdate = (channel: string, incidentId: string) => flow.finalRootUpdate(world, channel, incidentId);
const awsCallsAbout = (keyId: string, action?: string) => flow.awsCallsAbout(world, keyId, action);

let world: World;
let botA: Bot;
let botB: Bot;

beforeAll(async () => {
  world = await startWorld('concurrency');
  [botA, botB] = await Promise.all([startBot(world), startBot(world)]);
});
afterAll(async () => {
  await Promise.all([botA?.stop(), botB?.stop()]);
  await world?.close();
});
afterEach(() => world.aws.reset());

function rootPostsFor(keyId: string): ApiCallRecord[] {
  return world.slack.callsTo('chat.postMessage')
    .filter((c) => c.params.thread_ts === undefined && String(c.params.text).includes(keyId));
}

async function tableItemsFor(keyId: string) {
  const items = await scanTable(world.table);
  return {
    metas: items.filter((i) => i.sk === 'META' && i.keyId === keyId),
    guards: items.filter((i) => i.pk === `KEY#${keyId}` && i.sk === 'OPEN'),
    events: (incidentId: string) => items
      .filter((i) => i.pk === `INC#${incidentId}` && String(i.sk).startsWith('EV#'))
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk))),
  };
}

const responseText = (r: ResponseUrlRecord): string => String(r.body.text);

describe('Slack retries the request that opens an incident', () => {
  const userId = 'U0RETRIER';
  const ignoredLine = (incidentId: string) => (line: string) => line.includes('retry of an opening request ignored') && line.includes(incidentId);

  it('keeps both retries silent while the original is still posting the root message, and posts one root', async () => {
    const keyId = adminKey('retried-mid-post');
    const channel = 'C0RETRYMID';
    const payload = { user_id: userId, channel_id: channel, response_url: world.slack.responseUrl('retried-mid-post'), trigger_id: '1732900000.2.mid' };
    // Slack rate-limits the original's first root post: it is still posting (claim held, no root yet) for a second.
    // The fake's fault queue is not per channel, so this test runs first in the file, before any
    // other incident's work (which goes on after its test) could take the 429.
    world.slack.rateLimitNext('chat.postMessage', 1);

    const original = await botA.command(keyId, payload);
    const limited = await world.slack.waitForCall('chat.postMessage', (c) => c.params.channel === channel && c.httpStatus === 429, WAIT);
    const incidentId = INCIDENT_ID.exec(String(limited.params.text))![0];
    const retries = await Promise.all([botA.command(keyId, { ...payload, retryNum: 1 }), botB.command(keyId, { ...payload, retryNum: 2 })]);

    expect([original, ...retries].map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await waitForLines([botA.logs, botB.logs], ignoredLine(incidentId), 2)).toHaveLength(2);
    const root = await rootPostFor(keyId, channel);
    expect(root.seq).toBeGreaterThan(limited.seq);
    await finalRootUpdate(channel, incidentId);

    expect(world.slack.responses('retried-mid-post')).toHaveLength(0);
    expect(rootPostsFor(keyId).filter((c) => c.result.ok === true)).toHaveLength(1);
    expect(world.slack.messagesIn(channel)).toHaveLength(1);
    const { metas, events } = await tableItemsFor(keyId);
    expect(metas).toEqual([expect.objectContaining({ id: incidentId, openedBy: userId, rootTs: root.result.ts })]);
    expect(events(incidentId).map((e) => e.type)).not.toContain('incident.requested_again');
    expect(awsCallsAbout(keyId, 'GetAccessKeyLastUsed')).toBe(1);
  });

  it('opens one incident with one root and one assessment when both retries are fired at the same moment as the original', async () => {
    const keyId = adminKey('retried-at-once');
    const channel = 'C0RETRYRACE';
    // Real retries share the original's response_url; separate ones here tell the copies' words apart.
    const copy = (id: string) => ({ user_id: userId, channel_id: channel, response_url: world.slack.responseUrl(id), trigger_id: '1732900000.1.race' });

    const results = await Promise.all([
      botA.command(keyId, copy('race-original')),
      botA.command(keyId, { ...copy('race-retry-1'), retryNum: 1 }),
      botB.command(keyId, { ...copy('race-retry-2'), retryNum: 2 }),
    ]);

    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const root = await rootPostFor(keyId, channel);
    const incidentId = INCIDENT_ID.exec(String(root.params.text))![0];
    await finalRootUpdate(channel, incidentId);
    // Wait until every copy is done: when the original opened it, both retries log that they were
    // ignored; when a retry beat it, the other retry does and the late original answers (known bug below).
    const logs = [botA.logs, botB.logs];
    await Promise.any([
      waitForLines(logs, ignoredLine(incidentId), 2),
      Promise.all([waitForLines(logs, ignoredLine(incidentId), 1), world.slack.waitForResponse((r) => r.id === 'race-original', WAIT)]),
    ]);

    expect(world.slack.responses('race-retry-1')).toHaveLength(0);
    expect(world.slack.responses('race-retry-2')).toHaveLength(0);
    expect(rootPostsFor(keyId)).toHaveLength(1);
    expect(world.slack.messagesIn(channel)).toHaveLength(1);
    const { metas, guards, events } = await tableItemsFor(keyId);
    expect(metas).toEqual([expect.objectContaining({ id: incidentId, openedBy: userId, rootTs: root.result.ts })]);
    expect(guards).toHaveLength(1);
    expect(events(incidentId).filter((e) => e.type === 'slack.root_posted')).toHaveLength(1);
    expect(awsCallsAbout(keyId, 'GetAccessKeyLastUsed')).toBe(1);
    const created = [...botA.logs.lines, ...botB.logs.lines].filter((l) => l.includes('"msg":"incident opened"') && l.includes(incidentId));
    expect(created).toHaveLength(1);
  });

  // The late original has no retry header; it is known as a copy by its trigger id.
  it('says nothing to the person when the original arrives after its own retry opened the incident', async () => {
    const keyId = adminKey('original-late');
    const channel = 'C0LATEORIG';
    const payload = { user_id: userId, channel_id: channel, response_url: world.slack.responseUrl('late-original'), trigger_id: '1732900000.3.late' };
    await botA.command(keyId, { ...payload, retryNum: 1 });
    const root = await rootPostFor(keyId, channel);
    const incidentId = INCIDENT_ID.exec(String(root.params.text))![0];
    await finalRootUpdate(channel, incidentId);

    await botB.command(keyId, payload);
    // Whatever it does, it either logs the request as a retry or answers the person.
    await Promise.race([
      botB.logs.waitFor(ignoredLine(incidentId)),
      world.slack.waitForResponse((r) => r.id === 'late-original', WAIT),
    ]);

    expect(world.slack.responses('late-original')).toHaveLength(0);
    expect((await tableItemsFor(keyId)).events(incidentId).map((e) => e.type)).not.toContain('incident.requested_again');
  });
});

describe('twenty people open the same key at once on two app instances', () => {
  it('opens one incident with one root message and one assessment, and points the other nineteen to it', async () => {
    const keyId = adminKey('leaked-ci');
    const channel = 'C0RACE';
    const users = Array.from({ length: 20 }, (_, i) => ({ userId: `U0RACER${String(i).padStart(2, '0')}`, responseId: `race-${i}` }));

    const results = await Promise.all(users.map(({ userId, responseId }, i) =>
      (i % 2 === 0 ? botA : botB).command(keyId, { user_id: userId, channel_id: channel, response_url: world.slack.responseUrl(responseId) })));

    expect(results.map((r) => r.status)).toEqual(users.map(() => 200));
    const root = await rootPostFor(keyId, channel);
    const ts = String(root.result.ts);
    const incidentId = INCIDENT_ID.exec(String(root.params.text))![0];
    const final = await finalRootUpdate(channel, incidentId);
    expect(final.params.text).toContain('Disable the key now');

    // Everyone but the opener hears back, through their own response_url, about the same incident.
    const { metas, guards, events } = await tableItemsFor(keyId);
    expect(metas).toEqual([expect.objectContaining({ id: incidentId, channelId: channel, rootTs: ts })]);
    expect(guards).toEqual([expect.objectContaining({ sk: 'OPEN', incidentId })]);
    const opener = users.find((u) => u.userId === metas[0]!.openedBy);
    expect(opener).toBeDefined();
    const others = users.filter((u) => u !== opener);
    const replies = await Promise.all(others.map(({ responseId }) => world.slack.waitForResponse((r) => r.id === responseId, WAIT)));
    for (const reply of replies) {
      expect(reply.responseType).toBe('ephemeral');
      expect(reply.httpStatus).toBe(200);
      expect(responseText(reply)).toMatch(new RegExp(`^${incidentId} is (already open|being opened) for ${keyId}\\.$`));
    }
    for (const { responseId } of others) expect(world.slack.responses(responseId)).toHaveLength(1);
    // The opener's request posted the root and assessed; it had nothing to say to its author.
    expect(world.slack.responses(opener!.responseId)).toHaveLength(0);

    // Exactly one root in the channel, one assessment, one recommendation in the thread.
    expect(rootPostsFor(keyId)).toHaveLength(1);
    expect(world.slack.messagesIn(channel).filter((m) => m.text.includes(keyId))).toHaveLength(1);
    expect(awsCallsAbout(keyId, 'GetAccessKeyLastUsed')).toBe(1);
    await flow.evidencePosted(world, channel, ts);
    const thread = world.slack.threadOf(channel, ts).filter((m) => m.threadTs === ts);
    expect(thread.filter((m) => m.text.includes('Recommendation: '))).toHaveLength(1);
    const types = events(incidentId).map((e) => e.type);
    expect(types.filter((t) => t === 'incident.opened')).toHaveLength(1);
    expect(types.filter((t) => t === 'slack.root_posted')).toHaveLength(1);
    expect(types.filter((t) => t === 'assessment.completed')).toHaveLength(1);
    // Of the two instances, exactly one request wrote an incident.
    const created = [...botA.logs.lines, ...botB.logs.lines].filter((l) => l.includes('"msg":"incident opened"') && l.includes(incidentId));
    expect(created).toHaveLength(1);
  });
});

describe('the same key asked for in another channel', () => {
  it('points back to the incident in the first channel with a link and posts nothing in the second', async () => {
    const keyId = adminKey('two-channels');
    const first = 'C0FIRST';
    const second = 'C0SECOND';
    await botA.command(keyId, { user_id: 'U0FIRSTUSER', channel_id: first });
    const root = await rootPostFor(keyId, first);
    const ts = String(root.result.ts);
    const incidentId = INCIDENT_ID.exec(String(root.params.text))![0];
    await finalRootUpdate(first, incidentId);
    const mark = world.slack.mark();

    const res = await botB.command(keyId, { user_id: 'U0SECONDUSER', channel_id: second, response_url: world.slack.responseUrl('other-channel') });

    expect(res.status).toBe(200);
    const reply = await world.slack.waitForResponse((r) => r.id === 'other-channel', WAIT);
    expect(reply.responseType).toBe('ephemeral');
    expect(responseText(reply)).toBe(`${incidentId} is already open for ${keyId}.`);
    const blocks = JSON.stringify(reply.body.blocks);
    // The link is the permalink of the root in the first channel.
    expect(blocks).toContain(`<https://key-incident-test.slack.com/archives/${first}/p${ts.replace('.', '')}|Open ${incidentId}>`);
    expect(world.slack.messagesIn(second)).toHaveLength(0);
    expect(world.slack.calls.filter((c) => c.seq > mark && c.params.channel === second)).toEqual([]);
    expect(rootPostsFor(keyId)).toHaveLength(1);
    const { metas, events } = await tableItemsFor(keyId);
    expect(metas).toEqual([expect.objectContaining({ id: incidentId, channelId: first })]);
    expect(events(incidentId).filter((e) => e.type === 'incident.requested_again')).toEqual([
      expect.objectContaining({ actor: 'U0SECONDUSER', details: { channelId: second } }),
    ]);
  });
});
