/**
 * The fake's external file uploads, as Slack runs them:
 * 1. `files.getUploadURLExternal` (filename, length) reserves a file id and answers an
 *    `upload_url` (here on the fake's own server, `/upload/v1/<key>`);
 * 2. the client POSTs the bytes there (raw body or multipart; the fake takes the raw body);
 * 3. `files.completeUploadExternal` (files [{ id, title }], channel_id, thread_ts) shares the
 *    file: a message carrying it is posted in the channel or thread.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendText } from './http-io.js';
import { SlackApiError } from './types.js';

/** Path prefix of the fake's upload URLs. */
export const UPLOAD_PATH = '/upload/v1/';

/** One file as the fake holds it. */
export interface StoredFile {
  readonly id: string;
  /** `filename` given to `files.getUploadURLExternal`. */
  readonly name: string;
  /** `length` given to `files.getUploadURLExternal`. */
  readonly declaredLength: number;
  /** Bytes received at the upload URL (undefined until then). */
  bytes: Buffer | undefined;
  /** Title from `files.completeUploadExternal` (Slack defaults it to the name). */
  title: string | undefined;
  /** Where it was shared (undefined while private / not completed). */
  channel: string | undefined;
  threadTs: string | undefined;
  /** ts of the message that shared it. */
  messageTs: string | undefined;
  completed: boolean;
}

/** A file as `fake.files` shows it, after `files.completeUploadExternal`. */
export interface SharedFile {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly channel: string | undefined;
  readonly threadTs: string | undefined;
  readonly messageTs: string | undefined;
  /** Bytes received at the upload URL. */
  readonly size: number;
  /** `length` announced to `files.getUploadURLExternal`. */
  readonly declaredLength: number;
  /** The uploaded bytes as UTF-8 text. */
  readonly content: string;
}

/** One POST to an upload URL. */
export interface UploadRecord {
  readonly fileId: string | undefined;
  readonly httpStatus: number;
  /** Bytes received in the body. */
  readonly size: number;
  readonly contentType: string | undefined;
  readonly contentLength: string | undefined;
  readonly transferEncoding: string | undefined;
}

export class FileStore {
  private readonly files = new Map<string, StoredFile>();
  private readonly keys = new Map<string, string>();
  private readonly uploadFaults: number[] = [];
  readonly uploads: UploadRecord[] = [];
  private counter = 0;

  constructor(private readonly origin: () => string) {}

  /** `files.getUploadURLExternal`. */
  reserve(filename: unknown, length: unknown): { upload_url: string; file_id: string } {
    const size = typeof length === 'number' ? length : typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : NaN;
    // Slack: `missing_argument` "typically only occurs when the length provided is 0".
    if (typeof filename !== 'string' || filename === '' || !Number.isFinite(size) || size <= 0) throw new SlackApiError('missing_argument');
    this.counter += 1;
    const id = `F0FAKE${String(this.counter).padStart(5, '0')}`;
    const key = randomBytes(12).toString('hex');
    this.files.set(id, {
      id, name: filename, declaredLength: size, bytes: undefined, title: undefined, channel: undefined, threadTs: undefined, messageTs: undefined, completed: false,
    });
    this.keys.set(key, id);
    return { upload_url: `${this.origin()}${UPLOAD_PATH}${key}`, file_id: id };
  }

  /** The next upload POST(s) answer this HTTP status instead of storing the bytes. */
  failNextUpload(status: number, times = 1): void {
    for (let i = 0; i < times; i += 1) this.uploadFaults.push(status);
  }

  /** `POST /upload/v1/<key>`: stores the raw body (200 `OK - <size>`, as Slack answers). */
  async handleUpload(req: IncomingMessage, res: ServerResponse, key: string): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    const fileId = this.keys.get(key);
    const file = fileId === undefined ? undefined : this.files.get(fileId);
    const fault = this.uploadFaults.shift();
    const status = fault ?? (req.method !== 'POST' ? 405 : file === undefined || file.completed ? 404 : 200);
    this.uploads.push({
      fileId,
      httpStatus: status,
      size,
      contentType: req.headers['content-type'],
      contentLength: req.headers['content-length'],
      transferEncoding: req.headers['transfer-encoding'],
    });
    if (status !== 200 || file === undefined) return sendText(res, status, status === 404 ? 'not_found' : 'upload_failed');
    file.bytes = Buffer.concat(chunks, size);
    sendText(res, 200, `OK - ${size}`);
  }

  /**
   * Validates `files.completeUploadExternal`'s `files` and marks them shared; `share` posts the
   * message carrying them and answers its ts.
   */
  complete(filesParam: unknown, share: (files: StoredFile[]) => { channel: string | undefined; threadTs: string | undefined; ts: string | undefined }): StoredFile[] {
    if (!Array.isArray(filesParam) || filesParam.length === 0) throw new SlackApiError('invalid_arguments');
    const picked = filesParam.map((entry: unknown) => {
      const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
      const file = typeof id === 'string' ? this.files.get(id) : undefined;
      // Not reserved, or its bytes never arrived: Slack cannot find the upload.
      if (file === undefined || file.bytes === undefined || file.completed) throw new SlackApiError('file_not_found');
      const title = (entry as { title?: unknown }).title;
      return { file, title: typeof title === 'string' && title !== '' ? title : undefined };
    });
    for (const { file, title } of picked) file.title = title ?? file.name;
    const where = share(picked.map((p) => p.file));
    for (const { file } of picked) {
      file.channel = where.channel;
      file.threadTs = where.threadTs;
      file.messageTs = where.ts;
      file.completed = true;
    }
    return picked.map((p) => p.file);
  }

  /** Completed files, oldest first. */
  shared(): SharedFile[] {
    return [...this.files.values()].filter((file) => file.completed).map((file) => ({
      id: file.id,
      name: file.name,
      title: file.title ?? file.name,
      channel: file.channel,
      threadTs: file.threadTs,
      messageTs: file.messageTs,
      size: file.bytes?.length ?? 0,
      declaredLength: file.declaredLength,
      content: file.bytes?.toString('utf8') ?? '',
    }));
  }
}

/** The file object Slack answers (a subset of its fields). */
export function fileJson(file: StoredFile, user: string): Record<string, unknown> {
  return {
    id: file.id,
    created: Math.floor(Date.now() / 1000),
    timestamp: Math.floor(Date.now() / 1000),
    name: file.name,
    title: file.title ?? file.name,
    mimetype: 'text/plain',
    filetype: 'text',
    pretty_type: 'Plain Text',
    user,
    mode: 'hosted',
    editable: false,
    is_external: false,
    external_type: '',
    size: file.bytes?.length ?? 0,
    is_public: file.channel !== undefined,
  };
}
