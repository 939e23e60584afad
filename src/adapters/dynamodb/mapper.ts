/**
 * Item ↔ domain object conversion. Items are the domain fields plus their key, an `entity`
 * name and a `schemaVersion` (the item layout's version; the incident's own optimistic
 * `version` is a domain field and keeps its name).
 */
import type { Assessment } from '../../domain/assessment.js';
import type { Incident, IncidentStatus, TimelineEvent, TimelineEventType } from '../../domain/incident.js';
import { assertItemFits } from './item-size.js';
import { eventKey, incidentKey, openKeyGuardKey, type ItemKey } from './keys.js';

/** What kind of record an item is. */
export const Entity = {
  Incident: 'incident',
  OpenKeyGuard: 'open-key-guard',
  Event: 'timeline-event',
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

/** Throws `KeyIncidentError('item_too_large')` when the incident would not fit in one item. */
export function toIncidentItem(incident: Incident): IncidentItem {
  const item: IncidentItem = {
    ...header(incidentKey(incident.id), Entity.Incident),
    id: incident.id,
    keyId: incident.keyId,
    status: incident.status,
    channelId: incident.channelId,
    teamId: incident.teamId,
    rootTs: incident.rootTs,
    openedBy: incident.openedBy,
    openedAt: incident.openedAt,
    note: incident.note,
    assessment: incident.assessment,
    version: incident.version,
  };
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
  const item: EventItem = {
    ...header(eventKey(event.incidentId, event.at, event.id), Entity.Event),
    incidentId: event.incidentId,
    id: event.id,
    at: event.at,
    type: event.type,
    actor: event.actor,
    summary: event.summary,
    details: event.details,
  };
  assertItemFits(item, `Event ${event.id} of ${event.incidentId}`);
  return item;
}

/** Reads an incident item; throws when the item is not one this code understands. */
export function fromIncidentItem(item: Item): Incident {
  checkHeader(item, Entity.Incident);
  return {
    id: text(item, 'id'),
    keyId: text(item, 'keyId'),
    status: text(item, 'status') as IncidentStatus,
    channelId: text(item, 'channelId'),
    ...optionalText(item, 'teamId'),
    ...optionalText(item, 'rootTs'),
    openedBy: text(item, 'openedBy'),
    openedAt: text(item, 'openedAt'),
    ...optionalText(item, 'note'),
    assessment: record(item, 'assessment') as unknown as Assessment,
    version: count(item, 'version'),
  };
}

/** The incident id a guard item points at. */
export function fromOpenKeyGuardItem(item: Item): string {
  checkHeader(item, Entity.OpenKeyGuard);
  return text(item, 'incidentId');
}

/** Reads a timeline event item. */
export function fromEventItem(item: Item): TimelineEvent {
  checkHeader(item, Entity.Event);
  return {
    incidentId: text(item, 'incidentId'),
    id: text(item, 'id'),
    at: text(item, 'at'),
    type: text(item, 'type') as TimelineEventType,
    actor: text(item, 'actor'),
    summary: text(item, 'summary'),
    details: record(item, 'details'),
  };
}

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

function optionalText(item: Item, name: string): Record<string, string> {
  return item[name] === undefined ? {} : { [name]: text(item, name) };
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
