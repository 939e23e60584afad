/**
 * Keeping Slack in step with what is recorded: the root message, an action's proposal message,
 * thread notes. Every render is made from the state in DynamoDB as read just before it, and
 * carries that state's version: a render claims its version for its message first
 * (`ShownVersions`), so an older render never replaces a newer one, across replicas too.
 */
import type { Action } from '../../domain/action/lifecycle.js';
import type { Incident } from '../../domain/incident/incident.js';
import type { ThreadNote } from '../../domain/incident/thread-note.js';
import type { ServiceDeps } from '../deps.js';
import { bestEffort } from './best-effort.js';

/** A render of one message: the state version it shows, and how to send it. */
interface Render {
  readonly version: number;
  send(): Promise<unknown>;
}

/** Sends after a render that raced ours was claimed, before giving up on being the last. */
const MAX_RESENDS = 3;

/** Times a message is shown again after a show that failed or may land late. */
const MAX_REPAIRS = 3;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Claims the render's version and sends it. Two renders in flight at once can land in either
 * order; so after sending, when a newer version was claimed meanwhile, the newest state is
 * read and sent again (the one sending last always sends the newest it could read).
 */
async function showLatest(deps: ServiceDeps, incidentId: string, message: string, render: () => Promise<Render | undefined>): Promise<void> {
  for (let round = 0; round <= MAX_RESENDS; round++) {
    const r = await render();
    if (!r) return;
    const claimed = await deps.shown.claim(incidentId, message, r.version);
    // A newer render was claimed before ours started: showing it is that render's job.
    if (!claimed && round === 0) return;
    await r.send();
    const latest = await deps.shown.latest(incidentId, message);
    if (latest === undefined || latest <= r.version) return;
  }
}

/**
 * `showLatest`, and once more later (from what is stored then) when it failed (a rate limit
 * that outlasted the retries, DynamoDB refusing a read) or took as long as a Slack request may
 * before the client gives up on it: Slack can still apply such a request afterwards, over a
 * newer render. Nothing else would show the message again once its action has settled.
 */
async function showVersioned(deps: ServiceDeps, incidentId: string, message: string, render: () => Promise<Render | undefined>, repairs = 0): Promise<void> {
  const started = deps.clock.now().getTime();
  let sure = false;
  try {
    await showLatest(deps, incidentId, message, render);
    sure = deps.clock.now().getTime() - started < deps.display.uncertainAfterMs;
  } finally {
    if (!sure && repairs < MAX_REPAIRS) {
      deps.background.run('repair', incidentId, async () => {
        await sleep(deps.display.repairAfterMs);
        await showVersioned(deps, incidentId, message, render, repairs + 1);
      });
    }
  }
}

/** Per incident: the last refresh asked for, and whether it has begun. */
const refreshes = new Map<string, { done: Promise<void>; begun: boolean }>();

/**
 * Re-renders the root message with the incident's current state and actions; its version is
 * the sum of theirs (every write raises one). Refreshes of one incident run one after another
 * in this process; one asked for while another waits to begin joins it.
 */
export function refreshRoot(deps: ServiceDeps, incident: Incident): Promise<void> {
  const last = refreshes.get(incident.id);
  if (last && !last.begun) return last.done;
  const entry = { done: Promise.resolve(), begun: false };
  entry.done = (last?.done ?? Promise.resolve()).then(() => {
    entry.begun = true;
    return bestEffort(deps.log, 'root', incident.id, () => showVersioned(deps, incident.id, 'ROOT', async () => {
      const [latest, actions] = await Promise.all([deps.repo.get(incident.id), deps.actions.list(incident.id)]);
      const shown = latest ?? incident;
      const version = shown.version + actions.reduce((sum, a) => sum + a.version, 0);
      return { version, send: () => deps.notifier.updateRoot(shown, actions) };
    }));
  });
  refreshes.set(incident.id, entry);
  void entry.done.finally(() => {
    if (refreshes.get(incident.id) === entry) refreshes.delete(incident.id);
  });
  return entry.done;
}

/** Updates the proposal message from the action as stored now. */
function showProposal(deps: ServiceDeps, incident: Incident, actionId: string): Promise<void> {
  return showVersioned(deps, incident.id, `ACT#${actionId}`, async () => {
    const latest = await deps.actions.get(incident.id, actionId);
    return latest && { version: latest.version, send: () => deps.notifier.updateProposal(incident, latest) };
  });
}

/**
 * Shows the action's proposal message and the root as they are stored, in the background:
 * nothing waits for Slack, and a rate limit only delays the display.
 */
export function showAction(deps: ServiceDeps, incident: Incident, action: Pick<Action, 'id'>): void {
  deps.background.run('proposal', incident.id, async () => {
    await bestEffort(deps.log, 'proposal', incident.id, () => showProposal(deps, incident, action.id));
    await refreshRoot(deps, incident);
  });
}

/** Tells the incident's thread of a change; Slack trouble is logged, the record stands. */
export function showNote(deps: ServiceDeps, incident: Incident, note: ThreadNote): Promise<void> {
  return bestEffort(deps.log, 'note', incident.id, () => deps.notifier.postNote(incident, note));
}
