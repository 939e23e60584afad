/**
 * Who sees and changes an incident, over the wire: approvers from anywhere; anyone else only in
 * the incident's channel as a member of it (`conversations.members`); everyone else is told
 * only that there is no incident they can see, and a membership Slack will not give fails closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVER, type Bot, scanTable, startBot, startWorld, type World } from '../support/harness.js';
import { adminKey, openIncident } from '../support/incident-flow.js';
import { TEST_CHANNEL, TEST_USER } from '../support/slack-requests.js';

const OUTSIDER = 'U0OUTSIDER';
const OTHER_CHANNEL = 'C0ELSEWHERE';
const ROOM = 'C0SECONDROOM';

let world: World;
let bot: Bot;
let incidentId: string;

beforeAll(async () => {
  world = await startWorld('incident-access');
  bot = await startBot(world);
  ({ incidentId } = await openIncident(world, bot, adminKey(world, 'access'), ['Disable access key']));
});
afterAll(async () => {
  await bot?.stop();
  await world?.close();
});

async function say(text: string, user: string, channel: string = TEST_CHANNEL.id): Promise<string> {
  const id = `r-${Math.random().toString(36).slice(2)}`;
  await bot.command(text, { user_id: user, channel_id: channel, response_url: world.slack.responseUrl(id) });
  return JSON.stringify((await world.slack.waitForResponse((r) => r.id === id)).body);
}

async function notes(): Promise<number> {
  return (await scanTable(world.table)).filter((i) => i.pk === `INC#${incidentId}` && i.type === 'note.added').length;
}

describe('an incident seen by whom', () => {
  it('shows nothing of it to someone outside its channel, and takes no note from them', async () => {
    const before = await notes();
    for (const text of [`status ${incidentId}`, `note ${incidentId} I was here`, `assess ${incidentId}`, `review ${incidentId}`, `export ${incidentId}`]) {
      const answer = await say(text, OUTSIDER);
      expect(answer).toContain(`There is no incident ${incidentId} that you can see here.`);
      expect(answer).not.toContain('admin');
    }
    expect(await say('list', OUTSIDER)).not.toContain(incidentId);
    expect(await notes()).toBe(before);
  });

  it('shows it to a member of its channel there only, and to an approver from anywhere', async () => {
    expect(await say(`status ${incidentId}`, TEST_USER.id)).toContain(incidentId);
    expect(await say('list', TEST_USER.id)).toContain(incidentId);
    expect(await say(`status ${incidentId}`, TEST_USER.id, OTHER_CHANNEL)).toContain('that you can see here');
    expect(await say('list', TEST_USER.id, OTHER_CHANNEL)).not.toContain(incidentId);
    expect(await say(`status ${incidentId}`, APPROVER, OTHER_CHANNEL)).toContain(incidentId);
    expect(await say('list', APPROVER, OTHER_CHANNEL)).toContain(incidentId);
  });

  it('fails closed, saying why, when Slack will not say who is in the channel', async () => {
    const keyId = adminKey(world, 'access-unverified');
    world.slack.setChannelMembers(ROOM, [TEST_USER.id]);
    await bot.command(keyId, { channel_id: ROOM });
    const root = await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === undefined && String(c.params.text).includes(keyId));
    const other = /KI-[0-9A-F]{6}/.exec(String(root.params.text))![0];

    world.slack.failNext('conversations.members', 'internal_error');
    const answer = await say(`status ${other}`, TEST_USER.id, ROOM);
    expect(answer).toContain('I could not check that you are a member of this channel (Slack answered internal_error)');
    expect(answer).not.toContain('admin');
    expect(await say(`status ${other}`, TEST_USER.id, ROOM)).toContain(other);
  });
});
