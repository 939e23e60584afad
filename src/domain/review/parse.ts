/**
 * Turns CloudTrail JSON into `TrailEvent`s. Accepts a log file (`{"Records": [...]}`), a bare
 * array of records, or one record (LookupEvents' `CloudTrailEvent` string). Pure: no I/O.
 */
import { arr, obj, str } from './fields.js';
import type { TrailEvent } from './types.js';

/** What a text held: the records read, how many were not records, and why reading failed. */
export interface ParsedTrail {
  readonly records: TrailEvent[];
  /** Array entries that were not CloudTrail records (missing id, time, name, source or region). */
  readonly skipped: number;
  /** Set when the text could not be read at all: invalid JSON, or no records in it. */
  readonly error?: string;
}

/** Line and column of a character offset, for a message a person can act on. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function jsonError(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const position = /position (\d+)/.exec(message)?.[1];
  const where = position === undefined ? '' : ` (${lineAndColumn(text, Number(position))})`;
  return `not valid JSON: ${message}${where}`;
}

/** The record array of a log file, a bare array, or a lone record. */
function recordList(json: unknown): readonly unknown[] | undefined {
  if (Array.isArray(json)) return json;
  const o = obj(json);
  if (!o) return undefined;
  if (Array.isArray(o.Records)) return o.Records;
  return o.eventName !== undefined ? [o] : undefined;
}

/** Parses CloudTrail JSON text; never throws. */
export function parseTrailRecords(text: string): ParsedTrail {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { records: [], skipped: 0, error: jsonError(text, e) };
  }
  const list = recordList(json);
  if (!list) return { records: [], skipped: 0, error: 'no CloudTrail records: expected {"Records": [...]}, an array or one record' };
  const records = list.map(toTrailEvent).filter((r): r is TrailEvent => r !== undefined);
  return { records, skipped: list.length - records.length };
}

function readOnlyOf(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  // LookupEvents' own ReadOnly attribute is the string "true"/"false".
  if (v === 'true' || v === 'false') return v === 'true';
  return undefined;
}

function identityOf(v: unknown): TrailEvent['userIdentity'] {
  const u = obj(v);
  if (!u) return undefined;
  const ctx = obj(u.sessionContext);
  const issuer = obj(ctx?.sessionIssuer);
  const attrs = obj(ctx?.attributes);
  return present({
    type: str(u.type),
    arn: str(u.arn),
    accountId: str(u.accountId),
    accessKeyId: str(u.accessKeyId),
    userName: str(u.userName),
    ...(ctx && {
      sessionContext: {
        ...(issuer && { sessionIssuer: present({ type: str(issuer.type), arn: str(issuer.arn), userName: str(issuer.userName) }) }),
        ...(attrs && { attributes: present({ creationDate: str(attrs.creationDate), mfaAuthenticated: str(attrs.mfaAuthenticated) }) }),
      },
    }),
  });
}

function resourcesOf(v: unknown): TrailEvent['resources'] {
  const list = arr(v).map(obj).filter((r) => r !== undefined);
  return list.length > 0 ? list.map((r) => present({ type: str(r.type), ARN: str(r.ARN) })) : undefined;
}

/**
 * One raw record as a `TrailEvent`, or undefined when it lacks what every record has
 * (`eventID`, `eventTime`, `eventName`, `eventSource`, `awsRegion`). Request parameters and
 * response elements stay untyped: readers must check every value they use.
 */
export function toTrailEvent(raw: unknown): TrailEvent | undefined {
  const r = obj(raw);
  if (!r) return undefined;
  // CloudTrail writes `eventID`; `eventId` is accepted for records already converted.
  const eventId = str(r.eventID) ?? str(r.eventId);
  const eventTime = str(r.eventTime);
  const eventName = str(r.eventName);
  const eventSource = str(r.eventSource);
  const awsRegion = str(r.awsRegion);
  if (!eventId || !eventTime || !eventName || !eventSource || !awsRegion) return undefined;
  return present({
    eventId,
    eventTime,
    eventName,
    eventSource,
    awsRegion,
    // Records forwarded by Datadog (as in the Stratus fixtures) move these to network/http.
    sourceIPAddress: str(r.sourceIPAddress) ?? str(obj(obj(r.network)?.client)?.ip),
    userAgent: str(r.userAgent) ?? str(obj(r.http)?.useragent),
    errorCode: str(r.errorCode),
    errorMessage: str(r.errorMessage),
    readOnly: readOnlyOf(r.readOnly),
    userIdentity: identityOf(r.userIdentity),
    // A value of the wrong type is left out; CloudTrail's explicit null is kept.
    requestParameters: r.requestParameters === null ? null : obj(r.requestParameters),
    responseElements: r.responseElements === null ? null : obj(r.responseElements),
    resources: resourcesOf(r.resources),
  }) as TrailEvent;
}

/** The object without its undefined fields, so absent and wrongly typed fields are simply missing. */
function present<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
