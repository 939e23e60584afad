/** Keeping Slack in step with what is recorded: the root message, an action's proposal message, thread notes. */
import type { Action } from '../../domain/action/lifecycle.js';
import type { Incident } from '../../domain/incident/incident.js';
import type { ThreadNote } from '../../domain/incident/thread-note.js';
import type { ServiceDeps } from '../deps.js';
import { bestEffort } from './best-effort.js';

/** Per incident: the last refresh asked for, and whether it has begun. */
const refreshes = new Map<string, { done: Promise<void>; begun: boolean }>();

/**
 * Re-renders the root message with the incident's current actions. Refreshes of one incident
 * run one after another, each reading afresh, so an older view never lands after a newer one
 * from this process (replicas may still interleave; the next change corrects the root). A
 * refresh asked for while another waits to begin joins it: that one will read the latest.
 */
export function refreshRoot(deps: ServiceDeps, incident: Incident): Promise<void> {
  const last = refreshes.get(incident.id);
  if (last && !last.begun) return last.done;
  const entry = { done: Promise.resolve(), begun: false };
  entry.done = (last?.done ?? Promise.resolve()).then(() => {
    entry.begun = true;
    return bestEffort(deps.log, 'root', incident.id, async () => {
      const [latest, actions] = await Promise.all([deps.repo.get(incident.id), deps.actions.list(incident.id)]);
      await deps.notifier.updateRoot(latest ?? incident, actions);
    });
  });
  refreshes.set(incident.id, entry);
  void entry.done.finally(() => {
    if (refreshes.get(incident.id) === entry) refreshes.delete(incident.id);
  });
  return entry.done;
}

/** Updates the proposal message and the root. */
export async function showAction(deps: ServiceDeps, incident: Incident, action: Action): Promise<void> {
  await bestEffort(deps.log, 'proposal', incident.id, () => deps.notifier.updateProposal(incident, action));
  await refreshRoot(deps, incident);
}

/** Tells the incident's thread of a change; Slack trouble is logged, the record stands. */
export function showNote(deps: ServiceDeps, incident: Incident, note: ThreadNote): Promise<void> {
  return bestEffort(deps.log, 'note', incident.id, () => deps.notifier.postNote(incident, note));
}
