/**
 * Safe reading of CloudTrail values. Everything in a record is untrusted input: fields may be
 * missing, `null`, or of another type than documented, so nothing here assumes a shape.
 */
import type { TrailEvent } from './types.js';

type Json = Readonly<Record<string, unknown>>;

/** A plain object, or undefined for anything else (arrays and null included). */
export function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** An array, or an empty one for anything else. */
export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A finite number, also from a numeric string (EC2 request counts are numbers, sometimes strings). */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** The value at a path of object keys: `at(x, 'accessKey', 'accessKeyId')`. */
export function at(root: unknown, ...path: string[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    const o = obj(cur);
    if (!o) return undefined;
    cur = o[key];
  }
  return cur;
}

/** `items` of an EC2 `…Set` (`{ items: [...] }`), as objects only. */
export function setItems(v: unknown): Json[] {
  return arr(at(v, 'items')).map(obj).filter((o): o is Json => o !== undefined);
}

/** Request parameters, response elements and identity of an event, read defensively. */
export interface EventParts {
  readonly name: string;
  readonly request: Json | undefined;
  readonly response: Json | undefined;
  readonly region: string;
}

/** The parts of an event that finding rules read. */
export function partsOf(event: TrailEvent): EventParts {
  return {
    name: str(event.eventName) ?? '',
    request: obj(event.requestParameters),
    response: obj(event.responseElements),
    region: str(event.awsRegion) ?? '',
  };
}

/** The key the event was made with. */
export function callerKey(event: TrailEvent): string | undefined {
  return str(obj(event.userIdentity)?.accessKeyId);
}

/** The IAM user that made the call, when an IAM user (not a role session) did. */
export function callerUserName(event: TrailEvent): string | undefined {
  const identity = obj(event.userIdentity);
  return identity?.type === 'IAMUser' ? str(identity.userName) : undefined;
}

const MAX_TEXT = 200;

/**
 * Untrusted text made fit for one line: control characters removed, length capped. Escaping
 * for Slack (`<`, `>`, `&`) stays with the view that renders it.
 */
export function clean(v: string): string {
  const oneLine = v.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT - 1)}…` : oneLine;
}

/** Names with only these characters need no quoting in a POSIX shell. */
const SHELL_SAFE = /^[A-Za-z0-9._:/@=+,%-]+$/;

/**
 * One shell word: values from events are copied by people into a terminal, so anything
 * outside a safe set is single-quoted (a crafted name must not run a command).
 */
export function shellArg(v: string): string {
  return SHELL_SAFE.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** An AWS CLI command line with every argument quoted as needed. */
export function cli(...words: string[]): string {
  return ['aws', ...words.map(shellArg)].join(' ');
}

/** Region names as AWS writes them (`us-west-2`, `us-gov-east-1`); anything else is not trusted in a URL. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The region if it looks like one. */
export function safeRegion(region: string): string | undefined {
  return REGION.test(region) ? region : undefined;
}

/**
 * A console link: `https://console.aws.amazon.com/<path>?<query>&region=<region><fragment>`.
 * Query values are encoded; the region is left out unless it looks like one.
 */
export function consoleUrl(path: string, region: string, options: { query?: Record<string, string>; fragment?: string } = {}): string {
  const r = safeRegion(region);
  const params = new URLSearchParams({ ...options.query, ...(r && { region: r }) }).toString();
  return `https://console.aws.amazon.com/${path}${params ? `?${params}` : ''}${options.fragment ?? ''}`;
}

/** ISO-8601 with a zone (as CloudTrail writes times); other forms would be read in the host's zone. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds of an event time, or undefined when it is not an ISO time with a zone. */
export function timeMs(v: unknown): number | undefined {
  const s = str(v);
  if (s === undefined || !ISO_WITH_ZONE.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `a, b, c +2 more`. */
export function listOf(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} +${items.length - max} more` : shown;
}

/** The last segment of an ARN's resource (`…:secret:db-pass-AbCdEf` → `db-pass-AbCdEf`). */
export function arnTail(arn: string): string {
  const parts = arn.split(/[:/]/);
  return parts[parts.length - 1] || arn;
}
