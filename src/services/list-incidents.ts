/** `list`: the open incidents, then the recently resolved ones, bounded so the answer stays short. */
import type { Incident } from '../domain/incident/incident.js';
import type { AccessRefusal } from '../domain/refusals.js';
import type { ServiceDeps } from './deps.js';
import { approver, membership, type Viewer } from './incident-access.js';
import { permalink } from './incident-lookup.js';

/** At most this many open incidents are listed (the rest are counted). */
export const MAX_OPEN_LISTED = 30;
/** Resolved incidents are listed for this long after they were resolved (postmortems follow within days)… */
export const RESOLVED_LISTED_DAYS = 30;
/** …and at most this many, last resolved first. */
export const MAX_RESOLVED_LISTED = 5;
/** Resolved incidents read for someone who sees one channel's only, before keeping that channel's. */
export const RESOLVED_READ_FOR_CHANNEL = 100;

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

/** The listing, or why it cannot be shown to this viewer. */
export type ListOutcome =
  | { readonly kind: 'listed'; readonly listing: IncidentListing }
  | { readonly kind: 'unverified'; readonly reason: AccessRefusal };

/** Which incidents `viewer` sees: all (an approver), the channel's they asked from (a member of it), or none. */
async function seenBy(deps: ServiceDeps, viewer: Viewer): Promise<{ readonly all: boolean; readonly sees: (i: Incident) => boolean } | AccessRefusal> {
  if (await approver(deps, viewer.userId)) return { all: true, sees: () => true };
  const member = await membership(deps, viewer);
  if (member.kind === 'unverified') return member.reason;
  return { all: false, sees: member.kind === 'member' ? (incident) => incident.channelId === viewer.channelId : () => false };
}

/**
 * The open incidents and the recently resolved ones `viewer` may see, each with a link to its
 * root message when Slack gives one: one membership check at most, for the channel asked from.
 */
export async function listIncidents(deps: ServiceDeps, viewer: Viewer): Promise<ListOutcome> {
  const scope = await seenBy(deps, viewer);
  if ('code' in scope) return { kind: 'unverified', reason: scope };
  const since = new Date(deps.clock.now().getTime() - RESOLVED_LISTED_DAYS * DAY_MS).toISOString();
  const [allOpen, allResolved] = await Promise.all([
    deps.repo.listOpen(),
    deps.repo.listRecentlyResolved(since, scope.all ? MAX_RESOLVED_LISTED : RESOLVED_READ_FOR_CHANNEL),
  ]);
  const open = allOpen.filter(scope.sees);
  const linked = (incidents: readonly Incident[]) => Promise.all(incidents.map(async (incident) => {
    const link = await permalink(deps, incident);
    return link === undefined ? { incident } : { incident, permalink: link };
  }));
  return {
    kind: 'listed',
    listing: {
      open: await linked(open.slice(0, MAX_OPEN_LISTED)),
      openCount: open.length,
      resolved: await linked(allResolved.filter(scope.sees).slice(0, MAX_RESOLVED_LISTED)),
      resolvedDays: RESOLVED_LISTED_DAYS,
    },
  };
}
