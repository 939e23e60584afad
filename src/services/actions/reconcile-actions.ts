/**
 * On start: actions a crashed process left executing. IAM is asked what really happened;
 * a change in place is recorded as done, one that never happened is carried out now (its
 * approval still stands), or reported as interrupted when the proposal has expired since.
 */
import { type Action, finish, OutcomeResult, PROPOSAL_TTL_MS } from '../../domain/action/lifecycle.js';
import { AwsError, StaleActionError } from '../../domain/errors.js';
import { type Incident, TimelineEventType } from '../../domain/incident/incident.js';
import type { ServiceDeps } from '../deps.js';
import { newEvent } from '../shared/timeline-events.js';
import { inAccount } from '../account-scope.js';
import { recordTransition } from './action-records.js';
import { showAction, showNote } from '../shared/show-in-slack.js';
import { executeAction } from './execute-action.js';
import { EXECUTORS } from './executors.js';

/** An action executing for less than this may still be running in a live process. */
export const RECONCILE_AFTER_MS = 2 * 60 * 1000;

export async function reconcileActions(deps: ServiceDeps): Promise<number> {
  let reconciled = 0;
  for (const { incidentId, actionId } of await deps.actions.listExecuting()) {
    const [incident, action] = await Promise.all([deps.repo.get(incidentId), deps.actions.get(incidentId, actionId)]);
    if (!incident || !action?.startedAt) continue;
    if (deps.clock.now().getTime() - Date.parse(action.startedAt) < RECONCILE_AFTER_MS) continue;
    try {
      const claimed = await claim(deps, incident, action);
      // Another instance starting at the same time took it.
      if (!claimed) continue;
      await reconcileOne(deps, incident, action, claimed);
    } catch (err) {
      deps.log.error({ incidentId, actionId, err: (err as Error).message }, 'reconciliation failed; will retry on next start');
    }
    reconciled++;
  }
  return reconciled;
}

/**
 * Takes the action over before touching IAM: a write conditional on the version read, so of
 * several instances starting at once only one carries on, and a fresh `startedAt`, so an
 * instance starting later sees a live execution and leaves it alone. Undefined when another
 * instance took it (or finished it) first.
 */
async function claim(deps: ServiceDeps, incident: Incident, action: Action): Promise<Action | undefined> {
  try {
    return await recordTransition(deps, incident, action, { action: { ...action, startedAt: deps.clock.now().toISOString() }, events: [] });
  } catch (err) {
    if (err instanceof StaleActionError) return undefined;
    throw err;
  }
}

/** `action` as the interrupted process left it (its `startedAt` dates that attempt); `claimed`, ours. */
async function reconcileOne(deps: ServiceDeps, incident: Incident, action: Action, claimed: Action): Promise<void> {
  const inPlace = await inAccount(deps, action.target.account).then((scoped) => EXECUTORS[action.kind].inPlace(scoped, action)).catch((err: unknown) => {
    if (err instanceof AwsError) return undefined;
    throw err;
  });
  const now = deps.clock.now();
  const note = (summary: string, details: Record<string, unknown>) =>
    deps.repo.append(newEvent(deps, incident.id, TimelineEventType.ActionReconciled, 'bot', summary, { actionId: action.id, ...details }));
  if (inPlace === true) {
    await note('Found in place after a restart', { inPlace: true });
    const done = await recordTransition(deps, incident, claimed, finish(claimed, { result: OutcomeResult.Done, message: 'Confirmed in IAM after a restart.' }, now));
    await showAction(deps, incident, done);
    return;
  }
  const tooOld = now.getTime() - Date.parse(action.startedAt!) > PROPOSAL_TTL_MS;
  if (inPlace === undefined || tooOld) {
    await note('Interrupted by a restart and not completed', { inPlace: inPlace ?? 'unknown' });
    const failed = await recordTransition(deps, incident, claimed, finish(claimed, {
      result: OutcomeResult.Failed, code: 'Interrupted',
      message: inPlace === undefined ? 'Interrupted by a restart, and IAM could not be checked. Check the target, then propose again.' : 'Interrupted by a restart long ago and not carried out. Propose it again if it is still needed.',
    }, now));
    await showAction(deps, incident, failed);
    return;
  }
  await note('Not in place after a restart: carrying it out now', { inPlace: false });
  await showNote(deps, incident, { kind: 'resumed-after-restart' });
  await executeAction(deps, incident, claimed);
}
