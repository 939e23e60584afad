/**
 * Recording how an attempt ended. Once IAM may have changed, the record must land: a write
 * that fails for any reason but another writer's (who then holds the action) is tried again,
 * at once and then in the background until it lands, and the caller is given the outcome
 * meanwhile. A refused write is another writer's only when the action changed since: a
 * transaction conflict (another transaction on the item at that instant) refuses it too.
 */
import { type Action, type ActionOutcome, finish, type Transition } from '../../domain/action/lifecycle.js';
import { StaleActionError } from '../../domain/errors.js';
import type { Incident } from '../../domain/incident/incident.js';
import type { ServiceDeps } from '../deps.js';
import { recordTransition } from './action-records.js';

/** Tries of the record before the caller is answered. */
const FOREGROUND_TRIES = 2;

/** Longest wait between two tries of a record that does not land. */
const MAX_RECORD_WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * After a refused write: the action as another writer left it (their record, or a takeover),
 * which stands. Undefined when nobody wrote since (the write met a transaction conflict) or
 * when that cannot be read now: ours is then still to be written.
 */
async function theirs(deps: ServiceDeps, action: Action, err: unknown): Promise<Action | undefined> {
  if (!(err instanceof StaleActionError)) return undefined;
  let stored: Action | undefined;
  try {
    stored = await deps.actions.get(action.incidentId, action.id);
  } catch {
    return undefined;
  }
  if (stored?.version === action.version) return undefined;
  return stored ?? action;
}

/** One try: the action as recorded (by us or by another writer), or undefined when ours is still to be written. */
async function tryRecord(deps: ServiceDeps, incident: Incident, action: Action, transition: () => Transition, next: string): Promise<Action | undefined> {
  try {
    return await recordTransition(deps, incident, action, transition());
  } catch (err) {
    const other = await theirs(deps, action, err);
    if (!other) deps.log.warn({ incidentId: action.incidentId, actionId: action.id, err: (err as Error).message }, `outcome not recorded yet; ${next}`);
    return other;
  }
}

/** Tries the write until it lands or another writer holds the action. */
async function recordEventually(deps: ServiceDeps, incident: Incident, action: Action, transition: () => Transition): Promise<Action> {
  for (let n = 1; ; n++) {
    await sleep(Math.min(MAX_RECORD_WAIT_MS, deps.execution.retryBaseMs * 2 ** n));
    const recorded = await tryRecord(deps, incident, action, transition, 'trying again');
    if (recorded) return recorded;
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
  for (let n = 1; n <= FOREGROUND_TRIES; n++) {
    const recorded = await tryRecord(deps, incident, action, transition, n < FOREGROUND_TRIES ? 'trying again at once' : 'trying again in the background');
    if (recorded) return recorded;
  }
  deps.background.run('record', incident.id, async () => {
    onLateRecord?.(await recordEventually(deps, incident, action, transition));
  });
  return { ...action, outcome };
}
