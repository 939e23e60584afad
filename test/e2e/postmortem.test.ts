/**
 * The incident's lifecycle and its record: containment after the key and its sessions are
 * cut, resolve and reopen, notes from the command and from the thread (edits, deletions,
 * duplicates), list and status, and the postmortem uploaded into the thread.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { APPROVER, type Bot, CHANNEL_MEMBER, scanTable, SIGNING_SECRET, startBot, startWorld, type World } from '../support/harness.js';
import { actionReached, adminKey, click, openIncident, refOf } from '../support/incident-flow.js';
import { eventCallback, jsonBody, signedPost, TEST_USER } from '../support/slack-requests.js';
import { messageShortcut, replyDeletedEvent, replyEditedEvent, replyEvent, replyMessage } from '../support/slack-thread-events.js';

let world: World;
let bot: Bot;

beforeAll(async () => {
  world = await startWorld('postmortem');
  bot = await startBot(world);
});
afterEach(() => world.aws.reset());
afterAll(async () => {
  await bot.stop();
  await world.close();
});

async function say(text: string, user = APPROVER): Promise<string> {
  const id = `r-${Math.random().toString(36).slice(2)}`;
  await bot.command(text, { user_id: user, response_url: world.slack.responseUrl(id) });
  return JSON.stringify((await world.slack.waitForResponse((r) => r.id === id)).body);
}

/** The open part of a `list` answer: what comes before the recently resolved incidents. */
const openListed = (list: string): string => list.split('Resolved in the last')[0]!;

async function typesOf(incidentId: string): Promise<string[]> {
  return (await scanTable(world.table)).filter((i) => i.pk === `INC#${incidentId}` && String(i.sk).startsWith('EV#'))
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk))).map((i) => String(i.type));
}

async function approve(ts: string, title: string): Promise<void> {
  const { ref, messageTs } = refOf(world, ts, title);
  const done = actionReached(world, messageTs, 'succeeded');
  await click(world, bot, 'ki_approve', ref, APPROVER);
  await done;
}

/** Sends a signed Events API request and waits until the app has answered it. */
async function deliver(event: Record<string, unknown>, retryNum?: number): Promise<void> {
  const res = await signedPost(bot.eventsUrl, jsonBody(eventCallback(event)), { signingSecret: SIGNING_SECRET, ...(retryNum ? { retryNum } : {}) });
  expect(res.status).toBe(200);
}

describe('the incident lifecycle', () => {
  it('becomes contained once the key is disabled and its sessions revoked, resolves, frees the key, and reopens', async () => {
    const keyId = adminKey(world, 'lifecycle');
    const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
    await approve(ts, 'Disable access key');
    expect(await typesOf(incidentId)).not.toContain('incident.contained');
    await approve(ts, 'Revoke active sessions');
    await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === ts && String(c.params.text).startsWith('🟢 Contained'));
    expect(await typesOf(incidentId)).toContain('incident.contained');
    expect(await say(`status ${incidentId}`)).toContain('*contained*');

    // Someone outside the channel is not told the incident exists; a member who is no approver is told who may resolve.
    expect(await say(`resolve ${incidentId} key rotated, no misuse found`, 'U0NOTAPPROVER')).toContain('that you can see here');
    expect(await say(`resolve ${incidentId} key rotated, no misuse found`, TEST_USER.id)).toContain('change an incident’s status');
    expect(await say(`resolve ${incidentId} key rotated, no misuse found`)).toContain('is now *resolved*');
    expect(openListed(await say('list'))).not.toContain(incidentId);
    // The key is free: a new incident can be opened for it, and the old one cannot come back while it is open.
    const mark = world.slack.mark();
    await bot.command(keyId);
    const newRoot = await world.slack.waitFor((r) => r.kind === 'api' && r.seq > mark && r.method === 'chat.postMessage' && r.params.thread_ts === undefined && String(r.params.text).includes(keyId));
    const second = { incidentId: /KI-[0-9A-F]{6}/.exec(String((newRoot as unknown as { params: { text: string } }).params.text))![0] };
    expect(second.incidentId).not.toBe(incidentId);
    expect(await say(`reopen ${incidentId}`)).toContain(`has another open incident, ${second.incidentId}`);
    expect(await say(`resolve ${second.incidentId}`)).toContain('is now *resolved*');
    expect(await say(`reopen ${incidentId}`)).toContain('is now *open*');
    expect(openListed(await say('list'))).toContain(incidentId);
    expect(await typesOf(incidentId)).toEqual(expect.arrayContaining(['incident.resolved', 'incident.reopened']));
  });
});

