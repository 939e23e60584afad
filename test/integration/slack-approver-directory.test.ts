import { webApi } from '@slack/bolt';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MEMBERSHIP_TTL_MS, SlackApproverDirectory } from '../../src/adapters/slack/outgoing/slack-approver-directory.js';
import { isApprover } from '../../src/domain/action/approval-policy.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { ManualClock } from '../fakes/memory/index.js';

const GROUP = 'S0APPROVERS';
const COLLEAGUE = 'U0COLLEAGUE';
const GUEST = 'U0CONNECTED';
const STRANGER = 'U0STRANGER';

describe('SlackApproverDirectory against the fake Slack', () => {
  let fake: FakeSlack;
  let clock: ManualClock;
  let client: webApi.WebClient;
  const directory = (settings: { anyone: boolean; usergroupId?: string }) =>
    new SlackApproverDirectory(client, { userIds: [], ...settings }, clock, pino({ level: 'silent' }));

  beforeEach(async () => {
    fake = await startFakeSlack({
      waitTimeoutMs: 2000,
      users: [{ id: COLLEAGUE, name: 'colleague' }, { id: GUEST, name: 'guest', teamId: 'T0PARTNER' }, { id: STRANGER, name: 'stranger', teamId: 'T0FAR', isStranger: true }],
      usergroups: { [GROUP]: [COLLEAGUE] },
    });
    client = new webApi.WebClient('xoxb-test-token', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
    clock = new ManualClock();
  });

  afterEach(async () => {
    await fake.close();
  });

  it('lets APPROVERS=anyone reach the workspace\'s own users only, not external (Slack Connect) ones or users Slack cannot tell', async () => {
    const anyone = directory({ anyone: true });
    expect(isApprover(COLLEAGUE, await anyone.approvers(COLLEAGUE))).toBe(true);
    expect(await anyone.approvers(GUEST)).toMatchObject({ anyone: false, externalExcluded: true });
    expect(isApprover(STRANGER, await anyone.approvers(STRANGER))).toBe(false);
    expect(isApprover('U0UNKNOWN', await anyone.approvers('U0UNKNOWN'))).toBe(false);
  });

  it('fails closed once the group\'s cached members are older than their TTL and Slack cannot be read', async () => {
    const group = directory({ anyone: false, usergroupId: GROUP });
    expect(isApprover(COLLEAGUE, await group.approvers(COLLEAGUE))).toBe(true);
    fake.failNext('usergroups.users.list', 'internal_error', { times: 2 });
    clock.advance(MEMBERSHIP_TTL_MS - 1);
    expect(isApprover(COLLEAGUE, await group.approvers(COLLEAGUE))).toBe(true);
    clock.advance(1);
    expect(isApprover(COLLEAGUE, await group.approvers(COLLEAGUE))).toBe(false);
  });
});
