import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackEventsAfterRecord } from '../../src/adapters/slack/listeners/events/ack-after-record.js';
import { registerEvents } from '../../src/adapters/slack/listeners/events/index.js';
import type { ReplyPosted } from '../../src/ports/thread-capture.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { RecordingThreadCapture } from '../support/recording-thread-capture.js';
import { eventCallback, jsonBody, signedPost } from '../support/slack-requests.js';
import { replyEvent } from '../support/slack-thread-events.js';

const SIGNING_SECRET = 'test-signing-secret-ack-after-record';
const ROOT_TS = '1732900000.000100';

/** A capture whose next `failures` replies fail to be recorded, as a DynamoDB error would. */
class FailingCapture extends RecordingThreadCapture {
  failures = 0;
  override async replyPosted(e: ReplyPosted): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw Object.assign(new Error('ProvisionedThroughputExceededException'), { name: 'ProvisionedThroughputExceededException' });
    }
    await super.replyPosted(e);
  }
}

describe('a thread reply whose record fails (HTTP mode)', () => {
  let fake: FakeSlack;
  let app: App;
  let eventsUrl: string;
  const capture = new FailingCapture();

  beforeAll(async () => {
    fake = await startFakeSlack();
    const receiver = ackEventsAfterRecord(new HTTPReceiver({ signingSecret: SIGNING_SECRET, logLevel: LogLevel.ERROR }));
    app = new App({ token: 'xoxb-test-token', receiver, clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: LogLevel.ERROR });
    app.error(async () => {});
    registerEvents(app, { capture });
    const server = (await app.start(0)) as Server;
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('is not acknowledged, so Slack delivers it again, and is recorded once the record succeeds', async () => {
    const ts = '1732900100.000100';
    const body = jsonBody(eventCallback(replyEvent({ threadTs: ROOT_TS, ts, text: 'rotated the key in CI' })));
    capture.failures = 1;

    const first = await signedPost(eventsUrl, body, { signingSecret: SIGNING_SECRET });
    expect(first.status).toBe(500);
    expect(capture.captured).toEqual([]);

    const retry = await signedPost(eventsUrl, body, { signingSecret: SIGNING_SECRET, retryNum: 1, retryReason: 'http_error' });
    expect(retry.status).toBe(200);
    expect(capture.captured.map((c) => c.kind)).toEqual(['posted']);
  });

  it('acknowledges a reply once it is recorded, and a message it does not keep at once', async () => {
    const ts = '1732900100.000200';
    const recorded = await signedPost(eventsUrl, jsonBody(eventCallback(replyEvent({ threadTs: ROOT_TS, ts, text: 'paged the owner' }))), { signingSecret: SIGNING_SECRET });
    expect(recorded.status).toBe(200);
    expect(capture.captured.at(-1)).toMatchObject({ kind: 'posted', e: { ts } });
    const ignored = await signedPost(eventsUrl, jsonBody(eventCallback({ type: 'message', channel: 'C0INCIDENT', user: 'U0TESTUSER', text: 'hello', ts: '1732900100.000300' })), { signingSecret: SIGNING_SECRET });
    expect(ignored.status).toBe(200);
  });
});
