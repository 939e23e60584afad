import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import {
  blockActions,
  eventCallback,
  jsonBody,
  postSlashCommand,
  signedPost,
  slashCommand,
  TEST_CHANNEL,
  TEST_USER,
} from '../support/slack-requests.js';

const BOT_TOKEN = 'xoxb-test-token';
const APP_TOKEN = 'xapp-test-app-token';
const SIGNING_SECRET = 'test-signing-secret';

/** Test-only listeners: enough Bolt surface to prove the fake speaks Slack's protocols. */
function registerPing(app: App): void {
  app.command('/ping', async ({ command, ack, client, respond }) => {
    await ack('pong');
    if (command.text === 'via-response-url') {
      await respond({ response_type: 'in_channel', text: 'pong via response_url' });
      return;
    }
    await client.chat.postMessage({ channel: command.channel_id, text: `pong for <@${command.user_id}>` });
  });
  app.command('/retry-check', async ({ ack, client, command, context }) => {
    await ack();
    await client.chat.postMessage({ channel: command.channel_id, text: `retry ${context.retryNum} ${context.retryReason}` });
  });
  app.action('approve', async ({ ack, body, client }) => {
    await ack();
    const channel = body.channel?.id ?? TEST_CHANNEL.id;
    await client.chat.postMessage({ channel, text: `approved by <@${body.user.id}>` });
  });
  app.event('app_mention', async ({ event, client }) => {
    await client.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: 'on it' });
  });
}

describe('the fake Slack with the real Bolt app in HTTP mode', () => {
  let fake: FakeSlack;
  let app: App;
  let eventsUrl: string;

  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.requireToken(BOT_TOKEN);
    // Bolt calls auth.test in its constructor, so the fake must already be listening.
    app = new App({ token: BOT_TOKEN, signingSecret: SIGNING_SECRET, clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: LogLevel.ERROR });
    registerPing(app);
    const server: Server = await app.start(0);
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('acks a signed slash command with its body and posts through the Web API', async () => {
    const mark = fake.mark();
    const result = await postSlashCommand(eventsUrl, slashCommand({ command: '/ping' }), { signingSecret: SIGNING_SECRET });

    expect(result.status).toBe(200);
    expect(result.body).toBe('pong');
    const post = await fake.waitForCall('chat.postMessage', () => true, { after: mark });
    expect(post.token).toBe(BOT_TOKEN);
    expect(post.params).toMatchObject({ channel: TEST_CHANNEL.id, text: `pong for <@${TEST_USER.id}>` });
    expect(post.result).toMatchObject({ ok: true, channel: TEST_CHANNEL.id, ts: expect.stringMatching(/^\d{10}\.\d{6}$/) });
    expect(fake.messagesIn(TEST_CHANNEL.id).map((message) => message.text)).toContain(`pong for <@${TEST_USER.id}>`);
  });

  it('was verified by Bolt with auth.test on the bot token', () => {
    const authTests = fake.callsTo('auth.test');
    expect(authTests.length).toBeGreaterThanOrEqual(1);
    expect(authTests[0]).toMatchObject({ token: BOT_TOKEN, result: { ok: true, user_id: fake.identity.botUserId } });
  });

  it('gets 401 and runs no listener when the signature was made with another secret', async () => {
    const posts = fake.count('chat.postMessage');
    const result = await postSlashCommand(eventsUrl, slashCommand({ command: '/ping' }), {
      signingSecret: SIGNING_SECRET,
      badSignature: true,
    });

    expect(result.status).toBe(401);
    expect(fake.count('chat.postMessage')).toBe(posts);
  });

  it('gets 401 and runs no listener when the timestamp is more than five minutes old', async () => {
    const posts = fake.count('chat.postMessage');
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const result = await postSlashCommand(eventsUrl, slashCommand({ command: '/ping' }), {
      signingSecret: SIGNING_SECRET,
      timestamp: sixMinutesAgo,
    });

    expect(result.status).toBe(401);
    expect(fake.count('chat.postMessage')).toBe(posts);
  });

  it('delivers respond() to the response_url given in the payload', async () => {
    const command = slashCommand({ command: '/ping', text: 'via-response-url', response_url: fake.responseUrl('ping-1') });
    const result = await postSlashCommand(eventsUrl, command, { signingSecret: SIGNING_SECRET });

    expect(result.status).toBe(200);
    const response = await fake.waitForResponse((candidate) => candidate.id === 'ping-1');
    expect(response).toMatchObject({ responseType: 'in_channel', httpStatus: 200, body: { text: 'pong via response_url' } });
  });

  it('hands Slack retry headers to the listener context', async () => {
    const mark = fake.mark();
    await postSlashCommand(eventsUrl, slashCommand({ command: '/retry-check' }), {
      signingSecret: SIGNING_SECRET,
      retryNum: 2,
      retryReason: 'http_timeout',
    });

    const post = await fake.waitForCall('chat.postMessage', () => true, { after: mark });
    expect(post.params.text).toBe('retry 2 http_timeout');
  });

  it('answers the Events API url_verification challenge sent as signed JSON', async () => {
    const body = jsonBody({ token: 'test-verification-token', challenge: 'challenge-123', type: 'url_verification' });
    const result = await signedPost(eventsUrl, body, { signingSecret: SIGNING_SECRET });

    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ challenge: 'challenge-123' });
  });
});

