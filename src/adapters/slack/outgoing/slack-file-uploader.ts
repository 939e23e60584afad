/**
 * `FileUploader` on the Slack Web API: files.getUploadURLExternal → POST the bytes to the
 * returned `upload_url` → files.completeUploadExternal into the thread.
 *
 * getUploadURLExternal needs the length first, so the content is spooled to a temporary file
 * (counting bytes) and then streamed from it; it is never held in memory as a whole.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { webApi } from '@slack/bolt';
import { SlackError } from '../../../domain/errors.js';
import type { FileUploader } from '../../../ports/file-uploader.js';
import { callWebApi, slackError } from './web-api-call.js';

/** Label of the upload POST in `SlackError.method` (it is not a Web API method). */
export const UPLOAD_STEP = 'files.upload_url';

/** Idle time after which the upload POST is given up. */
const UPLOAD_IDLE_TIMEOUT_MS = 120_000;

export class SlackFileUploader implements FileUploader {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly options: { readonly tmpDir?: string } = {},
  ) {}

  async uploadToThread(channelId: string, threadTs: string, filename: string, title: string, content: AsyncIterable<string>): Promise<{ fileId: string }> {
    const dir = await mkdtemp(join(this.options.tmpDir ?? tmpdir(), 'key-incident-upload-'));
    try {
      const path = join(dir, 'content');
      const length = await spool(content, path);
      const ticket = await callWebApi('files.getUploadURLExternal', () => this.client.files.getUploadURLExternal({ filename, length }));
      if (!ticket.upload_url || !ticket.file_id) throw new SlackError('no_upload_url', 'files.getUploadURLExternal');
      await postFile(ticket.upload_url, path, length);
      await callWebApi('files.completeUploadExternal', () =>
        this.client.files.completeUploadExternal({ files: [{ id: ticket.file_id!, title }], channel_id: channelId, thread_ts: threadTs }));
      return { fileId: ticket.file_id };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** Writes `content` as UTF-8 to `path`; resolves with the number of bytes written. */
async function spool(content: AsyncIterable<string>, path: string): Promise<number> {
  let bytes = 0;
  async function* encoded(): AsyncGenerator<Buffer> {
    // A surrogate pair split across two chunks must be encoded as one character.
    let carry = '';
    for await (const piece of content) {
      let text = carry + piece;
      carry = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        carry = text.slice(-1);
        text = text.slice(0, -1);
      }
      if (text === '') continue;
      const chunk = Buffer.from(text, 'utf8');
      bytes += chunk.length;
      yield chunk;
    }
    if (carry !== '') {
      const chunk = Buffer.from(carry, 'utf8');
      bytes += chunk.length;
      yield chunk;
    }
  }
  await pipeline(Readable.from(encoded()), createWriteStream(path, { mode: 0o600 }));
  return bytes;
}

/** POSTs the file's bytes as the raw body to Slack's upload URL; Slack answers 200. */
async function postFile(uploadUrl: string, path: string, length: number): Promise<void> {
  const url = new URL(uploadUrl);
  const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
  if (!send) throw new SlackError('invalid_upload_url', UPLOAD_STEP);
  let response: IncomingMessage;
  try {
    response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
      }, resolve);
      req.setTimeout(UPLOAD_IDLE_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('upload timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      pipeline(createReadStream(path), req).catch(reject);
    });
  } catch (err) {
    throw slackError(UPLOAD_STEP, err, 'upload_failed');
  }
  // Drain the short answer ("OK - <size>") so the socket can be reused.
  let answer = '';
  for await (const chunk of response) if (answer.length < 500) answer += String(chunk);
  if (response.statusCode !== 200) {
    throw new SlackError('upload_failed', UPLOAD_STEP, { cause: new Error(`upload URL answered HTTP ${response.statusCode}: ${answer.slice(0, 200)}`) });
  }
}
