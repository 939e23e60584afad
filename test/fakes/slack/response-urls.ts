import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObject, readBody, sendText } from './http-io.js';
import type { Journal } from './journal.js';
import type { JsonObject, ResponseUrlRecord } from './types.js';

/** Path prefix of the fake's response URLs. */
export const RESPONSE_PATH = '/response/';

/** Slack lets an app use one response_url up to five times (within 30 minutes). */
const MAX_USES = 5;

/**
 * The fake's `response_url` endpoint: JSON POSTs are recorded in the journal and answered
 * like Slack (200 `ok`; 400 for a bad payload; 404 once the URL is used up).
 */
export class ResponseUrls {
  private readonly uses = new Map<string, number>();

  constructor(private readonly journal: Journal) {}

  /** All recorded responses, optionally for one id. */
  responses(id?: string): ResponseUrlRecord[] {
    return this.journal.records.filter(
      (record): record is ResponseUrlRecord => record.kind === 'response' && (id === undefined || record.id === id),
    );
  }

  /** Handles `POST /response/<id>`. */
  async handle(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const body = parseJsonObject(await readBody(req));
    const { status, answer } = this.judge(id, body);
    this.journal.append({
      kind: 'response',
      id,
      body: body ?? {},
      responseType: body?.response_type === 'in_channel' ? 'in_channel' : 'ephemeral',
      replaceOriginal: isTrue(body?.replace_original),
      deleteOriginal: isTrue(body?.delete_original),
      httpStatus: status,
    });
    sendText(res, status, answer);
  }

  private judge(id: string, body: JsonObject | undefined): { status: number; answer: string } {
    if (body === undefined) return { status: 400, answer: 'invalid_payload' };
    const used = (this.uses.get(id) ?? 0) + 1;
    this.uses.set(id, used);
    if (used > MAX_USES) return { status: 404, answer: 'used_url' };
    const hasContent = typeof body.text === 'string' || Array.isArray(body.blocks) || Array.isArray(body.attachments);
    if (!hasContent && !isTrue(body.delete_original)) return { status: 400, answer: 'no_text' };
    return { status: 200, answer: 'ok' };
  }
}

function parseJsonObject(raw: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
