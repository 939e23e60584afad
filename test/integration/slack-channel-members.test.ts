import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_MEMBERS_PAGE, CHANNEL_MEMBERS_TTL_MS, SlackChannelMembers } from '../../src/adapters/slack/outgoing/slack-channel-members.js';
import { SlackError } from '../../src/domain/errors.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { ManualClock } from '../fakes/memory/index.js';

const PUBLIC = 'C0INCIDENT';
const PRIVATE = 'G0PRIVATE';
const BIG = Array.from({ length: CHANNEL_MEMBERS_PAGE * 2 + 7 }, (_, i) => `U${String(i).padStart(8, '0')}`);

describe('SlackChannelMembers against the fake Slack', () => {
  let fake: FakeSlack;
  let clock: ManualClock;
  let members: SlackChannelMembers;

  beforeEach(async () => {
    fake = await startFakeSlack({
      waitTimeoutMs: 2000,
      strictChannels: true,
      channels: [{ id: PUBLIC, members: BIG }, { id: PRIVATE, isPrivate: true, isMember: false, members: ['U0INSIDE'] }],
    });
    const client = new webApi.WebClient('xoxb-test-token', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
    clock = new ManualClock();
    members = new SlackChannelMembers(client, clock);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('pages through a channel with its cursor, then answers from its cache until the cache is stale', async () => {
    expect(await members.isMember(PUBLIC, BIG.at(-1)!)).toBe(true);
    expect(await members.isMember(PUBLIC, 'U0STRANGER')).toBe(false);
    const pages = fake.callsTo('conversations.members');
    expect(pages.map((c) => c.params.cursor ?? '')).toHaveLength(3);
    expect(pages.every((c) => c.params.limit === String(CHANNEL_MEMBERS_PAGE))).toBe(true);

    fake.setChannelMembers(PUBLIC, ['U0STRANGER']);
    clock.advance(CHANNEL_MEMBERS_TTL_MS);
    expect(await members.isMember(PUBLIC, 'U0STRANGER')).toBe(true);
    expect(fake.callsTo('conversations.members')).toHaveLength(4);
  });

  it('fails with Slack\'s error where Slack does not say: a private channel the bot is not in, a channel that does not exist', async () => {
    for (const [channel, code] of [[PRIVATE, 'channel_not_found'], ['C0NOWHERE', 'channel_not_found']] as const) {
      const error = await members.isMember(channel, 'U0INSIDE').then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(SlackError);
      expect(error).toMatchObject({ code, method: 'conversations.members' });
    }
  });
});
