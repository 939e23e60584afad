import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiParams, JsonObject } from './types.js';

/** Form fields that Slack takes as JSON-encoded strings; the fake decodes them. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'user_auth_blocks', 'files']);

/** A Web API request as the fake sees it. */
export interface ParsedApiRequest {
  readonly params: ApiParams;
  readonly token: string | undefined;
  /** Set when the body could not be read; answered as this error code. */
  readonly bodyError: string | undefined;
}

/** Reads the whole request body as UTF-8. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parses a Web API request the way Slack accepts them: form-encoded or JSON bodies (plus
 * query parameters), the token from `Authorization: Bearer …` or a `token` field.
 */
export function parseApiRequest(req: IncomingMessage, rawBody: string): ParsedApiRequest {
  const query = Object.fromEntries(new URL(req.url ?? '/', 'http://fake').searchParams);
  const { params: bodyParams, error } = parseBody(req.headers['content-type'], rawBody);
  const params: ApiParams = { ...query, ...bodyParams };
  const fieldToken = typeof params.token === 'string' ? params.token : undefined;
  delete params.token;
  return { params: decodeJsonFields(params), token: bearerToken(req) ?? fieldToken, bodyError: error };
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: JsonObject, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Writes a plain-text answer (response_url and webhooks answer text, not JSON). */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function parseBody(contentType: string | undefined, rawBody: string): { params: ApiParams; error?: string } {
  if (rawBody === '') return { params: {} };
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(rawBody);
      return isObject(parsed) ? { params: parsed } : { params: {}, error: 'invalid_json' };
    } catch {
      return { params: {}, error: 'invalid_json' };
    }
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    return { params: Object.fromEntries(new URLSearchParams(rawBody)) };
  }
  // Multipart (file uploads) is not modelled by this fake.
  return { params: {}, error: 'invalid_form_data' };
}

function decodeJsonFields(params: ApiParams): ApiParams {
  const decoded: ApiParams = {};
  for (const [key, value] of Object.entries(params)) {
    decoded[key] = JSON_FIELDS.has(key) && typeof value === 'string' ? parseJsonOrKeep(value) : value;
  }
  return decoded;
}

function parseJsonOrKeep(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
