/**
 * Recording how an attempt ended. Once IAM may have changed, the record must land: a write
 * that fails for any reason but another writer's (who then holds the action) is tried again,
 * at once and then in the background until it lands, and the caller is given the outcome
 * meanwhile. A refused write is another writer's only when the action is no longer held by
 * this attempt: a transaction conflict (another transaction on the item at that instant), or a
 * change beside the attempt (its proposal message's ts stored late), refuses it too.
 */
import { type Action, type ActionOutcome, ActionStatus, finish } from '../../domain/action/lifecycle.js';
import { StaleActionError } from '../../domain/errors.js';
import type { Incident } from '../../domain/incident/incident.js';
import type { ServiceDeps } from '../deps.js';
import { recordTransition } from './action-records.js';

/** Tries of the record before the caller is answered. */
const FOREGROUND_TRIES = 2;

/** Longest wait between two tries of a record that does not land. */
const MAX_RECORD_WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The record to write: the outcome, on the action as last known to be stored. */
interface Pending {
  current: Action;
  readonly outcome: ActionOutcome;
}

/**
 * After a refused write: the action as another writer left it (their record, or a takeover),
 * which stands. Undefined when this attempt still holds it (`pending` then moves on to what is
 * stored) or when that cannot be read now: ours is still to be written.
 */
async function theirs(deps: ServiceDeps, pending: Pending, err: unknown): Promise<Action | undefined> {
  if (!(err instanceof StaleActionError)) return undefined;
  let stored: Action | undefined;
  try {
    stored = await deps.actions.get(pending.current.incidentId, pending.current.id);
  } catch {
    return undefined;
  }
  if (!stored) return pending.current;
  const ours = stored.status === ActionStatus.Executing && stored.attempt?.token === pending.current.attempt?.token;
  if (!ours) return stored;
  pending.current = stored;
  return undefined;
}

/** One try: the action as recorded (by us or by another writer), or undefined when ours is still to be written. */
async function tryRecord(deps: ServiceDeps, incident: Incident, pending: Pending, next: string): Promise<Action | undefined> {
  const { current } = pending;
  try {
    return await recordTransition(deps, incident, current, finish(current, pending.outcome, deps.clock.now()));
  } catch (err) {
    const other = await theirs(deps, pending, err);
    if (!other) deps.log.warn({ incidentId: current.incidentId, actionId: current.id, err: (err as Error).message }, `outcome not recorded yet; ${next}`);
    return other;
  }
}

/** Tries the write until it lands or another writer holds the action. */
async function recordEventually(deps: ServiceDeps, incident: Incident, pending: Pending): Promise<Action> {
  for (let n = 1; ; n++) {
    await sleep(Math.min(MAX_RECORD_WAIT_MS, deps.execution.retryBaseMs * 2 ** n));
    const recorded = await tryRecord(deps, incident, pending, 'trying again');
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
  const pending: Pending = { current: action, outcome };
  for (let n = 1; n <= FOREGROUND_TRIES; n++) {
    const recorded = await tryRecord(deps, incident, pending, n < FOREGROUND_TRIES ? 'trying again at once' : 'trying again in the background');
    if (recorded) return recorded;
  }
  deps.background.run('record', incident.id, async () => {
    onLateRecord?.(await recordEventually(deps, incident, pending));
  });
  return { ...pending.current, outcome };
}
