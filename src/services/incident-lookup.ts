/** Finding an incident from what a person or a click gives: an id, a key id, a channel. */
import { isAccessKeyId, isIncidentId } from '../domain/access-key.js';
import type { Incident } from '../domain/incident/incident.js';
import type { ServiceDeps } from './deps.js';

/** The incident, when `incidentId` is well-formed and it lives in `channelId`. */
export async function incidentIn(deps: ServiceDeps, incidentId: string, channelId: string | undefined): Promise<Incident | undefined> {
  if (!isIncidentId(incidentId)) return undefined;
  const incident = await deps.repo.get(incidentId);
  // A click or menu choice only acts on the incident of the channel it came from.
  return incident && incident.channelId === channelId ? incident : undefined;
}

/** An incident by its id (`KI-…`), or the open one of a key id; resolved ones only when asked for. */
export async function findIncident(deps: ServiceDeps, ref: string, { includeResolved = false } = {}): Promise<Incident | undefined> {
  if (isAccessKeyId(ref)) return deps.repo.findOpenByKey(ref);
  const incident = isIncidentId(ref) ? await deps.repo.get(ref) : undefined;
  return incident && (includeResolved || incident.status !== 'resolved') ? incident : undefined;
}

/** A link to the incident's root message, or undefined when Slack cannot give one now. */
export function permalink(deps: ServiceDeps, incident: Incident): Promise<string | undefined> {
  return deps.notifier.permalink(incident).catch(() => undefined);
}
