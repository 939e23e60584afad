/**
 * Item ↔ domain object conversion for the incident repository: the incident, its open-key
 * guard, its timeline events and its index entries (under its key, open or resolved incidents,
 * root message). The
 * action repository's items are in `action-mapper.ts`; what all items share in `item-codec.ts`.
 */
import type { Incident, TimelineEvent } from '../../domain/incident/incident.js';
import { checkHeader, Entity, type FieldKind, header, type Item, type ItemHeader, pick, read, text } from './item-codec.js';
import { assertItemFits } from './item-size.js';
import { eventKey, incidentKey, keyIncidentKey, openIndexKey, openKeyGuardKey, resolvedIndexKey, rootIndexKey } from './keys.js';

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

/** Which incident a root message belongs to (`ROOT#<channel>` / `<message ts>`). */
export interface RootIndexItem extends ItemHeader {
  readonly incidentId: string;
}

/** A resolved incident in the resolved-incidents list (`RESOLVED_INCIDENTS` / `<resolved at>#INC#<id>`). */
export interface ResolvedIndexItem extends ItemHeader {
  readonly incidentId: string;
  readonly resolvedAt: string;
}

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

/** Throws `KeyIncidentError('item_too_large')` when the incident would not fit in one item. */
export function toIncidentItem(incident: Incident): IncidentItem {
  const item = { ...header(incidentKey(incident.id), Entity.Incident), ...pick(incident, INCIDENT_FIELDS) } as IncidentItem;
  assertItemFits(item, `Incident ${incident.id}`);
  return item;
}

/** Reads an incident item; throws when the item is not one this code understands. */
export function fromIncidentItem(item: Item): Incident {
  checkHeader(item, Entity.Incident);
  return read(item, INCIDENT_FIELDS) as unknown as Incident;
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

/** The incident id a guard item points at. */
export function fromOpenKeyGuardItem(item: Item): string {
  checkHeader(item, Entity.OpenKeyGuard);
  return text(item, 'incidentId');
}

/** The incident's entry under its key, written with the incident and never changed. */
export function toKeyIncidentItem(incident: Incident): Item {
  return { ...header(keyIncidentKey(incident.keyId, incident.openedAt, incident.id), Entity.KeyIncident), incidentId: incident.id, openedAt: incident.openedAt };
}

/** The incident id an item of a key's partition names: its guard's (open) or an incident's entry. */
export function fromKeyPartitionItem(item: Item): string {
  checkHeader(item, item.entity === Entity.OpenKeyGuard ? Entity.OpenKeyGuard : Entity.KeyIncident);
  return text(item, 'incidentId');
}

/** Throws `KeyIncidentError('item_too_large')` when the event's details are too big. */
export function toEventItem(event: TimelineEvent): EventItem {
  const key = eventKey(event.incidentId, event.at, event.id);
  const item = { ...header(key, Entity.Event), ...pick(event, EVENT_FIELDS) } as EventItem;
  assertItemFits(item, `Event ${event.id} of ${event.incidentId}`);
  return item;
}

/** Reads a timeline event item. */
export function fromEventItem(item: Item): TimelineEvent {
  checkHeader(item, Entity.Event);
  return read(item, EVENT_FIELDS) as unknown as TimelineEvent;
}

/** The incident's entry in the open-incidents list. */
export function toOpenIndexItem(incident: Incident): Item {
  return { ...header(openIndexKey(incident.id), Entity.OpenIndex), incidentId: incident.id, keyId: incident.keyId, openedAt: incident.openedAt };
}

/** The incident id an open-incidents entry names. */
export function fromOpenIndexItem(item: Item): string {
  checkHeader(item, Entity.OpenIndex);
  return text(item, 'incidentId');
}

/** A resolved incident's entry in the resolved-incidents list; undefined when it has no resolution time. */
export function toResolvedIndexItem(incident: Incident): ResolvedIndexItem | undefined {
  if (incident.resolvedAt === undefined) return undefined;
  return { ...header(resolvedIndexKey(incident.id, incident.resolvedAt), Entity.ResolvedIndex), incidentId: incident.id, resolvedAt: incident.resolvedAt };
}

/** The incident and resolution time a resolved-incidents entry names. */
export function fromResolvedIndexItem(item: Item): { readonly incidentId: string; readonly resolvedAt: string } {
  checkHeader(item, Entity.ResolvedIndex);
  return { incidentId: text(item, 'incidentId'), resolvedAt: text(item, 'resolvedAt') };
}

/** The entry leading from the incident's root message (`rootTs` in its channel) to the incident. */
export function toRootIndexItem(incident: Incident, rootTs: string): RootIndexItem {
  return { ...header(rootIndexKey(incident.channelId, rootTs), Entity.RootIndex), incidentId: incident.id };
}

/** The incident id a root-message entry names. */
export function fromRootIndexItem(item: Item): string {
  checkHeader(item, Entity.RootIndex);
  return text(item, 'incidentId');
}
