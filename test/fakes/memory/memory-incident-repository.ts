/**
 * `IncidentRepository` in memory, keeping the DynamoDB repository's contract: conditional
 * writes checked and applied at once (no await between), the same domain errors, version
 * bumps, the key guard taken on create and reopen and released on resolve, an entry under the
 * key per incident, and the resolved list kept as resolve and reopen change it.
 */
import {
  IncidentAlreadyOpenError, IncidentIdTakenError, IncidentNotFoundError, StaleIncidentError,
} from '../../../src/domain/errors.js';
import { IncidentStatus, type Incident, type TimelineEvent } from '../../../src/domain/incident/incident.js';
import type { IncidentRepository } from '../../../src/ports/incident-repository.js';
import { keyIncidentKey, resolvedIndexKey, sortableTime } from '../../../src/adapters/dynamodb/keys.js';
import { Faults } from './faults.js';
import { asStored, copy, eventAlreadyRecorded, MemoryTable, transactionCancelled } from './memory-table.js';

/** As the DynamoDB repository's limit (100 items per transaction); the contract test checks they agree. */
export const MAX_EVENTS_PER_UPDATE = 96;

export type IncidentRepositoryMethod = keyof IncidentRepository & string;

export class MemoryIncidentRepository implements IncidentRepository {
  readonly faults = new Faults<IncidentRepositoryMethod>();

  constructor(readonly table: MemoryTable = new MemoryTable()) {}

  async create(incident: Incident, firstEvent: TimelineEvent): Promise<void> {
    await this.faults.enter('create', [incident, firstEvent]);
    assertEventsBelong(incident, [firstEvent]);
    const [row, event] = [asStored.incident(incident), asStored.event(firstEvent)];
    const owner = this.table.keyGuards.get(incident.keyId);
    if (owner !== undefined) throw new IncidentAlreadyOpenError(incident.keyId, owner);
    if (this.table.incidents.has(incident.id)) throw new IncidentIdTakenError(incident.id);
    if (this.table.recordedAlready([firstEvent])) throw eventAlreadyRecorded(firstEvent);
    this.table.incidents.set(incident.id, row);
    this.table.keyGuards.set(incident.keyId, incident.id);
    this.table.writeEvents([event]);
    this.table.openIndex.add(incident.id);
    const entries = this.table.keyEntries.get(incident.keyId) ?? new Map<string, string>();
    entries.set(keyIncidentKey(incident.keyId, incident.openedAt, incident.id).sk, incident.id);
    this.table.keyEntries.set(incident.keyId, entries);
  }

  async get(incidentId: string): Promise<Incident | undefined> {
    await this.faults.enter('get', [incidentId]);
    return this.read(incidentId);
  }

  async findOpenByKey(keyId: string): Promise<Incident | undefined> {
    await this.faults.enter('findOpenByKey', [keyId]);
    const owner = this.table.keyGuards.get(keyId);
    const incident = owner === undefined ? undefined : this.read(owner);
    return incident?.status === IncidentStatus.Resolved ? undefined : incident;
  }

