/** `list`: the open incidents, then the recently resolved ones, bounded so the answer stays short. */
import type { Incident } from '../domain/incident/incident.js';
import type { ServiceDeps } from './deps.js';
import { permalink } from './incident-lookup.js';

/** At most this many open incidents are listed (the rest are counted). */
export const MAX_OPEN_LISTED = 30;
/** Resolved incidents are listed for this long after they were resolved (postmortems follow within days)… */
export const RESOLVED_LISTED_DAYS = 30;
/** …and at most this many, last resolved first. */
export const MAX_RESOLVED_LISTED = 5;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ListedIncident {
  readonly incident: Incident;
  readonly permalink?: string;
}

export interface IncidentListing {
  /** Open and contained incidents, newest first, at most `MAX_OPEN_LISTED`. */
  readonly open: readonly ListedIncident[];
  /** How many incidents are open in all. */
  readonly openCount: number;
  /** Incidents resolved in the last `resolvedDays` days, last resolved first, at most `MAX_RESOLVED_LISTED`. */
  readonly resolved: readonly ListedIncident[];
  readonly resolvedDays: number;
}

/** The open incidents and the recently resolved ones, each with a link to its root message when Slack gives one. */
export async function listIncidents(deps: ServiceDeps): Promise<IncidentListing> {
  const since = new Date(deps.clock.now().getTime() - RESOLVED_LISTED_DAYS * DAY_MS).toISOString();
  const [open, resolved] = await Promise.all([deps.repo.listOpen(), deps.repo.listRecentlyResolved(since, MAX_RESOLVED_LISTED)]);
  const linked = (incidents: readonly Incident[]) => Promise.all(incidents.map(async (incident) => {
    const link = await permalink(deps, incident);
    return link === undefined ? { incident } : { incident, permalink: link };
  }));
  return {
    open: await linked(open.slice(0, MAX_OPEN_LISTED)),
    openCount: open.length,
    resolved: await linked(resolved),
    resolvedDays: RESOLVED_LISTED_DAYS,
  };
}
