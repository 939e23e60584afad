/**
 * Reading an awsQuery request: the form-encoded body (`Action=…&Version=…&Param=…`), the
 * SigV4 credential scope (`Credential=AKID/20240115/us-east-1/iam/aws4_request`) and IAM's
 * `Marker`/`MaxItems` pagination.
 */
import { validationError } from './faults.js';
import type { XmlFields, XmlValue } from './xml.js';

export interface CredentialScope {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

/** The credential scope of a SigV4 `Authorization` header, if it has one. */
export function credentialScope(authorization: string | undefined): CredentialScope | undefined {
  const match = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  if (!match) return undefined;
  return { accessKeyId: match[1]!, region: match[2]!, service: match[3]! };
}

/** The request's parameters besides Action and Version. */
export class QueryParams {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  static parse(body: string): { action: string; version: string; params: QueryParams } {
    const form = new URLSearchParams(body);
    const values = new Map<string, string>();
    for (const [name, value] of form) if (name !== 'Action' && name !== 'Version') values.set(name, value);
    return { action: form.get('Action') ?? '', version: form.get('Version') ?? '', params: new QueryParams(values) };
  }

  optional(name: string): string | undefined {
    return this.values.get(name);
  }

  /** A parameter the API requires; missing ones get IAM's validation error. */
  required(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) {
      throw validationError(`Value null at '${camel(name)}' failed to satisfy constraint: Member must not be null`);
    }
    return value;
  }

  /** All parameters, for the call log. */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

const DEFAULT_MAX_ITEMS = 100;
const MAX_MAX_ITEMS = 1000;

export interface PageRequest {
  readonly params: QueryParams;
  /**
   * Most items the fake puts in one page whatever MaxItems says: IAM "might return fewer
   * results, even when there are more results available".
   */
  readonly pageCap?: number | undefined;
}

/** One page of `items` per the request's Marker and MaxItems (IAM's default is 100). */
export function paginate<T>(items: readonly T[], { params, pageCap }: PageRequest): { page: T[]; fields: XmlFields } {
  const maxItems = Math.min(readMaxItems(params.optional('MaxItems')), pageCap ?? Infinity);
  const start = readMarker(params.optional('Marker'));
  const page = items.slice(start, start + maxItems);
  const next = start + page.length;
  const truncated = next < items.length;
  return { page, fields: { IsTruncated: truncated, Marker: truncated ? offsetToken(next) : undefined } };
}

/** Result fields for a list: `{ [listName]: members, IsTruncated, Marker? }`. */
export function listResult<T>(
  listName: string,
  items: readonly T[],
  request: PageRequest,
  render: (item: T) => XmlValue,
): XmlFields {
  const { page, fields } = paginate(items, request);
  return { [listName]: page.map(render), ...fields };
}

function readMaxItems(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_MAX_ITEMS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw validationError(`Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  if (value > MAX_MAX_ITEMS) {
    throw validationError(`Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  return value;
}

/** An opaque pagination token (IAM's Marker, Organizations' NextToken) for the item at `offset`. */
export function offsetToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

/** The offset in a token made by `offsetToken`, or undefined when the token is not one. */
export function tokenOffset(token: string): number | undefined {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // not a token of ours
  }
  return undefined;
}

function readMarker(marker: string | undefined): number {
  if (marker === undefined) return 0;
  const offset = tokenOffset(marker);
  if (offset === undefined) {
    throw validationError(`Value '${marker}' at 'marker' failed to satisfy constraint: Member must be a valid marker`);
  }
  return offset;
}

function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