  async findLatestByKey(keyId: string): Promise<Incident | undefined> {
    await this.faults.enter('findLatestByKey', [keyId]);
    const owner = this.table.keyGuards.get(keyId);
    if (owner !== undefined) return this.read(owner);
    const newest = [...(this.table.keyEntries.get(keyId) ?? new Map<string, string>())].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))[0];
    return newest && this.read(newest[1]);
  }

  async update(incident: Incident, events: readonly TimelineEvent[]): Promise<Incident> {
    await this.faults.enter('update', [incident, events]);
    assertEventsBelong(incident, events);
    if (events.length > MAX_EVENTS_PER_UPDATE) {
      throw new RangeError(`update takes at most ${MAX_EVENTS_PER_UPDATE} events, got ${events.length}`);
    }
    const stored = asStored.incident({ ...incident, version: incident.version + 1 });
    const rows = events.map(asStored.event);
    const current = this.table.incidents.get(incident.id);
    if (!current) throw new IncidentNotFoundError(incident.id);
    if (current.version !== incident.version) throw new StaleIncidentError(incident.id, incident.version);
    const duplicate = this.table.recordedAlready(events);
    if (duplicate) throw eventAlreadyRecorded(duplicate);
    this.table.incidents.set(stored.id, stored);
    this.table.writeEvents(rows);
    if (stored.status === IncidentStatus.Resolved) {
      // Release only our own hold; a later incident of the same key keeps its guard.
      if (this.table.keyGuards.get(stored.keyId) === stored.id) this.table.keyGuards.delete(stored.keyId);
      this.table.openIndex.delete(stored.id);
      if (stored.resolvedAt !== undefined) this.table.resolvedIndex.set(resolvedIndexKey(stored.id, stored.resolvedAt).sk, { incidentId: stored.id, resolvedAt: stored.resolvedAt });
    }
    return copy(stored);
  }

  async append(event: TimelineEvent): Promise<void> {
    await this.faults.enter('append', [event]);
    const row = asStored.event(event);
    if (this.table.recordedAlready([event])) throw eventAlreadyRecorded(event);
    this.table.writeEvents([row]);
  }

  async events(incidentId: string): Promise<TimelineEvent[]> {
    await this.faults.enter('events', [incidentId]);
    return this.table.eventsOf(incidentId);
  }

  async *streamEvents(incidentId: string): AsyncIterable<TimelineEvent> {
    await this.faults.enter('streamEvents', [incidentId]);
    for (const event of this.table.eventsOf(incidentId)) yield event;
  }

  async ping(): Promise<void> {
    await this.faults.enter('ping');
  }

  async listOpen(): Promise<Incident[]> {
    await this.faults.enter('listOpen');
    return [...this.table.openIndex]
      .map((id) => this.read(id))
      .filter((i): i is Incident => i !== undefined && i.status !== IncidentStatus.Resolved)
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  }

  async listRecentlyResolved(since: string, limit: number): Promise<Incident[]> {
    await this.faults.enter('listRecentlyResolved', [since, limit]);
    const from = sortableTime(since);
    return [...this.table.resolvedIndex]
      .filter(([sk]) => sk >= from)
      .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
      .map(([, entry]) => ({ entry, incident: this.read(entry.incidentId) }))
      // An entry left by a resolution that was since reopened (or resolved again later) is stale.
      .filter(({ entry, incident }) => incident?.status === IncidentStatus.Resolved && incident.resolvedAt === entry.resolvedAt)
      .map(({ incident }) => incident!)
      .slice(0, limit);
  }

  async indexRoot(incident: Incident): Promise<void> {
    await this.faults.enter('indexRoot', [incident]);
    if (!incident.rootTs) return;
    this.table.roots.set(`${incident.channelId}#${incident.rootTs}`, incident.id);
  }

  async findByRoot(channelId: string, ts: string): Promise<Incident | undefined> {
    await this.faults.enter('findByRoot', [channelId, ts]);
    const id = this.table.roots.get(`${channelId}#${ts}`);
    return id === undefined ? undefined : this.read(id);
  }

  async reopen(incident: Incident, events: readonly TimelineEvent[]): Promise<Incident> {
    await this.faults.enter('reopen', [incident, events]);
    assertEventsBelong(incident, events);
    const stored = asStored.incident({ ...incident, version: incident.version + 1 });
    const rows = events.map(asStored.event);
    const current = this.table.incidents.get(incident.id);
    if (!current || current.version !== incident.version) throw new StaleIncidentError(incident.id, incident.version);
    // Reopening takes the key back: only when no incident (itself included) holds it now.
    const owner = this.table.keyGuards.get(incident.keyId);
    if (owner !== undefined) throw new IncidentAlreadyOpenError(incident.keyId, owner);
    if (this.table.recordedAlready(events)) throw transactionCancelled('event already recorded');
    if (current.resolvedAt !== undefined) this.table.resolvedIndex.delete(resolvedIndexKey(current.id, current.resolvedAt).sk);
    this.table.incidents.set(stored.id, stored);
    this.table.keyGuards.set(stored.keyId, stored.id);
    this.table.openIndex.add(stored.id);
    this.table.writeEvents(rows);
    return copy(stored);
  }

  private read(incidentId: string): Incident | undefined {
    const incident = this.table.incidents.get(incidentId);
    return incident && copy(incident);
  }
}

function assertEventsBelong(incident: Incident, events: readonly TimelineEvent[]): void {
  const stray = events.find((event) => event.incidentId !== incident.id);
  if (stray !== undefined) throw new RangeError(`Event ${stray.id} belongs to ${stray.incidentId}, not ${incident.id}`);
}
