/**
 * Recording how an attempt ended. Once IAM may have changed, the record must land: a write
 * that fails for any reason but another writer's (who then holds the action) is retried in
 * the background until it does, and the caller is given the outcome meanwhile.
 */
import { type Action, type ActionOutcome, finish, type Transition } from '../../domain/action/lifecycle.js';
import { StaleActionError } from '../../domain/errors.js';
import type { Incident } from '../../domain/incident/incident.js';
import type { ServiceDeps } from '../deps.js';
import { recordTransition } from './action-records.js';

/** Longest wait between two tries of a record that does not land. */
const MAX_RECORD_WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Another process recorded first (or took the action over): theirs stands. */
async function theirs(deps: ServiceDeps, action: Action): Promise<Action> {
  return (await deps.actions.get(action.incidentId, action.id)) ?? action;
}

/** Tries the write until it lands or another writer holds the action. */
async function recordEventually(deps: ServiceDeps, incident: Incident, action: Action, transition: () => Transition): Promise<Action> {
  for (let n = 1; ; n++) {
    await sleep(Math.min(MAX_RECORD_WAIT_MS, deps.execution.retryBaseMs * 2 ** n));
    try {
      return await recordTransition(deps, incident, action, transition());
    } catch (err) {
      if (err instanceof StaleActionError) return theirs(deps, action);
      deps.log.warn({ incidentId: action.incidentId, actionId: action.id, tries: n + 1, err: (err as Error).message }, 'outcome still not recorded; trying again');
    }
  }
}

/**
 * Records `outcome` (conditional on the version the attempt holds). When the write fails and
 * no other writer won, it goes on in the background and the action is returned still
 * executing, with the outcome it will be recorded with; `onLateRecord` is told when it lands.
 */
export async function recordOutcome(
  deps: ServiceDeps, incident: Incident, action: Action, outcome: ActionOutcome, onLateRecord?: (recorded: Action) => void,
): Promise<Action> {
  const transition = () => finish(action, outcome, deps.clock.now());
  try {
    return await recordTransition(deps, incident, action, transition());
  } catch (err) {
    if (err instanceof StaleActionError) return theirs(deps, action);
    deps.log.warn({ incidentId: action.incidentId, actionId: action.id, err: (err as Error).message }, 'outcome not recorded yet; trying again in the background');
    deps.background.run('record', incident.id, async () => {
      onLateRecord?.(await recordEventually(deps, incident, action, transition));
    });
    return { ...action, outcome };
  }
}
