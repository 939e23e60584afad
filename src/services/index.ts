import type { Logger } from 'pino';
import type { Incident } from '../domain/incident.js';
import { assessIncident } from './assess-incident.js';
import type { ServiceDeps } from './deps.js';
import { type OpenIncidentOutcome, type OpenIncidentRequest, openIncident } from './open-incident.js';

/** The use cases, bound to their dependencies: what listeners call. */
export interface Services {
  readonly log: Logger;
  openIncident(req: OpenIncidentRequest): Promise<OpenIncidentOutcome>;
  assessIncident(incidentId: string): Promise<Incident>;
  getIncident(incidentId: string): Promise<Incident | undefined>;
}

export function bindServices(deps: ServiceDeps): Services {
  return {
    log: deps.log,
    openIncident: (req) => openIncident(deps, req),
    assessIncident: (id) => assessIncident(deps, id),
    getIncident: (id) => (/^KI-[0-9A-F]{6}$/.test(id) ? deps.repo.get(id) : Promise.resolve(undefined)),
  };
}
