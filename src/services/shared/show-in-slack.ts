/** Keeping Slack in step with what is recorded: the root message, an action's proposal message, thread notes. */
import type { Action } from '../../domain/action/lifecycle.js';
import type { Incident } from '../../domain/incident/incident.js';
import type { ThreadNote } from '../../domain/incident/thread-note.js';
import type { ServiceDeps } from '../deps.js';
import { bestEffort } from './best-effort.js';

/** Root refreshes in flight per incident: each waits for the one before it. */
const refreshes = new Map<string, Promise<void>>();

/**
 * Re-renders the root message with the incident's current actions. Refreshes of one incident
 * run one after another, each reading afresh, so an older view never lands after a newer one
 * from this process (replicas may still interleave; the next change corrects the root).
 */
export function refreshRoot(deps: ServiceDeps, incident: Incident): Promise<void> {
  const previous = refreshes.get(incident.id) ?? Promise.resolve();
  const next = previous.then(() => bestEffort(deps.log, 'root', incident.id, async () => {
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
  await bestEffort(deps.log, 'proposal', incident.id, () => deps.actionNotifier.updateProposal(incident, action));
  await refreshRoot(deps, incident);
}

/** Tells the incident's thread of a change; Slack trouble is logged, the record stands. */
export function showNote(deps: ServiceDeps, incident: Incident, note: ThreadNote): Promise<void> {
  return bestEffort(deps.log, 'note', incident.id, () => deps.actionNotifier.postNote(incident, note));
}
