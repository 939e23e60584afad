/**
 * CloudTrail LookupEvents (JSON 1.1, `CloudTrail_20131101.LookupEvents`) in the shapes of the
 * CloudTrail API reference: one lookup attribute at most, StartTime/EndTime in epoch seconds
 * (inclusive), MaxResults 1–50 (default 50), events newest first, each entry built from the
 * stored record with the record itself as the `CloudTrailEvent` JSON string.
 *
 * NextToken is opaque: it carries a hash of the request's filters (another filter with it is
 * InvalidNextTokenException, as documented) and the position after the page's last event, so
 * records added between pages neither repeat nor shift later pages.
 */
import { createHash } from 'node:crypto';
import type { StoredEvent } from './cloudtrail-state.js';
import { FakeAwsFault } from './faults.js';
import type { JsonHandlerContext, JsonObject } from './secrets-handlers.js';

const MAX_RESULTS = 50;
const ATTRIBUTE_KEYS = new Set(['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId']);
const DEFAULT_RANGE_MS = 90 * 24 * 60 * 60 * 1000;

interface Cursor {
  readonly filters: string;
  readonly timeMs: number;
  readonly seq: number;
}

function lookupEvents(ctx: JsonHandlerContext): JsonObject {
  const state = ctx.world.cloudTrail;
  const trail = state.trail(ctx.caller.account, ctx.region);
  if (!trail.admit(state.monotonic(), state.rateLimit)) throw new FakeAwsFault('ThrottlingException', 'Rate exceeded', 400);
  const nowMs = state.now().getTime();
  const attribute = lookupAttribute(ctx.input.LookupAttributes);
  const { startMs, endMs } = timeRange(ctx.input, nowMs);
  const maxResults = maxResultsOf(ctx.input.MaxResults);
  const filters = fingerprint(ctx.input);
  const cursor = ctx.input.NextToken === undefined ? undefined : readToken(ctx.input.NextToken, filters);
  const matching = trail
    .visible(nowMs)
    .filter((e) => e.timeMs >= startMs && e.timeMs <= endMs && (!attribute || matches(e, attribute)))
    .filter((e) => !cursor || e.timeMs < cursor.timeMs || (e.timeMs === cursor.timeMs && e.seq < cursor.seq));
  const page = matching.slice(0, maxResults);
  const last = page.at(-1);
  const more = matching.length > page.length && last !== undefined;
  return { Events: page.map(lookupEntry), ...(more ? { NextToken: writeToken({ filters, timeMs: last.timeMs, seq: last.seq }) } : {}) };
}

/** The LookupEvents entry CloudTrail builds from a record. */
export function lookupEntry(event: StoredEvent): JsonObject {
  return { ...entryFields(event), CloudTrailEvent: event.cloudTrailEvent ?? JSON.stringify(event.record) };
}

/** The entry's fields besides the record itself. */
function entryFields(event: StoredEvent): JsonObject {
  const { record } = event;
  const identity = objectOr(record.userIdentity);
  const entry: Record<string, unknown> = {
    EventId: event.eventId,
    EventName: record.eventName,
    ReadOnly: typeof record.readOnly === 'boolean' ? String(record.readOnly) : undefined,
    AccessKeyId: nonEmpty(identity.accessKeyId),
    EventTime: event.timeMs / 1000,
    EventSource: record.eventSource,
    Username: usernameOf(identity),
    Resources: resourcesOf(record.resources),
  };
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
}

/** IAM users by name; role sessions by session name (the ARN's last part); root as "root". */
function usernameOf(identity: JsonObject): string | undefined {
  if (typeof identity.userName === 'string') return identity.userName;
  if (identity.type === 'Root') return 'root';
  if (identity.type === 'AssumedRole' && typeof identity.arn === 'string') return identity.arn.slice(identity.arn.lastIndexOf('/') + 1);
  return undefined;
}

function resourcesOf(resources: unknown): JsonObject[] | undefined {
  if (!Array.isArray(resources) || resources.length === 0) return undefined;
  return resources.map((r) => objectOr(r)).map((r) => ({ ResourceType: r.type, ResourceName: r.ARN }));
}

interface Attribute {
  readonly key: string;
  readonly value: string;
}

function lookupAttribute(raw: unknown): Attribute | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length > 1) {
    throw new FakeAwsFault('InvalidLookupAttributesException', 'You can specify only one lookup attribute.');
  }
  if (raw.length === 0) return undefined;
  const { AttributeKey: key, AttributeValue: value } = objectOr(raw[0]);
  if (typeof key !== 'string' || !ATTRIBUTE_KEYS.has(key) || typeof value !== 'string' || value === '') {
    throw new FakeAwsFault('InvalidLookupAttributesException', `Invalid lookup attribute: ${String(key)}.`);
  }
  return { key, value };
}

function matches(event: StoredEvent, { key, value }: Attribute): boolean {
  const entry = entryFields(event);
  if (key === 'ResourceType' || key === 'ResourceName') {
    const resources = (entry.Resources ?? []) as JsonObject[];
    return resources.some((r) => r[key] === value);
  }
  return entry[key] === value;
}

function timeRange(input: JsonObject, nowMs: number): { startMs: number; endMs: number } {
  const startMs = epochMs(input.StartTime, 'StartTime') ?? nowMs - DEFAULT_RANGE_MS;
  const endMs = epochMs(input.EndTime, 'EndTime') ?? nowMs;
  if (startMs > endMs) {
    throw new FakeAwsFault('InvalidTimeRangeException', 'Start time must be before end time.');
  }
  return { startMs, endMs };
}

function epochMs(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new FakeAwsFault('SerializationException', `${name} must be a timestamp in epoch seconds`);
  }
  return value * 1000;
}

function maxResultsOf(value: unknown): number {
  if (value === undefined || value === null) return MAX_RESULTS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_RESULTS) {
    throw new FakeAwsFault('InvalidMaxResultsException', 'Max results must be between 1 and 50.');
  }
  return value;
}

/** What a NextToken must be used with: the same attribute and time range. */
function fingerprint(input: JsonObject): string {
  const filters = JSON.stringify([input.LookupAttributes ?? null, input.StartTime ?? null, input.EndTime ?? null]);
  return createHash('sha256').update(filters).digest('hex').slice(0, 16);
}

function writeToken(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.filters, cursor.timeMs, cursor.seq])).toString('base64url');
}

function readToken(token: unknown, filters: string): Cursor {
  const invalid = new FakeAwsFault('InvalidNextTokenException', 'Invalid next token.');
  if (typeof token !== 'string') throw invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed[0] !== filters || typeof parsed[1] !== 'number' || typeof parsed[2] !== 'number') throw invalid;
  return { filters, timeMs: parsed[1], seq: parsed[2] };
}

function objectOr(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** CloudTrail operations by name. */
export const cloudTrailHandlers: Readonly<Record<string, (ctx: JsonHandlerContext) => JsonObject>> = {
  LookupEvents: lookupEvents,
};
