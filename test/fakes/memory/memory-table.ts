/**
 * What the in-memory repositories share, as the DynamoDB repositories share one table:
 * incidents, key guards, the open-incidents list, root messages, timelines, actions, pending
 * guards and executing markers. Values are stored as detached copies.
 */
import type { Action } from '../../../src/domain/action/lifecycle.js';
import { KeyIncidentError } from '../../../src/domain/errors.js';
import type { Incident, TimelineEvent } from '../../../src/domain/incident/incident.js';

export class MemoryTable {
  readonly incidents = new Map<string, Incident>();
  /** Key id → the incident holding it open. */
  readonly keyGuards = new Map<string, string>();
  readonly openIndex = new Set<string>();
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

  writeEvents(events: readonly TimelineEvent[]): void {
    for (const e of events) this.timeline(e.incidentId).set(eventSortKey(e), copy(e));
  }

  /** Events of an incident, oldest first, ties broken by id. */
  eventsOf(incidentId: string): TimelineEvent[] {
    const events = [...(this.timelines.get(incidentId)?.entries() ?? [])];
    return events.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => copy(e));
  }
}

/** Time normalised to `toISOString()`, then the id: the order of the DynamoDB sort key. */
export const eventSortKey = (e: TimelineEvent): string => `${new Date(e.at).toISOString()}#${e.id}`;

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
