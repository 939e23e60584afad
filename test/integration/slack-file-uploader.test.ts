import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackFileUploader, UPLOAD_STEP } from '../../src/adapters/slack/outgoing/slack-file-uploader.js';
import { SlackError } from '../../src/domain/errors.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';

const CHANNEL = 'C0INCIDENT';

/** ~5 MB of timeline lines, yielded one line at a time, with multi-byte characters. */
async function* timelineLines(count: number): AsyncGenerator<string> {
  for (let i = 0; i < count; i += 1) {
    yield `${JSON.stringify({ seq: i, at: new Date(1_732_900_000_000 + i * 1000).toISOString(), note: `événement ${i} — ✅ ${'x'.repeat(60)}` })}\n`;
  }
}

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const line of lines) all += line;
  return all;
}

async function rejection(call: Promise<unknown>): Promise<SlackError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof SlackError)) throw new Error(`expected a SlackError, got ${String(error)}`);
  return error;
}

describe('SlackFileUploader against the fake Slack', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;
  let spoolDir: string;
  let uploader: SlackFileUploader;
  let rootTs: string;

  beforeEach(async () => {
    fake = await startFakeSlack({ waitTimeoutMs: 2000 });
    client = new webApi.WebClient('xoxb-test-token', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
    spoolDir = await mkdtemp(join(tmpdir(), 'uploader-test-'));
    uploader = new SlackFileUploader(client, { tmpDir: spoolDir });
    rootTs = fake.seedMessage({ channel: CHANNEL, text: 'KI-7F3A9C opened', user: fake.identity.botUserId }).ts;
  });

  afterEach(async () => {
    await fake.close();
    await rm(spoolDir, { recursive: true, force: true });
  });

  it('streams a 5 MB upload that arrives intact in the thread, and deletes its spool file', async () => {
    const lines = 52_000;
    const expected = await collect(timelineLines(lines));
    const expectedBytes = Buffer.byteLength(expected, 'utf8');
    expect(expectedBytes).toBeGreaterThan(5_000_000);

    const { fileId } = await uploader.uploadToThread(CHANNEL, rootTs, 'KI-7F3A9C-timeline.jsonl', 'KI-7F3A9C timeline', timelineLines(lines));

    expect(fake.callsTo('files.getUploadURLExternal')[0]?.params).toMatchObject({ filename: 'KI-7F3A9C-timeline.jsonl', length: String(expectedBytes) });
    expect(fake.uploads).toEqual([expect.objectContaining({ fileId, httpStatus: 200, size: expectedBytes, contentLength: String(expectedBytes), transferEncoding: undefined })]);
    expect(fake.callsTo('files.completeUploadExternal')[0]?.params).toMatchObject({ files: [{ id: fileId, title: 'KI-7F3A9C timeline' }], channel_id: CHANNEL, thread_ts: rootTs });
    const [file] = fake.files;
    expect(file).toMatchObject({ id: fileId, name: 'KI-7F3A9C-timeline.jsonl', title: 'KI-7F3A9C timeline', channel: CHANNEL, threadTs: rootTs, size: expectedBytes, declaredLength: expectedBytes });
    expect(createHash('sha256').update(file!.content).digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
    const thread = fake.threadOf(CHANNEL, rootTs);
    expect(thread).toHaveLength(2);
    expect(thread[1]).toMatchObject({ threadTs: rootTs, user: fake.identity.botUserId, files: [expect.objectContaining({ id: fileId, title: 'KI-7F3A9C timeline' })] });
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('counts bytes, not characters, when a surrogate pair is split across chunks', async () => {
    const emoji = '🔑';
    async function* split(): AsyncGenerator<string> {
      yield `key ${emoji[0]}`;
      yield `${emoji[1]} rotated\n`;
    }
    await uploader.uploadToThread(CHANNEL, rootTs, 'k.txt', 'k', split());
    expect(fake.files[0]).toMatchObject({ content: `key ${emoji} rotated\n`, size: Buffer.byteLength(`key ${emoji} rotated\n`) });
  });

  it('maps a refused upload URL request to SlackError with Slack\'s code', async () => {
    fake.failNext('files.getUploadURLExternal', 'file_uploads_disabled');
    const error = await rejection(uploader.uploadToThread(CHANNEL, rootTs, 't.txt', 't', timelineLines(10)));
    expect(error).toMatchObject({ code: 'file_uploads_disabled', method: 'files.getUploadURLExternal' });
    expect(fake.count('files.completeUploadExternal')).toBe(0);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('answers missing_argument for empty content, as Slack does for length 0', async () => {
    async function* nothing(): AsyncGenerator<string> {}
    const error = await rejection(uploader.uploadToThread(CHANNEL, rootTs, 'empty.txt', 'empty', nothing()));
    expect(error).toMatchObject({ code: 'missing_argument', method: 'files.getUploadURLExternal' });
  });

  it('maps a failed POST to the upload URL to upload_failed and does not complete', async () => {
    fake.failNextUpload(500);
    const error = await rejection(uploader.uploadToThread(CHANNEL, rootTs, 't.txt', 't', timelineLines(100)));
    expect(error).toMatchObject({ code: 'upload_failed', method: UPLOAD_STEP });
    expect(fake.count('files.completeUploadExternal')).toBe(0);
    expect(fake.files).toEqual([]);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('maps completeUploadExternal errors (bot not in channel, no such thread)', async () => {
    fake.addChannel({ id: 'C0OUTSIDE', isMember: false });
    const outside = await rejection(uploader.uploadToThread('C0OUTSIDE', rootTs, 't.txt', 't', timelineLines(3)));
    expect(outside).toMatchObject({ code: 'not_in_channel', method: 'files.completeUploadExternal' });

    const noThread = await rejection(uploader.uploadToThread(CHANNEL, '1732999999.000100', 't.txt', 't', timelineLines(3)));
    expect(noThread).toMatchObject({ code: 'thread_not_found', method: 'files.completeUploadExternal' });
    expect(fake.files).toEqual([]);
  });

  it('passes a failing content stream\'s error through and still deletes the spool file', async () => {
    async function* broken(): AsyncGenerator<string> {
      yield 'first line\n';
      throw new Error('repository read failed');
    }
    await expect(uploader.uploadToThread(CHANNEL, rootTs, 't.txt', 't', broken())).rejects.toThrow('repository read failed');
    expect(fake.count('files.getUploadURLExternal')).toBe(0);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('fake: completing a file whose bytes never arrived answers file_not_found', async () => {
    const ticket = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 5 });
    const error: unknown = await client.files.completeUploadExternal({ files: [{ id: ticket.file_id! }], channel_id: CHANNEL }).catch((e: unknown) => e);
    expect((error as { data?: { error?: string } }).data?.error).toBe('file_not_found');
  });
});
