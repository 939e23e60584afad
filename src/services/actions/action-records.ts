/** Storing action transitions with their events, and keeping Slack in step. */
import type { Action, EventDraft, Transition } from '../../domain/action/lifecycle.js';
import { actionSubject } from '../../domain/action/kinds.js';
import type { Incident, TimelineEvent } from '../../domain/incident/incident.js';
import type { ServiceDeps } from '../deps.js';

/** Stamps drafted events with ids and the clock's time. */
export function stampEvents(deps: Pick<ServiceDeps, 'clock' | 'ids'>, incidentId: string, drafts: readonly EventDraft[]): TimelineEvent[] {
  const at = deps.clock.now().toISOString();
  return drafts.map((d) => ({ incidentId, id: deps.ids.eventId(), at, ...d }));
}

/**
 * Writes a transition of `current` (conditional on its version, with its events). Throws
 * `StaleActionError` when another writer got there first.
 */
export function recordTransition(deps: ServiceDeps, incident: Incident, current: Action, t: Transition): Promise<Action> {
  return deps.actions.transition(current, t.action, actionSubject(current.kind, current.target), stampEvents(deps, incident.id, t.events));
}

/** Runs a Slack update; failures are logged, never fatal (the record is already safe). */
export async function quietly(deps: ServiceDeps, what: string, incidentId: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    deps.log.warn({ incidentId, what, err: (err as Error).message }, 'slack update failed');
  }
}

/** Root refreshes in flight per incident: each waits for the one before it. */
const refreshes = new Map<string, Promise<void>>();

/**
 * Re-renders the root message with the incident's current actions. Refreshes of one incident
 * run one after another, each reading afresh, so an older view never lands after a newer one
 * from this process (replicas may still interleave; the next change corrects the root).
 */
export function refreshRoot(deps: ServiceDeps, incident: Incident): Promise<void> {
  const previous = refreshes.get(incident.id) ?? Promise.resolve();
  const next = previous.then(() => quietly(deps, 'root', incident.id, async () => {
    const [latest, actions] = await Promise.all([deps.repo.get(incident.id), deps.actions.list(incident.id)]);
    await deps.notifier.updateRoot(latest ?? incident, actions);
  }));
  refreshes.set(incident.id, next);
  void next.finally(() => {
    if (refreshes.get(incident.id) === next) refreshes.delete(incident.id);
  });
  return next;
}

/** Updates the proposal message and the root. */
export async function showAction(deps: ServiceDeps, incident: Incident, action: Action): Promise<void> {
  await quietly(deps, 'proposal', incident.id, () => deps.actionNotifier.updateProposal(incident, action));
  await refreshRoot(deps, incident);
}