describe('notes and the thread', () => {
  it('records command notes, thread replies with their time and author, edits and deletions, once each', async () => {
    const keyId = adminKey(world, 'notes');
    const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key']);
    expect(await say(`note ${incidentId} rotated the CI secret`)).toContain('Note added');
    const replyTs = `${Math.floor(Date.now() / 1000) - 60}.000200`;
    const reply = replyEvent({ threadTs: ts, ts: replyTs, text: 'found it in the deploy logs', user: 'U0RESPONDER' });
    await deliver(reply);
    await deliver(reply, 1);
    await deliver(replyEditedEvent({ threadTs: ts, ts: replyTs, text: 'found it in the deploy logs of job 42', previousText: 'found it in the deploy logs', editTs: `${Math.floor(Date.now() / 1000)}.000300`, user: 'U0RESPONDER' }));
    await deliver(replyDeletedEvent({ threadTs: ts, ts: replyTs, text: 'x', deleteTs: `${Math.floor(Date.now() / 1000)}.000400`, user: 'U0RESPONDER' }));
    await deliver(replyEvent({ threadTs: ts, ts: `${Math.floor(Date.now() / 1000)}.000500`, text: 'AKIA… with wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', user: 'U0RESPONDER' }));
    // Events are acknowledged before they are handled: wait until all five are recorded.
    const noteItems = async () => (await scanTable(world.table)).filter((i) => i.pk === `INC#${incidentId}` && String(i.type).startsWith('note.'));
    const items = await vi.waitFor(async () => {
      const found = await noteItems();
      if (found.length < 5) throw new Error(`${found.length} of 5 notes recorded`);
      return found;
    }, { timeout: 10_000, interval: 100 });
    const notes = items.map((i) => [i.type, i.actor, i.summary]);
    expect(notes).toEqual(expect.arrayContaining([
      ['note.added', APPROVER, 'rotated the CI secret'],
      ['note.added', 'U0RESPONDER', 'found it in the deploy logs'],
      ['note.edited', 'U0RESPONDER', 'found it in the deploy logs of job 42'],
      ['note.deleted', 'U0RESPONDER', 'Message deleted from the thread'],
      ['note.added', 'U0RESPONDER', '[message not recorded: it held what looks like a secret access key]'],
    ]));
    expect(notes.filter(([type, , text]) => type === 'note.added' && text === 'found it in the deploy logs')).toHaveLength(1);
    const original = items.find((i) => i.summary === 'found it in the deploy logs')!;
    expect(original.at).toBe(new Date(Number(replyTs.split('.')[0]) * 1000).toISOString());
    expect(JSON.stringify(await scanTable(world.table))).not.toContain('wJalrXUtnFEMI');
  });
});

describe('the "Add to incident timeline" shortcut', () => {
  it('adds a message of the incident\'s thread once, and says why when a message belongs to no incident', async () => {
    const keyId = adminKey(world, 'shortcut');
    const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key']);
    const messageTs = `${Math.floor(Date.now() / 1000) - 30}.000700`;
    const message = replyMessage({ threadTs: ts, ts: messageTs, text: 'attacker IP is 203.0.113.77', user: 'U0WITNESS' });
    for (const id of ['sc-1', 'sc-2']) {
      await bot.click(messageShortcut({ callbackId: 'ki_add_to_timeline', message, userId: APPROVER, responseUrl: world.slack.responseUrl(id) }));
      expect(JSON.stringify((await world.slack.waitForResponse((r) => r.id === id)).body)).toContain(`Added to the timeline of ${incidentId}`);
    }
    const added = (await scanTable(world.table)).filter((i) => i.pk === `INC#${incidentId}` && i.summary === 'attacker IP is 203.0.113.77');
    expect(added).toEqual([expect.objectContaining({ type: 'note.added', actor: 'U0WITNESS', details: expect.objectContaining({ source: 'shortcut', addedBy: APPROVER }) })]);

    const elsewhere = replyMessage({ threadTs: '1700000000.000100', ts: '1700000001.000100', text: 'unrelated', user: 'U0WITNESS' });
    await bot.click(messageShortcut({ callbackId: 'ki_add_to_timeline', message: elsewhere, channelId: 'C0OTHER', responseUrl: world.slack.responseUrl('sc-3') }));
    expect(JSON.stringify((await world.slack.waitForResponse((r) => r.id === 'sc-3')).body)).toContain('Nothing was added');
  });
});

describe('the postmortem export', () => {
  it('uploads the Markdown postmortem into the thread, with the timeline in order', async () => {
    const keyId = adminKey(world, 'export');
    const { ts, incidentId } = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions']);
    await approve(ts, 'Disable access key');
    expect(await say(`export ${incidentId}`)).toContain(`${incidentId}-postmortem.md`);
    const file = world.slack.files.find((f) => f.name === `${incidentId}-postmortem.md`)!;
    expect(file.threadTs).toBe(ts);
    expect(file.content).toContain(`# ${incidentId}`);
    expect(file.content).toContain('Disable access key');
    const opened = file.content.indexOf('incident.opened');
    expect(opened).toBeGreaterThan(0);
    expect(file.content.indexOf('action.succeeded')).toBeGreaterThan(opened);
  });

  it('exports CSV and JSON too, and refuses people who neither approve nor took part', async () => {
    const keyId = adminKey(world, 'export-formats');
    const { incidentId } = await openIncident(world, bot, keyId, ['Disable access key']);
    expect(await say(`export ${incidentId} csv`)).toContain('.csv');
    expect(await say(`export ${incidentId} json`)).toContain('.json');
    const json = JSON.parse(world.slack.files.find((f) => f.name === `${incidentId}-postmortem.json`)!.content);
    expect(json.schemaVersion).toBe(1);
    expect(json.events.map((e: { type: string }) => e.type)).toContain('incident.opened');
    const csv = world.slack.files.find((f) => f.name === `${incidentId}-postmortem.csv`)!.content;
    expect(csv.split('\r\n')[0]).toBe('time,event_id,type,actor,summary,details_json');
    expect(await say(`export ${incidentId}`, 'U0STRANGER')).toContain('that you can see here');
    expect(await say(`export ${incidentId}`, CHANNEL_MEMBER)).toContain('Only approvers and people who took part');
  });
});
