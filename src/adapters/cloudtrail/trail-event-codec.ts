/**
 * LookupEvents entries → `TrailEvent`. The record itself is the entry's `CloudTrailEvent`, a JSON
 * string; only the fields the review reads are kept, each checked for its type (a field of the
 * wrong type is left out, never trusted). The entry's own fields stand in for missing ones.
 */
import type { Event as LookupEntry } from '@aws-sdk/client-cloudtrail';
import { toTrailEvent } from '../../domain/review/parse.js';
import type { TrailEvent } from '../../domain/review/types.js';

type Json = Readonly<Record<string, unknown>>;

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
 * it lacks an event id, time, name or source and `entry` cannot supply them. The record is read
 * by the review's own `toTrailEvent`; the entry only fills gaps, and times are normalised to ISO.
 */
export function trailEventFrom(record: Json, entry: LookupEntry = {}, region?: string): TrailEvent | undefined {
  return toTrailEvent({
    ...record,
    eventID: str(record.eventID) ?? entry.EventId,
    eventTime: isoTime(str(record.eventTime)) ?? entry.EventTime?.toISOString(),
    eventName: str(record.eventName) ?? entry.EventName,
    eventSource: str(record.eventSource) ?? entry.EventSource,
    awsRegion: str(record.awsRegion) ?? region,
    readOnly: record.readOnly ?? entry.ReadOnly,
  });
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
