import type { Incident, TimelineEvent } from '../domain/incident/incident.js';

/** Incident store. Every write is conditional; lost races surface as typed domain errors. */
export interface IncidentRepository {
  /**
   * Writes the incident, its one-open-incident-per-key guard and its first event in one
   * transaction. Throws `IncidentAlreadyOpenError` (carrying the existing id) when the key
   * already has an open incident, `IncidentIdTakenError` when the id is in use.
   */
  create(incident: Incident, firstEvent: TimelineEvent): Promise<void>;
  get(incidentId: string): Promise<Incident | undefined>;
  /** The open incident for a key, if any. */
  findOpenByKey(keyId: string): Promise<Incident | undefined>;
  /**
   * The incident a key id stands for: the one holding the key open, else the key's most
   * recently opened incident, resolved or not; undefined when the key never had one.
   */
  findLatestByKey(keyId: string): Promise<Incident | undefined>;
  /**
   * Replaces the incident when its stored version is `incident.version`, storing
   * `version + 1`, and appends `events` in the same transaction. Returns the stored incident.
   * A resolved incident releases its key's guard and moves from the open list to the resolved one.
   * Throws `StaleIncidentError` when someone else wrote first.
   */
  update(incident: Incident, events: readonly TimelineEvent[]): Promise<Incident>;
  /** Appends one event (never overwrites an existing one). */
  append(event: TimelineEvent): Promise<void>;
  /** All events of an incident, oldest first (ties broken by event id). */
  events(incidentId: string): Promise<TimelineEvent[]>;
  /** The same, page by page as read, for timelines too long to hold (exports). */
  streamEvents(incidentId: string): AsyncIterable<TimelineEvent>;
  /** Resolves when the table can be read. */
  ping(): Promise<void>;
  /** Open (and contained) incidents, newest first. */
  listOpen(): Promise<Incident[]>;
  /** Incidents resolved at or after `since` (ISO time) and still resolved, last resolved first, at most `limit`. */
  listRecentlyResolved(since: string, limit: number): Promise<Incident[]>;
  /** Remembers which incident a root message belongs to (for replies in its thread). */
  indexRoot(incident: Incident): Promise<void>;
  /** The incident whose root message is `ts` in `channelId`. */
  findByRoot(channelId: string, ts: string): Promise<Incident | undefined>;
  /**
   * Reopens a resolved incident (stored version must be `incident.version`): takes its key's
   * guard back and lists it as open again instead of resolved, with `events`. Throws `IncidentAlreadyOpenError` when
   * another incident holds the key now, `StaleIncidentError` when someone wrote first.
   */
  reopen(incident: Incident, events: readonly TimelineEvent[]): Promise<Incident>;
}
