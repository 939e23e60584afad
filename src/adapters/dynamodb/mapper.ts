/**
 * Item ↔ domain object conversion. Items are the domain fields plus their key, an `entity`
 * name and a `schemaVersion` (the item layout's version; the incident's own optimistic
 * `version` is a domain field and keeps its name).
 */
import type { Action } from '../../domain/action/lifecycle.js';
import type { Incident, TimelineEvent } from '../../domain/incident/incident.js';
import { assertItemFits } from './item-size.js';
import { actionKey, eventKey, executingMarkerKey, incidentKey, openIndexKey, openKeyGuardKey, pendingActionKey, type ItemKey } from './keys.js';

/** What kind of record an item is. */
export const Entity = {
  Incident: 'incident',
  OpenKeyGuard: 'open-key-guard',
  Event: 'timeline-event',
  Action: 'action',
  PendingAction: 'pending-action-guard',
  ExecutingMarker: 'executing-marker',
  OpenIndex: 'open-incident-entry',
} as const;
export type Entity = (typeof Entity)[keyof typeof Entity];

/** Layout version written on every item; bump it (and read both) when an item's shape changes. */
export const SCHEMA_VERSION = 1;

type Item = Record<string, unknown>;

interface ItemHeader extends ItemKey {
  readonly entity: Entity;
  readonly schemaVersion: number;
}

/** The incident as stored (`INC#<id>` / `META`). */
export type IncidentItem = ItemHeader & Incident;

/** The one-open-incident-per-key guard (`KEY#<key id>` / `OPEN`). */
export interface OpenKeyGuardItem extends ItemHeader {
  readonly keyId: string;
  readonly incidentId: string;
  readonly openedAt: string;
}

/** A timeline event as stored (`INC#<id>` / `EV#<time>#<ULID>`). */
export type EventItem = ItemHeader & TimelineEvent;

const header = (key: ItemKey, entity: Entity): ItemHeader => ({ ...key, entity, schemaVersion: SCHEMA_VERSION });

/**
 * How each domain field is stored and checked on the way back. `satisfies` makes the compiler
 * reject a field added to `Incident` or `TimelineEvent` until it is listed here, so no field
 * is ever silently dropped on the way to DynamoDB.
 */
type FieldKind = 'text' | 'optionalText' | 'integer' | 'map' | 'optionalMap' | 'list';

const INCIDENT_FIELDS = {
  id: 'text',
  keyId: 'text',
  status: 'text',
  channelId: 'text',
  teamId: 'optionalText',
  rootTs: 'optionalText',
  rootClaimedAt: 'optionalText',
  openedBy: 'text',
  openingTriggerId: 'optionalText',
  openedAt: 'text',
  note: 'optionalText',
  assessment: 'map',
  review: 'optionalMap',
  containedAt: 'optionalText',
  resolvedAt: 'optionalText',
  resolution: 'optionalText',
  version: 'integer',
} as const satisfies Record<keyof Incident, FieldKind>;

const EVENT_FIELDS = {
  incidentId: 'text',
  id: 'text',
  at: 'text',
  type: 'text',
  actor: 'text',
  summary: 'text',
  details: 'map',
} as const satisfies Record<keyof TimelineEvent, FieldKind>;

const ACTION_FIELDS = {
  incidentId: 'text',
  id: 'text',
  kind: 'text',
  target: 'map',
  status: 'text',
  approvalsRequired: 'integer',
  approvals: 'list',
  proposedBy: 'text',
  proposedAt: 'text',
  expiresAt: 'text',
  deniedBy: 'optionalText',
  startedAt: 'optionalText',
  finishedAt: 'optionalText',
  outcome: 'optionalMap',
  messageTs: 'optionalText',
  undoOf: 'optionalText',
  version: 'integer',
} as const satisfies Record<keyof Action, FieldKind>;

/** A proposed action as stored (`INC#<id>` / `ACT#<action id>`). */
export type ActionItem = ItemHeader & Action;

export function toActionItem(action: Action): ActionItem {
  const item = { ...header(actionKey(action.incidentId, action.id), Entity.Action), ...pick(action, ACTION_FIELDS) } as ActionItem;
  assertItemFits(item, `Action ${action.id} of ${action.incidentId}`);
  return item;
}

export function fromActionItem(item: Item): Action {
  checkHeader(item, Entity.Action);
  return read(item, ACTION_FIELDS) as unknown as Action;
}

/** The incident's entry in the open-incidents list. */
export function toOpenIndexItem(incident: Incident): Item {
  return { ...header(openIndexKey(incident.id), Entity.OpenIndex), incidentId: incident.id, keyId: incident.keyId, openedAt: incident.openedAt };
}

