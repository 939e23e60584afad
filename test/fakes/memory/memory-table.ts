/**
 * What the in-memory repositories share, as the DynamoDB repositories share one table:
 * incidents, key guards and entries, the open and resolved lists, root messages, timelines,
 * actions, pending guards and executing markers. Values go through the DynamoDB mapper on the way in, so they
 * are checked (empty ids, item size) and shaped exactly as the table would store them.
 */
import { eventKey } from '../../../src/adapters/dynamodb/keys.js';
import { fromActionItem, toActionItem } from '../../../src/adapters/dynamodb/action-mapper.js';
import { fromEventItem, fromIncidentItem, toEventItem, toIncidentItem } from '../../../src/adapters/dynamodb/mapper.js';
import type { Action } from '../../../src/domain/action/lifecycle.js';
import { KeyIncidentError } from '../../../src/domain/errors.js';
import type { Incident, TimelineEvent } from '../../../src/domain/incident/incident.js';

export class MemoryTable {
  readonly incidents = new Map<string, Incident>();
  /** Key id → the incident holding it open. */
  readonly keyGuards = new Map<string, string>();
  readonly openIndex = new Set<string>();
  /** Key id → its incidents' entries (sort key `INC#<opened at>#<id>`), as `KEY#<key id>` holds them. */
  readonly keyEntries = new Map<string, Map<string, string>>();
  /** Resolved-list sort key (`<resolved at>#INC#<id>`) → the entry's incident and resolution time. */
  readonly resolvedIndex = new Map<string, { incidentId: string; resolvedAt: string }>();
  /** `channel#ts` → incident id. */
  readonly roots = new Map<string, string>();
  /** Incident id → event sort key (time, then id) → event. */
  readonly timelines = new Map<string, Map<string, TimelineEvent>>();
  /** `incidentId#actionId` → action. */
  readonly actions = new Map<string, Action>();
  /** `incidentId#subject` → the pending action's id. */
  readonly pending = new Map<string, string>();
  /** `incidentId#actionId` of actions executing. */
  readonly executing = new Set<string>();
  /** Decision target → `incidentId#actionId` of the newest approved decision on it. */
  readonly targets = new Map<string, string>();
  /** `incidentId#message` → the state version the message last showed. */
  readonly shown = new Map<string, number>();

  timeline(incidentId: string): Map<string, TimelineEvent> {
    let events = this.timelines.get(incidentId);
    if (!events) {
      events = new Map();
      this.timelines.set(incidentId, events);
    }
    return events;
  }

  /** The first of `events` already recorded, if any. */
  recordedAlready(events: readonly TimelineEvent[]): TimelineEvent | undefined {
    return events.find((e) => this.timelines.get(e.incidentId)?.has(eventSortKey(e)));
  }

  /** Writes events already passed through `asStored.event`. */
  writeEvents(events: readonly TimelineEvent[]): void {
    for (const e of events) this.timeline(e.incidentId).set(eventSortKey(e), e);
  }

  /** Events of an incident, oldest first, ties broken by id. */
  eventsOf(incidentId: string): TimelineEvent[] {
    const events = [...(this.timelines.get(incidentId)?.entries() ?? [])];
    return events.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => copy(e));
  }
}

/** The DynamoDB sort key: time normalised to `toISOString()`, then the id. */
export const eventSortKey = (e: TimelineEvent): string => eventKey(e.incidentId, e.at, e.id).sk;

/**
 * Values as a write then a read of DynamoDB leave them: mapped to an item (which validates ids
 * and item size, and throws as the DynamoDB repositories would before writing), detached, and
 * mapped back.
 */
const detached = (item: object): Record<string, unknown> => copy(item) as Record<string, unknown>;

export const asStored = {
  incident: (i: Incident): Incident => fromIncidentItem(detached(toIncidentItem(i))),
  event: (e: TimelineEvent): TimelineEvent => fromEventItem(detached(toEventItem(e))),
  action: (a: Action): Action => fromActionItem(detached(toActionItem(a))),
};

/** A detached copy without undefined fields, as a read from DynamoDB gives. */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function eventAlreadyRecorded(event: TimelineEvent): KeyIncidentError {
  return new KeyIncidentError('event_already_recorded', `Event ${event.id} of incident ${event.incidentId} is already recorded`);
}

/** What DynamoDB throws for a cancelled transaction the repositories do not translate. */
export function transactionCancelled(reason: string): Error {
  const error = new Error(`Transaction cancelled: ${reason}`);
  error.name = 'TransactionCanceledException';
  return error;
}
