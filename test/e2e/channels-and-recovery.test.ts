/**
 * End to end: where the bot may post (a public channel it is not in, a private one it was not
 * invited to), recovery from a process that crashed while opening an incident, and the same
 * flow in Socket Mode. The real app against DynamoDB Local and the fake Slack and AWS.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentRepository } from '../../src/adapters/dynamodb/dynamo-incident-repository.js';
import { ROOT_CLAIM_TTL_MS } from '../../src/services/open-incident.js';

import * as flow from '../support/incident-flow.js';
import { type Bot, scanTable, type SocketModeBot, startBot, startSocketModeBot, startWorld, type World } from '../support/harness.js';
import { anEvent, anIncident } from '../support/incident-builders.js';
import { TEST_CHANNEL } from '../support/slack-requests.js';

const INCIDENT_ID = /KI-[0-9A-F]{6}/;
const WAIT = { timeoutMs: 15_000 };

const adminKey = (userName: string) => flow.adminKey(world, userName);
const rootPostFor = (keyId: string, channel: string) => flow.rootPostFor(world, keyId, channel);
const finalRootUpdate = (channel: string, incidentId: string) => flow.finalRootUpdate(world, channel, incidentId);
const awsCallsAbout = (keyId: string, action?: string) => flow.awsCallsAbout(world, keyId, action);

let world: World;
let bot: Bot;

beforeAll(async () => {
  world = await startWorld('channels-recovery');
  bot = await startBot(world);
});
afterAll(async () => {
  await bot?.stop();
  await world?.close();
});
afterEach(() => world.aws.reset());

/** Web API calls about one channel since `mark`, as "method → outcome". */
function callsIn(channel: string, mark = 0): string[] {
  return world.slack.calls
    .filter((c) => c.seq > mark && c.params.channel === channel)
    .map((c) => `${c.method} → ${c.result.ok === true ? 'ok' : String(c.result.error)}`);
}

async function stored(keyId: string) {
  const items = await scanTable(world.table);
  const metas = items.filter((i) => i.sk === 'META' && i.keyId === keyId);
  return {
    metas,
    guards: items.filter((i) => i.pk === `KEY#${keyId}` && i.sk === 'OPEN'),
    eventTypes: (incidentId: string) => items
      .filter((i) => i.pk === `INC#${incidentId}` && String(i.sk).startsWith('EV#'))
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
      .map((e) => e.type),
    events: (incidentId: string) => items
      .filter((i) => i.pk === `INC#${incidentId}` && String(i.sk).startsWith('EV#'))
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk))),
  };
}

const ASSESSED = ['assessment.account', 'assessment.owner', 'assessment.permissions', 'assessment.recommendation', 'assessment.completed'];

/** The timeline up to the end of the assessment (what follows it is not these tests' business). */
const untilAssessed = (types: unknown[]): unknown[] => types.slice(0, types.indexOf('assessment.completed') + 1);

describe('a public channel the bot is not in', () => {
  it('joins the channel, posts the root message and assesses the key', async () => {
    const keyId = adminKey('public-channel');
    const channel = 'C0PUBLIC';
    world.slack.addChannel({ id: channel, name: 'public-incidents', isMember: false });

    await bot.command(keyId, { channel_id: channel, response_url: world.slack.responseUrl('public') });
    const root = await rootPostFor(keyId, channel);
    const incidentId = INCIDENT_ID.exec(String(root.params.text))![0];
    const final = await finalRootUpdate(channel, incidentId);

    expect(callsIn(channel).slice(0, 3)).toEqual([
      'chat.postMessage → not_in_channel',
      'conversations.join → ok',
      'chat.postMessage → ok',
    ]);
    expect(final.params.text).toContain('Disable the key now');
    expect(world.slack.messagesIn(channel)).toHaveLength(1);
    await flow.evidencePosted(world, channel, String(root.result.ts));
    expect(world.slack.threadOf(channel, String(root.result.ts)).filter((m) => m.text.includes('Recommendation: '))).toHaveLength(1);
    expect(world.slack.responses('public')).toHaveLength(0);
    const { metas, eventTypes } = await stored(keyId);
    expect(metas).toEqual([expect.objectContaining({ id: incidentId, rootTs: root.result.ts })]);
    expect(untilAssessed(eventTypes(incidentId))).toEqual(['incident.opened', 'slack.root_posted', ...ASSESSED]);
  });
});

