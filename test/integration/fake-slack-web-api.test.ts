import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';

const BOT_TOKEN = 'xoxb-test-token';
const CHANNEL = 'C0INCIDENT';

/** The real WebClient, pointed at the fake and failing fast instead of retrying for minutes. */
function clientFor(fake: FakeSlack, options: webApi.WebClientOptions = {}): webApi.WebClient {
  return new webApi.WebClient(BOT_TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: webApi.LogLevel.ERROR,
    ...options,
  });
}

/** The Slack error code a rejected call carried. */
async function slackError(call: Promise<unknown>): Promise<string> {
  const error: unknown = await call.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof Error) || !('data' in error)) throw new Error(`expected a Slack platform error, got ${String(error)}`);
  return String((error.data as { error?: unknown }).error);
}

describe('the fake Slack Web API with the real WebClient', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack({ waitTimeoutMs: 500 });
    client = clientFor(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  describe('messages', () => {
    it('gives each post a unique, increasing ts and echoes the message', async () => {
      const first = await client.chat.postMessage({ channel: CHANNEL, text: 'first' });
      const second = await client.chat.postMessage({ channel: CHANNEL, text: 'second', blocks: [{ type: 'divider' }] });

      expect(first).toMatchObject({ ok: true, channel: CHANNEL, ts: '1732900000.000100', message: { text: 'first', bot_id: fake.identity.botId } });
      expect(second.ts).toBe('1732900000.000200');
      expect(fake.callsTo('chat.postMessage')[1]?.params.blocks).toEqual([{ type: 'divider' }]);
      expect(fake.messagesIn(CHANNEL).map((message) => message.text)).toEqual(['first', 'second']);
    });

    it('threads replies under their parent, flattening a reply to a reply', async () => {
      const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'incident opened' });
      const reply = await client.chat.postMessage({ channel: CHANNEL, text: 'step 1', thread_ts: parent.ts });
      await client.chat.postMessage({ channel: CHANNEL, text: 'step 2', thread_ts: reply.ts });

      expect(fake.threadOf(CHANNEL, String(parent.ts)).map((message) => message.text)).toEqual(['incident opened', 'step 1', 'step 2']);
      expect(fake.messagesIn(CHANNEL)).toHaveLength(1);
    });

    it('answers thread_not_found for a reply to a message it never saw', async () => {
      expect(await slackError(client.chat.postMessage({ channel: CHANNEL, text: 'lost', thread_ts: '1700000000.000100' }))).toBe('thread_not_found');
    });

    it('keeps the edit history and the blocks an update leaves out', async () => {
      const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'v1', blocks: [{ type: 'divider' }] });
      const updated = await client.chat.update({ channel: CHANNEL, ts: String(posted.ts), text: 'v2' });

      expect(updated).toMatchObject({ ok: true, channel: CHANNEL, ts: posted.ts, text: 'v2' });
      const stored = fake.message(CHANNEL, String(posted.ts));
      expect(stored?.blocks).toEqual([{ type: 'divider' }]);
      expect(stored?.history).toEqual([{ text: 'v1', blocks: [{ type: 'divider' }], attachments: undefined }]);
    });

    it('refuses to edit a message a person wrote', async () => {
      const seeded = fake.seedMessage({ channel: CHANNEL, text: 'AKIA… leaked here' });
      expect(await slackError(client.chat.update({ channel: CHANNEL, ts: seeded.ts, text: 'edited' }))).toBe('cant_update_message');
    });

    it('hides deleted messages and answers message_not_found afterwards', async () => {
      const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'oops' });
      await client.chat.delete({ channel: CHANNEL, ts: String(posted.ts) });

      expect(fake.messagesIn(CHANNEL)).toEqual([]);
      expect(await slackError(client.chat.delete({ channel: CHANNEL, ts: String(posted.ts) }))).toBe('message_not_found');
    });

    it('builds permalinks, with thread_ts and cid for a reply', async () => {
      const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'parent' });
      const reply = await client.chat.postMessage({ channel: CHANNEL, text: 'reply', thread_ts: parent.ts });

      const top = await client.chat.getPermalink({ channel: CHANNEL, message_ts: String(parent.ts) });
      const nested = await client.chat.getPermalink({ channel: CHANNEL, message_ts: String(reply.ts) });
      expect(top.permalink).toBe(`https://key-incident-test.slack.com/archives/${CHANNEL}/p1732900000000100`);
      expect(nested.permalink).toBe(`https://key-incident-test.slack.com/archives/${CHANNEL}/p1732900000000200?thread_ts=${parent.ts}&cid=${CHANNEL}`);
    });

    it('stores ephemeral messages for their recipient only', async () => {
      const result = await client.chat.postEphemeral({ channel: CHANNEL, user: 'U0ALICE', text: 'only you' });

      expect(result.message_ts).toMatch(/^\d+\.\d{6}$/);
      expect(fake.ephemerals('U0ALICE').map((ephemeral) => ephemeral.text)).toEqual(['only you']);
      expect(fake.messagesIn(CHANNEL)).toEqual([]);
    });
  });

  describe('channels', () => {
    it('answers not_in_channel until the bot joins, then warns already_in_channel', async () => {
      fake.addChannel({ id: 'C0OUTSIDE', name: 'outside', isMember: false });

      expect(await slackError(client.chat.postMessage({ channel: 'C0OUTSIDE', text: 'hi' }))).toBe('not_in_channel');
      const joined = await client.conversations.join({ channel: 'C0OUTSIDE' });
      const again = await client.conversations.join({ channel: 'C0OUTSIDE' });
      await client.chat.postMessage({ channel: 'C0OUTSIDE', text: 'hi' });

      expect(joined).toMatchObject({ ok: true, channel: { id: 'C0OUTSIDE', name: 'outside', is_member: true } });
      expect(joined.warning).toBeUndefined();
      expect(again.warning).toBe('already_in_channel');
      expect(fake.messagesIn('C0OUTSIDE')).toHaveLength(1);
    });

    it('answers channel_not_found for unknown channels when strict', async () => {
      const strict = await startFakeSlack({ strictChannels: true, channels: [{ id: CHANNEL }] });
      try {
        expect(await slackError(clientFor(strict).chat.postMessage({ channel: 'C0NOWHERE', text: 'hi' }))).toBe('channel_not_found');
      } finally {
        await strict.close();
      }
    });
  });

  describe('controls', () => {
    it('answers an injected error for the requested number of calls', async () => {
      fake.failNext('chat.postMessage', 'channel_not_found', { times: 2 });

      expect(await slackError(client.chat.postMessage({ channel: CHANNEL, text: 'a' }))).toBe('channel_not_found');
      expect(await slackError(client.chat.postMessage({ channel: CHANNEL, text: 'b' }))).toBe('channel_not_found');
      await expect(client.chat.postMessage({ channel: CHANNEL, text: 'c' })).resolves.toMatchObject({ ok: true });
    });

    it('answers HTTP 429 with Retry-After, which WebClient reports as a rate limit', async () => {
      fake.rateLimitNext('chat.postMessage', 7);
      const rejecting = clientFor(fake, { rejectRateLimitedCalls: true });

      await expect(rejecting.chat.postMessage({ channel: CHANNEL, text: 'x' })).rejects.toMatchObject({
        code: webApi.ErrorCode.RateLimitedError,
        retryAfter: 7,
      });
      expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({ httpStatus: 429, result: { ok: false, error: 'ratelimited' } });
    });

    it('lets WebClient retry after the Retry-After delay and records both attempts', async () => {
      fake.rateLimitNext('chat.postMessage', 0);
      const retrying = clientFor(fake, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });

      await expect(retrying.chat.postMessage({ channel: CHANNEL, text: 'x' })).resolves.toMatchObject({ ok: true });
      expect(fake.callsTo('chat.postMessage').map((call) => call.httpStatus)).toEqual([429, 200]);
    });

    it('answers invalid_auth for tokens it was not told to accept', async () => {
      fake.requireToken(BOT_TOKEN);
      const stranger = new webApi.WebClient('xoxb-someone-else', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });

      expect(await slackError(stranger.auth.test())).toBe('invalid_auth');
      await expect(client.auth.test()).resolves.toMatchObject({ ok: true, team_id: 'T0TESTTEAM', user_id: 'U0TESTBOT', bot_id: 'B0TESTBOT' });
    });

    it('keeps app-level tokens and bot tokens apart', async () => {
      const appClient = new webApi.WebClient('xapp-test-app-token', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });

      expect(await slackError(appClient.chat.postMessage({ channel: CHANNEL, text: 'x' }))).toBe('not_allowed_token_type');
      expect(await slackError(client.apps.connections.open())).toBe('not_allowed_token_type');
    });

    it('rejects a wait that nothing satisfies, listing what did arrive', async () => {
      await client.chat.postMessage({ channel: CHANNEL, text: 'only this' });

      await expect(fake.waitForCall('views.open', () => true, { timeoutMs: 50 })).rejects.toThrow(
        /no views\.open call arrived within 50 ms[\s\S]*chat\.postMessage channel=C0INCIDENT text="only this"/,
      );
    });

    it('resolves a wait when a matching call arrives later', async () => {
      const waiting = fake.waitForCall('chat.postMessage', (call) => call.params.text === 'later');
      await client.chat.postMessage({ channel: CHANNEL, text: 'sooner' });
      await client.chat.postMessage({ channel: CHANNEL, text: 'later' });

      await expect(waiting).resolves.toMatchObject({ params: { text: 'later' } });
    });
  });

  describe('modals, usergroups and users', () => {
    it('opens and updates a modal, refusing an update with a stale hash', async () => {
      const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Approve' }, blocks: [], callback_id: 'approve' };
      const opened = await client.views.open({ trigger_id: '123.456.abc', view });
      const viewId = String(opened.view?.id);
      const staleHash = String(opened.view?.hash);
      const updated = await client.views.update({ view_id: viewId, hash: staleHash, view: { ...view, callback_id: 'approved' } });

      expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'approve', app_id: 'A0TESTAPP' });
      expect(updated.view?.callback_id).toBe('approved');
      expect(await slackError(client.views.update({ view_id: viewId, hash: staleHash, view }))).toBe('hash_conflict');
      expect(fake.views[0]?.history).toHaveLength(1);
    });

    it('lists usergroup members and answers no_such_subteam for an unknown group', async () => {
      fake.setUsergroup('S0APPROVERS', ['U0ALICE', 'U0BOB']);

      await expect(client.usergroups.users.list({ usergroup: 'S0APPROVERS' })).resolves.toMatchObject({ users: ['U0ALICE', 'U0BOB'] });
      expect(await slackError(client.usergroups.users.list({ usergroup: 'S0NOBODY' }))).toBe('no_such_subteam');
    });

    it('describes known users and answers user_not_found for others', async () => {
      fake.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Example' });

      await expect(client.users.info({ user: 'U0ALICE' })).resolves.toMatchObject({ user: { id: 'U0ALICE', real_name: 'Alice Example' } });
      expect(await slackError(client.users.info({ user: 'U0GHOST' }))).toBe('user_not_found');
    });
  });

  describe('wire formats', () => {
    it('reads JSON bodies as well as form bodies', async () => {
      const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ channel: CHANNEL, text: 'json', blocks: [{ type: 'divider' }] }),
      });

      await expect(response.json()).resolves.toMatchObject({ ok: true, message: { text: 'json', blocks: [{ type: 'divider' }] } });
    });

    it('answers response_url posts with ok and refuses a sixth use', async () => {
      const post = (body: object): Promise<Response> =>
        fetch(fake.responseUrl('cmd-1'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const statuses: number[] = [];
      for (let use = 0; use < 6; use += 1) statuses.push((await post({ text: `use ${use}`, replace_original: true })).status);

      expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
      expect(fake.responses('cmd-1')[0]).toMatchObject({ responseType: 'ephemeral', replaceOriginal: true, body: { text: 'use 0' } });
    });
  });
});
