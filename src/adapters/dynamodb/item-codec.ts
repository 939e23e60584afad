/**
 * The parts every stored item shares: its key, an `entity` name and a `schemaVersion` (the
 * item layout's version; an incident's or action's optimistic `version` is a domain field and
 * keeps its name), and field tables that copy domain fields in and check them on the way out.
 */
import type { ItemKey } from './keys.js';

/** What kind of record an item is. */
export const Entity = {
  Incident: 'incident',
  OpenKeyGuard: 'open-key-guard',
  Event: 'timeline-event',
  Action: 'action',
  PendingAction: 'pending-action-guard',
  ExecutingMarker: 'executing-marker',
  OpenIndex: 'open-incident-entry',
  RootIndex: 'root-index',
  KeyIncident: 'key-incident-entry',
  ResolvedIndex: 'resolved-incident-entry',
  MigrationMarker: 'migration-marker',
  DecisionTarget: 'decision-target',
  ShownVersion: 'shown-version',
} as const;
export type Entity = (typeof Entity)[keyof typeof Entity];

/** Layout version written on every item; bump it (and read both) when an item's shape changes. */
export const SCHEMA_VERSION = 1;

/** An item as the document client reads and writes it. */
export type Item = Record<string, unknown>;

/** Key, entity and layout version: the start of every item. */
export interface ItemHeader extends ItemKey {
  readonly entity: Entity;
  readonly schemaVersion: number;
}

/** The header of an item of `entity` at `key`. */
export const header = (key: ItemKey, entity: Entity): ItemHeader => ({ ...key, entity, schemaVersion: SCHEMA_VERSION });

/**
 * How each domain field is stored and checked on the way back. Field tables are declared
 * `satisfies Record<keyof T, FieldKind>`, so the compiler rejects a field added to `T` until it
 * is listed, and no field is ever silently dropped on the way to DynamoDB.
 */
export type FieldKind = 'text' | 'optionalText' | 'integer' | 'map' | 'optionalMap' | 'list';

/** Copies the listed fields; `undefined` ones are dropped by the document client. */
export function pick(source: object, fields: Record<string, FieldKind>): Item {
  const values = source as Item;
  return Object.fromEntries(Object.keys(fields).map((name) => [name, values[name]]));
}

/** Reads and checks the listed fields, leaving absent optional ones out. */
export function read(item: Item, fields: Record<string, FieldKind>): Item {
  const result: Item = {};
  for (const [name, kind] of Object.entries(fields)) {
    if ((kind === 'optionalText' || kind === 'optionalMap') && item[name] === undefined) continue;
    result[name] = READERS[kind](item, name);
  }
  return result;
}

/** Throws unless the item is an `entity` of the current layout. */
export function checkHeader(item: Item, entity: Entity): void {
  if (item.entity !== entity) {
    throw new TypeError(`Item ${describe(item)} is a ${String(item.entity)}, expected a ${entity}`);
  }
  if (item.schemaVersion !== SCHEMA_VERSION) {
    throw new TypeError(`Item ${describe(item)} has schema version ${String(item.schemaVersion)}`);
  }
}

/** The string field `name`; throws when it is missing or not a string. */
export function text(item: Item, name: string): string {
  const value = item[name];
  if (typeof value !== 'string') throw new TypeError(`Item ${describe(item)} lacks string ${name}`);
  return value;
}

function list(item: Item, name: string): unknown[] {
  const value = item[name];
  if (!Array.isArray(value)) throw new TypeError(`Item ${describe(item)} lacks list ${name}`);
  return value;
}

function count(item: Item, name: string): number {
  const value = item[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`Item ${describe(item)} lacks integer ${name}`);
  }
  return value;
}

function record(item: Item, name: string): Record<string, unknown> {
  const value = item[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Item ${describe(item)} lacks map ${name}`);
  }
  return value as Record<string, unknown>;
}

const READERS: Record<FieldKind, (item: Item, name: string) => unknown> = {
  text, optionalText: text, integer: count, map: record, optionalMap: record, list,
};

const describe = (item: Item): string => `${String(item.pk)}/${String(item.sk)}`;
