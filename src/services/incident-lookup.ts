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

/**
 * An incident by its id (`KI-…`), or by a key id the key's own: the one holding it open, else
 * the one opened last, resolved or not (a postmortem is written after resolving). Whether a
 * resolved incident will do is for the caller to say.
 */
export async function findIncident(deps: ServiceDeps, ref: string): Promise<Incident | undefined> {
  if (isAccessKeyId(ref)) return deps.repo.findLatestByKey(ref);
  return isIncidentId(ref) ? deps.repo.get(ref) : undefined;
}

/** A link to the incident's root message, or undefined when Slack cannot give one now. */
export function permalink(deps: ServiceDeps, incident: Incident): Promise<string | undefined> {
  return deps.notifier.permalink(incident).catch(() => undefined);
}