describe('the fake Slack with the real Bolt app in Socket Mode', () => {
  let fake: FakeSlack;
  let app: App;

  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.requireToken(BOT_TOKEN);
    fake.requireAppToken(APP_TOKEN);
    // The receiver's SocketModeClient gets Bolt's clientOptions too, so apps.connections.open reaches the fake.
    app = new App({ token: BOT_TOKEN, appToken: APP_TOKEN, socketMode: true, clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: LogLevel.ERROR });
    registerPing(app);
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('connects with the app-level token and is greeted with hello', () => {
    expect(fake.callsTo('apps.connections.open')).toEqual([
      expect.objectContaining({ token: APP_TOKEN, result: { ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/) } }),
    ]);
    expect(fake.socket.openConnections).toBe(1);
  });

  it('acks a slash command envelope with its payload and then posts', async () => {
    const mark = fake.mark();
    const ack = await fake.socket.sendSlashCommand(slashCommand({ command: '/ping' }));

    expect(ack.payload).toEqual({ text: 'pong' });
    const post = await fake.waitForCall('chat.postMessage', () => true, { after: mark });
    expect(post).toMatchObject({ token: BOT_TOKEN, params: { channel: TEST_CHANNEL.id } });
  });

  it('acks a block_actions envelope and runs the action listener', async () => {
    const mark = fake.mark();
    const ack = await fake.socket.sendInteractive(blockActions({ actionId: 'approve', userId: 'U0APPROVER' }));

    expect(ack.payload).toEqual({});
    const post = await fake.waitForCall('chat.postMessage', () => true, { after: mark });
    expect(post.params.text).toBe('approved by <@U0APPROVER>');
  });

  it('acks an events_api envelope and replies in the mentioning thread', async () => {
    const mention = fake.seedMessage({ channel: TEST_CHANNEL.id, text: `<@${fake.identity.botUserId}> help` });
    const ack = await fake.socket.sendEvent(
      eventCallback({ type: 'app_mention', user: TEST_USER.id, text: mention.text, ts: mention.ts, channel: TEST_CHANNEL.id }),
    );

    expect(ack.envelope_id).toEqual(expect.any(String));
    await fake.waitForCall('chat.postMessage', (call) => call.params.thread_ts === mention.ts);
    expect(fake.threadOf(TEST_CHANNEL.id, mention.ts).map((message) => message.text)).toEqual([mention.text, 'on it']);
  });

  it('reaches the response_url from a Socket Mode slash command too', async () => {
    await fake.socket.sendSlashCommand(slashCommand({ command: '/ping', text: 'via-response-url', response_url: fake.responseUrl('socket-1') }));

    const response = await fake.waitForResponse((candidate) => candidate.id === 'socket-1');
    expect(response.body.text).toBe('pong via response_url');
  });
});
