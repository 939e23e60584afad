/**
 * LookupEvents entries → `TrailEvent`. The record itself is the entry's `CloudTrailEvent`, a JSON
 * string; only the fields the review reads are kept, each checked for its type (a field of the
 * wrong type is left out, never trusted). The entry's own fields stand in for missing ones.
 */
import type { Event as LookupEntry } from '@aws-sdk/client-cloudtrail';
import type { TrailEvent } from '../../domain/review/types.js';

type Json = Readonly<Record<string, unknown>>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Why an entry could not be read. */
export type TrailEventProblem = 'missing-record' | 'invalid-json' | 'not-a-record' | 'missing-fields';

/** An entry decoded: its event, or the problem and (when CloudTrail gave one) its event id. */
export type DecodedEntry =
  | { readonly ok: true; readonly event: TrailEvent }
  | { readonly ok: false; readonly problem: TrailEventProblem; readonly eventId?: string };

/** The entry's record as a `TrailEvent`, or why it cannot be one. `region` is the one scanned. */
export function decodeLookupEntry(entry: LookupEntry, region: string): DecodedEntry {
  const eventId = entry.EventId;
  const failed = (problem: TrailEventProblem): DecodedEntry =>
    eventId ? { ok: false, problem, eventId } : { ok: false, problem };
  if (entry.CloudTrailEvent === undefined) return failed('missing-record');
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry.CloudTrailEvent);
  } catch {
    return failed('invalid-json');
  }
  if (!isObject(parsed)) return failed('not-a-record');
  const event = trailEventFrom(parsed, entry, region);
  return event ? { ok: true, event } : failed('missing-fields');
}

/**
 * A CloudTrail record (as in a log file or `CloudTrailEvent`) as a `TrailEvent`; undefined when
 * it lacks an event id, time, name or source and `entry` cannot supply them.
 */
export function trailEventFrom(record: Json, entry: LookupEntry = {}, region?: string): TrailEvent | undefined {
  const eventId = str(record.eventID) ?? entry.EventId;
  const eventTime = isoTime(str(record.eventTime)) ?? entry.EventTime?.toISOString();
  const eventName = str(record.eventName) ?? entry.EventName;
  const eventSource = str(record.eventSource) ?? entry.EventSource;
  const awsRegion = str(record.awsRegion) ?? region;
  if (!eventId || !eventTime || !eventName || !eventSource || !awsRegion) return undefined;
  const event: Mutable<TrailEvent> = { eventId, eventTime, eventName, eventSource, awsRegion };
  copyStrings(record, event, ['sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage']);
  const readOnly = readOnlyOf(record.readOnly) ?? readOnlyOf(entry.ReadOnly);
  if (readOnly !== undefined) event.readOnly = readOnly;
  if (isObject(record.userIdentity)) event.userIdentity = userIdentityOf(record.userIdentity);
  if (isObject(record.requestParameters) || record.requestParameters === null) event.requestParameters = record.requestParameters;
  if (isObject(record.responseElements) || record.responseElements === null) event.responseElements = record.responseElements;
  if (Array.isArray(record.resources)) event.resources = record.resources.filter(isObject).map(resourceOf);
  return event;
}

function userIdentityOf(identity: Json): NonNullable<TrailEvent['userIdentity']> {
  const out: Mutable<NonNullable<TrailEvent['userIdentity']>> = {};
  copyStrings(identity, out, ['type', 'arn', 'accountId', 'accessKeyId', 'userName']);
  const context = identity.sessionContext;
  if (isObject(context)) {
    const session: Mutable<NonNullable<typeof out.sessionContext>> = {};
    if (isObject(context.sessionIssuer)) {
      const issuer: Record<string, string> = {};
      copyStrings(context.sessionIssuer, issuer, ['type', 'arn', 'userName']);
      session.sessionIssuer = issuer;
    }
    if (isObject(context.attributes)) {
      const attributes: Record<string, string> = {};
      copyStrings(context.attributes, attributes, ['creationDate', 'mfaAuthenticated']);
      session.attributes = attributes;
    }
    out.sessionContext = session;
  }
  return out;
}

function resourceOf(resource: Json): { type?: string; ARN?: string } {
  const out: Record<string, string> = {};
  copyStrings(resource, out, ['type', 'ARN']);
  return out;
}

function copyStrings(from: Json, to: Record<string, unknown>, names: readonly string[]): void {
  for (const name of names) {
    const value = str(from[name]);
    if (value !== undefined) to[name] = value;
  }
}

/** CloudTrail writes `readOnly` as a boolean in records and as "true"/"false" in entries. */
function readOnlyOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

/** The time as ISO-8601 (`2022-07-20T20:57:15Z` → `2022-07-20T20:57:15.000Z`); undefined when unreadable. */
function isoTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