describe('a private channel the bot was not invited to', () => {
  it('tells the person privately to invite it and frees the key, then opens the incident there when they run the command again', async () => {
    const keyId = adminKey('private-channel');
    const channel = 'C0PRIVATE';
    const userId = 'U0PRIVATEUSER';
    world.slack.addChannel({ id: channel, name: 'secret-room', isMember: false, isPrivate: true });

    await bot.command(keyId, { user_id: userId, channel_id: channel, response_url: world.slack.responseUrl('private-1') });
    const reply = await world.slack.waitForResponse((r) => r.id === 'private-1', WAIT);

    expect(reply.responseType).toBe('ephemeral');
    expect(reply.body.text).toBe('I cannot post in this conversation, so no incident was opened. Invite me, or use a channel I am in, and run the command again.');
    const blocks = JSON.stringify(reply.body.blocks);
    expect(blocks).toContain(`I can't post in <#${channel}>*`);
    expect(blocks).toContain('/invite @key-incident');
    expect(callsIn(channel)).toEqual(['chat.postMessage → not_in_channel', 'conversations.join → method_not_supported_for_channel_type']);
    expect(world.slack.messagesIn(channel)).toHaveLength(0);
    // The reads begun while the root message was being posted are dropped: nothing of them is kept.
    await bot.logs.waitFor((l) => l.includes('the reads begun for it are dropped'));
    expect(flow.mutatingAwsCalls(world)).toEqual([]);
    const before = await stored(keyId);
    expect(before.metas).toHaveLength(1);
    const meta = before.metas[0]!;
    const closedId = String(meta.id);
    expect(blocks).toContain(closedId);
    // Closed at once, so the key's guard is free.
    expect(meta).toMatchObject({ channelId: channel, openedBy: userId, status: 'resolved' });
    expect(meta).not.toHaveProperty('rootTs');
    expect(before.guards).toEqual([]);
    expect(before.events(closedId)).toEqual([
      expect.objectContaining({ type: 'incident.opened', actor: userId }),
      expect.objectContaining({ type: 'slack.problem', actor: 'bot', details: { slackError: 'method_not_supported_for_channel_type', method: 'conversations.join' } }),
      expect.objectContaining({ type: 'incident.resolved', actor: 'bot' }),
    ]);

    // Someone invites the bot; the same person runs the command again.
    world.slack.addChannel({ id: channel, name: 'secret-room', isMember: true, isPrivate: true });
    const mark = world.slack.mark();
    await bot.command(keyId, { user_id: userId, channel_id: channel, response_url: world.slack.responseUrl('private-2') });
    const root = await rootPostFor(keyId, channel);
    const incidentId = INCIDENT_ID.exec(String(root.params.text))![0];
    expect(incidentId).not.toBe(closedId);
    const final = await finalRootUpdate(channel, incidentId);

    expect(final.params.text).toContain('Disable the key now');
    expect(callsIn(channel, mark)[0]).toBe('chat.postMessage → ok');
    expect(world.slack.messagesIn(channel).map((m) => m.ts)).toEqual([root.result.ts]);
    expect(world.slack.responses('private-2')).toHaveLength(0);
    const after = await stored(keyId);
    expect(after.guards).toEqual([expect.objectContaining({ incidentId })]);
    expect(untilAssessed(after.eventTypes(incidentId))).toEqual(['incident.opened', 'slack.root_posted', ...ASSESSED]);
    // Its review posts last; the next test's injected post failure must not land on it.
    await world.slack.waitForCall('chat.postMessage', (c) => c.params.channel === channel && String(c.params.text).startsWith('CloudTrail review:'), WAIT);
  });

  it('frees the key when opened where Slack says the channel is not found (a direct message), and opens it from a channel next', async () => {
    const keyId = adminKey('direct-message');
    world.slack.failNext('chat.postMessage', 'channel_not_found');

    await bot.command(keyId, { channel_id: 'D0DIRECT', response_url: world.slack.responseUrl('dm-1') });
    const reply = await world.slack.waitForResponse((r) => r.id === 'dm-1', WAIT);

    expect(reply.responseType).toBe('ephemeral');
    expect(JSON.stringify(reply.body.blocks)).toContain('a direct message will not do');
    expect((await stored(keyId)).guards).toEqual([]);
    await bot.command(keyId, { response_url: world.slack.responseUrl('dm-2') });
    const root = await rootPostFor(keyId, TEST_CHANNEL.id);
    expect(world.slack.responses('dm-2')).toHaveLength(0);
    expect((await stored(keyId)).guards).toEqual([expect.objectContaining({ incidentId: INCIDENT_ID.exec(String(root.params.text))![0] })]);
  });
});

