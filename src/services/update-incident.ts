import { StaleIncidentError } from '../domain/errors.js';
import { IncidentNotFoundError } from '../domain/errors.js';
import type { Incident, TimelineEvent } from '../domain/incident/incident.js';
import type { IncidentRepository } from '../ports/incident-repository.js';
import { retryOnConflict } from './shared/retry-on-conflict.js';

export interface Change {
  readonly incident: Incident;
  readonly events: readonly TimelineEvent[];
}

/**
 * Read-modify-write of an incident with its events, retried when another writer got there
 * first. `change` sees the latest stored incident each time; returning undefined means
 * "nothing to do" and writes nothing. `known`, the incident as this process last stored it,
 * spares the first read: when someone wrote since, the write is refused and read afresh.
 */
export async function updateIncident(
  repo: IncidentRepository,
  incidentId: string,
  change: (current: Incident) => Change | undefined,
  known?: Incident,
): Promise<Incident> {
  return retryOnConflict((err) => err instanceof StaleIncidentError, async (attempt) => {
    const current = attempt === 1 && known ? known : await repo.get(incidentId);
    if (!current) throw new IncidentNotFoundError(incidentId);
    const next = change(current);
    if (!next) return current;
    return repo.update({ ...next.incident, version: current.version }, next.events);
  });
}