export function fromOpenIndexItem(item: Item): string {
  checkHeader(item, Entity.OpenIndex);
  return text(item, 'incidentId');
}

/** The guard saying `action` is the pending proposal for its subject. */
export function toPendingActionItem(action: Action, subject: string): Item {
  return { ...header(pendingActionKey(action.incidentId, subject), Entity.PendingAction), actionId: action.id };
}

/** The action a pending guard names. */
export function fromPendingActionItem(item: Item): string {
  checkHeader(item, Entity.PendingAction);
  return text(item, 'actionId');
}

/** The marker that says `action` is executing (found again after a crash). */
export function toExecutingMarkerItem(action: Action): Item {
  return {
    ...header(executingMarkerKey(action.incidentId, action.id), Entity.ExecutingMarker),
    incidentId: action.incidentId,
    actionId: action.id,
    startedAt: action.startedAt,
  };
}

export function fromExecutingMarkerItem(item: Item): { incidentId: string; actionId: string } {
  checkHeader(item, Entity.ExecutingMarker);
  return { incidentId: text(item, 'incidentId'), actionId: text(item, 'actionId') };
}

/** Throws `KeyIncidentError('item_too_large')` when the incident would not fit in one item. */
export function toIncidentItem(incident: Incident): IncidentItem {
  const item = { ...header(incidentKey(incident.id), Entity.Incident), ...pick(incident, INCIDENT_FIELDS) } as IncidentItem;
  assertItemFits(item, `Incident ${incident.id}`);
  return item;
}

/** The guard item that says `incident` holds its key open. */
export function toOpenKeyGuardItem(incident: Incident): OpenKeyGuardItem {
  return {
    ...header(openKeyGuardKey(incident.keyId), Entity.OpenKeyGuard),
    keyId: incident.keyId,
    incidentId: incident.id,
    openedAt: incident.openedAt,
  };
}

/** Throws `KeyIncidentError('item_too_large')` when the event's details are too big. */
export function toEventItem(event: TimelineEvent): EventItem {
  const key = eventKey(event.incidentId, event.at, event.id);
  const item = { ...header(key, Entity.Event), ...pick(event, EVENT_FIELDS) } as EventItem;
  assertItemFits(item, `Event ${event.id} of ${event.incidentId}`);
  return item;
}

/** Reads an incident item; throws when the item is not one this code understands. */
export function fromIncidentItem(item: Item): Incident {
  checkHeader(item, Entity.Incident);
  return read(item, INCIDENT_FIELDS) as unknown as Incident;
}

/** The incident id a guard item points at. */
export function fromOpenKeyGuardItem(item: Item): string {
  checkHeader(item, Entity.OpenKeyGuard);
  return text(item, 'incidentId');
}

/** Reads a timeline event item. */
export function fromEventItem(item: Item): TimelineEvent {
  checkHeader(item, Entity.Event);
  return read(item, EVENT_FIELDS) as unknown as TimelineEvent;
}

/** Copies the listed fields; `undefined` ones are dropped by the document client. */
function pick(source: object, fields: Record<string, FieldKind>): Item {
  const values = source as Item;
  return Object.fromEntries(Object.keys(fields).map((name) => [name, values[name]]));
}

/** Reads and checks the listed fields, leaving absent optional ones out. */
function read(item: Item, fields: Record<string, FieldKind>): Item {
  const result: Item = {};
  for (const [name, kind] of Object.entries(fields)) {
    if ((kind === 'optionalText' || kind === 'optionalMap') && item[name] === undefined) continue;
    result[name] = READERS[kind](item, name);
  }
  return result;
}

function list(item: Item, name: string): unknown[] {
  const value = item[name];
  if (!Array.isArray(value)) throw new TypeError(`Item ${describe(item)} lacks list ${name}`);
  return value;
}

const READERS: Record<FieldKind, (item: Item, name: string) => unknown> = {
  text, optionalText: text, integer: count, map: record, optionalMap: record, list,
};

function checkHeader(item: Item, entity: Entity): void {
  if (item.entity !== entity) {
    throw new TypeError(`Item ${describe(item)} is a ${String(item.entity)}, expected a ${entity}`);
  }
  if (item.schemaVersion !== SCHEMA_VERSION) {
    throw new TypeError(`Item ${describe(item)} has schema version ${String(item.schemaVersion)}`);
  }
}

function text(item: Item, name: string): string {
  const value = item[name];
  if (typeof value !== 'string') throw new TypeError(`Item ${describe(item)} lacks string ${name}`);
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

const describe = (item: Item): string => `${String(item.pk)}/${String(item.sk)}`;