describe('an incident left behind by a process that crashed before posting its root message', () => {
  /** Writes an incident as the crashed process left it: created and claimed, no root message. */
  async function leftBehind(keyId: string, channel: string, claimAgeMs: number) {
    const repo = new DynamoIncidentRepository(world.table.connect(), world.table.tableName);
    const claimedAt = new Date(Date.now() - claimAgeMs).toISOString();
    const incident = anIncident({ keyId, channelId: channel, openedBy: 'U0CRASHED', openedAt: claimedAt, rootClaimedAt: claimedAt });
    await repo.create(incident, anEvent(incident, { actor: 'U0CRASHED', at: claimedAt, summary: `Incident opened for ${keyId}` }));
    return incident;
  }

  it('is taken over by the next request for the key once the claim is stale: one root, then the assessment', async () => {
    const keyId = adminKey('crashed-stale');
    const channel = 'C0CRASHSTALE';
    const incident = await leftBehind(keyId, channel, ROOT_CLAIM_TTL_MS + 60_000);
    const mark = world.slack.mark();

    await bot.command(keyId, { user_id: 'U0RESCUER', channel_id: channel, response_url: world.slack.responseUrl('rescue') });
    const root = await rootPostFor(keyId, channel);
    expect(root.params.text).toContain(incident.id);
    const final = await finalRootUpdate(channel, incident.id);

    expect(final.params.text).toContain('Disable the key now');
    expect(world.slack.callsTo('chat.postMessage').filter((c) => c.seq > mark && c.params.channel === channel && c.params.thread_ts === undefined)).toHaveLength(1);
    expect(world.slack.messagesIn(channel).filter((m) => m.text.includes(keyId))).toHaveLength(1);
    expect(world.slack.responses('rescue')).toHaveLength(0);
    expect(awsCallsAbout(keyId, 'GetAccessKeyLastUsed')).toBe(1);
    const { metas, eventTypes } = await stored(keyId);
    expect(metas).toEqual([expect.objectContaining({ id: incident.id, openedBy: 'U0CRASHED', rootTs: root.result.ts })]);
    // The rescuer renewed the claim before posting.
    expect(Date.parse(String(metas[0]!.rootClaimedAt))).toBeGreaterThan(Date.parse(incident.rootClaimedAt!));
    expect(untilAssessed(eventTypes(incident.id))).toEqual(['incident.opened', 'slack.root_posted', ...ASSESSED]);
  });

  it('is left alone while the claim is fresh: the person hears it is being opened and nothing is posted', async () => {
    const keyId = adminKey('crashed-fresh');
    const channel = 'C0CRASHFRESH';
    const incident = await leftBehind(keyId, channel, 0);
    const mark = world.slack.mark();

    await bot.command(keyId, { user_id: 'U0IMPATIENT', channel_id: channel, response_url: world.slack.responseUrl('impatient') });
    const reply = await world.slack.waitForResponse((r) => r.id === 'impatient', WAIT);

    expect(reply.responseType).toBe('ephemeral');
    expect(reply.body.text).toBe(`${incident.id} is being opened for ${keyId}.`);
    expect(JSON.stringify(reply.body.blocks)).toContain('<@U0CRASHED>');
    expect(callsIn(channel, mark)).toEqual([]);
    expect(world.slack.messagesIn(channel).filter((m) => m.text.includes(keyId))).toHaveLength(0);
    expect(awsCallsAbout(keyId)).toBe(0);
    const { metas, eventTypes } = await stored(keyId);
    expect(metas).toEqual([expect.objectContaining({ id: incident.id, version: 1, rootClaimedAt: incident.rootClaimedAt })]);
    expect(metas[0]).not.toHaveProperty('rootTs');
    expect(eventTypes(incident.id)).toEqual(['incident.opened']);
  });
});

describe('Socket Mode', () => {
  let socketBot: SocketModeBot;

  beforeAll(async () => {
    socketBot = await startSocketModeBot(world);
  });
  afterAll(async () => {
    await socketBot?.stop();
  });

  it('acks the slash command envelope at once, posts the root message and assesses the key', async () => {
    const keyId = adminKey('socket-mode');
    const channel = 'C0SOCKET';
    expect(world.slack.socket.openConnections).toBe(1);

    // Slack gives an app 3 s to ack; the fake rejects if the ack takes longer than 2.5 s.
    const ack = await socketBot.command(keyId, { channel_id: channel, response_url: world.slack.responseUrl('socket') }, { timeoutMs: 2_500 });
    const ackRecord = world.slack.records.find((r) => r.kind === 'ack' && r.envelopeId === ack.envelope_id)!;
    const root = await rootPostFor(keyId, channel);
    const incidentId = INCIDENT_ID.exec(String(root.params.text))![0];
    const final = await finalRootUpdate(channel, incidentId);

    expect(ack.payload ?? {}).toEqual({});
    // The ack went out before any work: before the root message was even posted.
    expect(ackRecord.seq).toBeLessThan(root.seq);
    expect(final.params.text).toContain('Disable the key now');
    await flow.evidencePosted(world, channel, String(root.result.ts));
    expect(world.slack.threadOf(channel, String(root.result.ts)).filter((m) => m.text.includes('Recommendation: '))).toHaveLength(1);
    expect(world.slack.responses('socket')).toHaveLength(0);
    expect(socketBot.logs.text).toContain('"mode":"socket"');
    // The HTTP bot of this file saw none of it.
    expect(bot.logs.text).not.toContain(incidentId);
    const { metas, eventTypes } = await stored(keyId);
    expect(metas).toEqual([expect.objectContaining({ id: incidentId, channelId: channel, rootTs: root.result.ts })]);
    expect(untilAssessed(eventTypes(incidentId))).toEqual(['incident.opened', 'slack.root_posted', ...ASSESSED]);
  });

  it('answers GET /healthz on its own HTTP port', async () => {
    expect(socketBot.running.port).toBeGreaterThan(0);
    expect(socketBot.running.port).not.toBe(bot.running.port);

    const health = await fetch(`${socketBot.baseUrl}/healthz`);
    // No Events API endpoint in Socket Mode: this server only has the custom routes.
    const events = await fetch(`${socketBot.baseUrl}/slack/events`, { method: 'POST', body: '{}' });

    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
    expect(events.status).toBe(404);
  });
});
