import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tsToIso } from '../../src/adapters/slack/inbound/thread-events.js';
import { CallbackId } from '../../src/adapters/slack/interaction-ids.js';
import { registerEvents } from '../../src/adapters/slack/listeners/events/index.js';
import { registerShortcuts } from '../../src/adapters/slack/listeners/shortcuts/index.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { RECORDED_INCIDENT_ID, RecordingThreadCapture } from '../support/recording-thread-capture.js';
import { eventCallback, jsonBody, postInteraction, signedPost, TEST_CHANNEL, TEST_USER } from '../support/slack-requests.js';
import { messageShortcut, replyDeletedEvent, replyEditedEvent, replyEvent, replyMessage } from '../support/slack-thread-events.js';

const BOT_TOKEN = 'xoxb-test-token';
const SIGNING_SECRET = 'test-signing-secret-thread-capture';
const ROOT_TS = '1732900000.000100';

describe('thread capture on the real Bolt app (HTTP mode)', () => {
  let fake: FakeSlack;
  let app: App;
  let eventsUrl: string;
  let capture: RecordingThreadCapture;
  let seq = 0;
  /** A fresh reply ts in the root's thread. */
  const nextTs = () => `1732900100.${String((seq += 1) * 100).padStart(6, '0')}`;
  const sendEvent = (event: Record<string, unknown>) => signedPost(eventsUrl, jsonBody(eventCallback(event)), { signingSecret: SIGNING_SECRET });

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({ token: BOT_TOKEN, signingSecret: SIGNING_SECRET, clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: LogLevel.ERROR });
    capture = new RecordingThreadCapture();
    registerEvents(app, { capture });
    registerShortcuts(app, { capture });
    const server: Server = await app.start(0);
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  beforeEach(() => {
    capture.captured.length = 0;
  });

  it('captures a person\'s reply in a thread with its time and delivery info', async () => {
    const ts = nextTs();
    const body = eventCallback(replyEvent({ threadTs: ROOT_TS, ts, text: 'rotated the key in CI', clientMsgId: 'c0ffee00-0000-4000-8000-000000000001' }));
    const result = await signedPost(eventsUrl, jsonBody(body), { signingSecret: SIGNING_SECRET });

    expect(result.status).toBe(200);
    const reply = await capture.waitFor('posted', (e) => e.ts === ts);
    expect(reply).toEqual({
      channel: TEST_CHANNEL.id,
      threadTs: ROOT_TS,
      ts,
      user: TEST_USER.id,
      text: 'rotated the key in CI',
      at: tsToIso(ts),
      clientMsgId: 'c0ffee00-0000-4000-8000-000000000001',
      delivery: { eventId: body.event_id, eventTime: new Date((body.event_time as number) * 1000).toISOString(), retryNum: 0, retryReason: undefined },
    });
    expect(reply.at).toBe('2024-11-29T17:08:20.000Z');
  });

  it('captures an edit of a reply (message_changed) with editedAt and the previous text', async () => {
    const ts = nextTs();
    const editTs = '1732900200.000000';
    await sendEvent(replyEditedEvent({ threadTs: ROOT_TS, ts, text: 'rotated both keys', previousText: 'rotated the key', editTs }));

    const edit = await capture.waitFor('edited', (e) => e.ts === ts);
    expect(edit).toMatchObject({
      channel: TEST_CHANNEL.id, threadTs: ROOT_TS, ts, user: TEST_USER.id, text: 'rotated both keys', previousText: 'rotated the key',
      at: tsToIso(ts), editedAt: '2024-11-29T17:10:00.000Z', delivery: { retryNum: 0 },
    });
  });

  it('captures a deleted reply (message_deleted)', async () => {
    const ts = nextTs();
    await sendEvent(replyDeletedEvent({ threadTs: ROOT_TS, ts, text: 'oops, wrong thread', deleteTs: '1732900300.000000' }));

    const deletion = await capture.waitFor('deleted', (e) => e.ts === ts);
    expect(deletion).toMatchObject({
      channel: TEST_CHANNEL.id, threadTs: ROOT_TS, ts, user: TEST_USER.id, text: 'oops, wrong thread', at: tsToIso(ts), deletedAt: '2024-11-29T17:11:40.000Z',
    });
  });

  it('ignores top-level messages, bot messages, the bot\'s own replies and Slack\'s own message updates', async () => {
    const topLevel = nextTs();
    const { thread_ts: _unused, parent_user_id: _parent, ...topLevelEvent } = replyEvent({ threadTs: ROOT_TS, ts: topLevel, text: 'lunch?' });
    await sendEvent(topLevelEvent);
    // A thread parent is not a reply to itself.
    await sendEvent(replyEvent({ threadTs: topLevel, ts: topLevel, text: 'parent with replies' }));
    // Another app's bot message in the thread.
    await sendEvent({ ...replyEvent({ threadTs: ROOT_TS, ts: nextTs(), text: 'deploy finished' }), subtype: 'bot_message', bot_id: 'B0OTHERBOT', user: undefined, username: 'deploybot' });
    // A bot user posting as a user (bot_id set) and the bot's own reply.
    await sendEvent({ ...replyEvent({ threadTs: ROOT_TS, ts: nextTs(), text: 'from an integration', user: 'U0OTHERBOT' }), bot_id: 'B0OTHERBOT', app_id: 'A0OTHER' });
    await sendEvent({ ...replyEvent({ threadTs: ROOT_TS, ts: nextTs(), text: 'assessment', user: fake.identity.botUserId }), bot_id: fake.identity.botId });
    // Slack updating the parent's reply count: message_changed without `edited`.
    await sendEvent({
      type: 'message', subtype: 'message_changed', hidden: true, channel: TEST_CHANNEL.id, channel_type: 'channel', ts: nextTs(),
      message: { ...replyMessage({ threadTs: ROOT_TS, ts: ROOT_TS, text: 'root', user: TEST_USER.id }), reply_count: 3 },
      previous_message: replyMessage({ threadTs: ROOT_TS, ts: ROOT_TS, text: 'root', user: TEST_USER.id }),
    });
    // The bot's own chat.update of a reply.
    const botReply = nextTs();
    await sendEvent({
      type: 'message', subtype: 'message_changed', hidden: true, channel: TEST_CHANNEL.id, channel_type: 'channel', ts: nextTs(),
      message: { ...replyMessage({ threadTs: ROOT_TS, ts: botReply, text: 'progress 2/3', user: fake.identity.botUserId }), bot_id: fake.identity.botId, edited: { user: fake.identity.botUserId, ts: '1732900400.000000' } },
      previous_message: { ...replyMessage({ threadTs: ROOT_TS, ts: botReply, text: 'progress 1/3', user: fake.identity.botUserId }), bot_id: fake.identity.botId },
    });
    // A channel join: another subtype.
    await sendEvent({ type: 'message', subtype: 'channel_join', user: 'U0NEWBIE', text: '<@U0NEWBIE> has joined the channel', ts: nextTs(), channel: TEST_CHANNEL.id, channel_type: 'channel' });

    // A real reply after them all: once it is captured, the others had their turn.
    const sentinel = nextTs();
    await sendEvent(replyEvent({ threadTs: ROOT_TS, ts: sentinel, text: 'sentinel' }));
    await capture.waitFor('posted', (e) => e.ts === sentinel);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(capture.captured.map((c) => c.e.text)).toEqual(['sentinel']);
  });

  it('passes a retried event on with its retry number and reason and the same event id', async () => {
    const ts = nextTs();
    const body = eventCallback(replyEvent({ threadTs: ROOT_TS, ts, text: 'contained' }));
    await signedPost(eventsUrl, jsonBody(body), { signingSecret: SIGNING_SECRET });
    await signedPost(eventsUrl, jsonBody(body), { signingSecret: SIGNING_SECRET, retryNum: 1, retryReason: 'http_timeout' });

    await capture.waitFor('posted', (e) => e.ts === ts && e.delivery.retryNum === 1);
    const deliveries = capture.of('posted').filter((e) => e.ts === ts).map((e) => e.delivery);
    expect(deliveries).toEqual([
      expect.objectContaining({ eventId: body.event_id, retryNum: 0, retryReason: undefined }),
      expect.objectContaining({ eventId: body.event_id, retryNum: 1, retryReason: 'http_timeout' }),
    ]);
    const clientIds = new Set(capture.of('posted').filter((e) => e.ts === ts).map((e) => e.clientMsgId));
    expect(clientIds.size).toBe(1);
  });

  it('acks the "Add to incident timeline" shortcut and captures the message and who used it', async () => {
    const ts = nextTs();
    const message = { ...replyMessage({ threadTs: ROOT_TS, ts, text: 'saw the key in a public gist at 09:12', user: 'U0WITNESS' }), edited: { user: 'U0WITNESS', ts: '1732900500.000000' } };
    const result = await postInteraction(eventsUrl, messageShortcut({ callbackId: CallbackId.AddToTimeline, message, userId: 'U0RESPONDER', actionTs: '1732900600.123456', responseUrl: fake.responseUrl('shortcut') }), { signingSecret: SIGNING_SECRET });

    expect(result.status).toBe(200);
    expect(result.body).toBe('');
    const used = await capture.waitFor('shortcut', (e) => e.ts === ts);
    // The capture's answer, in words, goes privately to whoever used the shortcut.
    const answer = await fake.waitForResponse((r) => r.id === 'shortcut');
    expect(answer).toMatchObject({ responseType: 'ephemeral', body: { text: `📝 Added to the timeline of ${RECORDED_INCIDENT_ID}.` } });
    expect(used).toMatchObject({
      channel: TEST_CHANNEL.id,
      threadTs: ROOT_TS,
      ts,
      user: 'U0WITNESS',
      text: 'saw the key in a public gist at 09:12',
      at: tsToIso(ts),
      editedAt: '2024-11-29T17:15:00.000Z',
      addedBy: 'U0RESPONDER',
      addedAt: '2024-11-29T17:16:40.123Z',
    });
  });

  it('does not take other shortcuts', async () => {
    const ts = nextTs();
    const result = await postInteraction(eventsUrl, messageShortcut({ callbackId: 'someone_elses_shortcut', message: replyMessage({ threadTs: ROOT_TS, ts, text: 'x' }) }), { signingSecret: SIGNING_SECRET });
    // No listener acks it: Bolt's HTTPReceiver answers 404 after its 3-second ack timeout.
    expect(result.status).toBe(404);
    expect(capture.of('shortcut')).toEqual([]);
  });
});
