/**
 * The sweeper, run by every replica every few seconds: actions left executing by an attempt
 * whose lease ran out (its process died or stalled) are taken over by a new attempt and
 * settled. IAM is asked what is in place: a change in place is recorded as done; one that
 * never happened is carried out (its approval stands) or, once its proposal expired, reported
 * as interrupted ("Propose again"). Nothing on this path deletes anything by itself.
 */
import { type Action, type ActionOutcome, OutcomeResult } from '../../domain/action/lifecycle.js';
import { FencedOutError, leaseExpired, takeOver } from '../../domain/action/attempt.js';
import { ActionKind, actionSubject } from '../../domain/action/kinds.js';
import { AwsError, StaleActionError } from '../../domain/errors.js';
import { type Incident, TimelineEventType } from '../../domain/incident/incident.js';
import type { ServiceDeps } from '../deps.js';
import { newEvent, stampEvents } from '../shared/timeline-events.js';
import { inAccount } from '../account-scope.js';
import { showNote } from '../shared/show-in-slack.js';
import { afterwards, executeAction } from './execute-action.js';
import { EXECUTORS } from './executors.js';
import { AttemptLease } from './attempt-lease.js';
import { recordOutcome } from './record-outcome.js';
import { interruptedReplacement, orphanKeys } from './replacement-key.js';

/** One pass: settles every executing action whose lease ran out; returns how many it took over. */
export async function sweepActions(deps: ServiceDeps): Promise<number> {
  let settled = 0;
  for (const { incidentId, actionId } of await deps.actions.listExecuting()) {
    try {
      if (await settleIfAbandoned(deps, incidentId, actionId)) settled++;
    } catch (err) {
      deps.log.error({ incidentId, actionId, err: (err as Error).message }, 'settling an interrupted action failed; the next sweep tries again');
    }
  }
  return settled;
}

async function settleIfAbandoned(deps: ServiceDeps, incidentId: string, actionId: string): Promise<boolean> {
  const [incident, action] = await Promise.all([deps.repo.get(incidentId), deps.actions.get(incidentId, actionId)]);
  if (!incident || !action || !leaseExpired(action, deps.clock.now())) return false;
  const claimed = await claim(deps, incident, action);
  if (!claimed) return false;
  const lease = new AttemptLease(deps, claimed);
  lease.start();
  try {
    await settle(deps, incident, action, lease);
  } finally {
    lease.stop();
  }
  return true;
}

/** A new attempt, written only while the old one's lease has still run out; undefined when another sweeper (or the old attempt) won. */
async function claim(deps: ServiceDeps, incident: Incident, action: Action): Promise<Action | undefined> {
  const now = deps.clock.now();
  const t = takeOver(action, deps.ids.eventId(), now, deps.execution.leaseMs);
  try {
    return await deps.actions.takeOver(action, t.action, actionSubject(action.kind, action.target), stampEvents(deps, incident.id, t.events), now);
  } catch (err) {
    if (err instanceof StaleActionError) return undefined;
    throw err;
  }
}

/** Whether the change is in place; undefined when IAM could not say. */
async function inPlace(deps: ServiceDeps, action: Action): Promise<boolean | undefined> {
  try {
    return await EXECUTORS[action.kind].inPlace(await inAccount(deps, action.target.account), action);
  } catch (err) {
    if (err instanceof AwsError) return undefined;
    throw err;
  }
}

/** `previous` as the interrupted attempt left it; `lease`, the new attempt's. */
async function settle(deps: ServiceDeps, incident: Incident, previous: Action, lease: AttemptLease): Promise<void> {
  const claimed = lease.action;
  const note = (summary: string, details: Record<string, unknown>) =>
    deps.repo.append(newEvent(deps, incident.id, TimelineEventType.ActionReconciled, 'bot', summary, { actionId: previous.id, attempt: claimed.attempt?.number, ...details }));
  const finishWith = async (outcome: ActionOutcome) => {
    const recorded = await recordOutcome(deps, incident, claimed, outcome, (late) => afterwards(deps, incident, late));
    if (recorded.status !== claimed.status) afterwards(deps, incident, recorded);
  };
  try {
    // A newer decision on the target approved meanwhile stops this one before IAM is even read.
    await lease.fence();
  } catch (err) {
    if (!(err instanceof FencedOutError) || err.refusal !== 'superseded') throw err;
    await note('Interrupted, and a newer decision on its target was approved since', { superseded: true });
    return finishWith({ result: OutcomeResult.Failed, code: 'Superseded', message: 'Interrupted, and a newer decision on the same target was approved since: not carried out.' });
  }
  const found = await inPlace(deps, previous);
  if (found === true) {
    await note('Found in place after an interruption', { inPlace: true });
    return finishWith({ result: OutcomeResult.Done, message: 'Confirmed in IAM after a restart.' });
  }
  const orphans = found === false && previous.kind === ActionKind.CreateReplacementKey
    ? await orphanKeys(await inAccount(deps, previous.target.account), previous) : [];
  if (orphans.length > 0) {
    await note('Interrupted replacement left keys without their secret', { inPlace: false, orphanKeys: orphans });
    return finishWith(interruptedReplacement(orphans));
  }
  const expired = deps.clock.now().getTime() >= Date.parse(previous.expiresAt);
  if (found === undefined || expired) {
    await note('Interrupted and not completed', { inPlace: found ?? 'unknown' });
    return finishWith({
      result: OutcomeResult.Failed, code: 'Interrupted',
      message: found === undefined
        ? 'Interrupted, and IAM could not be checked. Check the target, then propose again.'
        : 'Interrupted, and its proposal has expired since: not carried out. Propose it again if it is still needed.',
    });
  }
  await note('Not in place after an interruption: carrying it out now', { inPlace: false });
  deps.background.run('note', incident.id, () => showNote(deps, incident, { kind: 'resumed-after-restart' }));
  await executeAction(deps, incident, claimed, lease);
}

/**
 * The sweeper of one process: a pass now (`first`), then one every `intervalMs` until `stop()`
 * (which does not wait for a pass under way: what it took over, its lease hands on).
 */
export function startSweeper(deps: ServiceDeps, intervalMs: number): { readonly first: Promise<number>; stop(): void } {
  let busy = false;
  const pass = () => {
    busy = true;
    return sweepActions(deps)
      .catch((err: unknown) => {
        deps.log.error({ err: (err as Error).message }, 'sweep failed');
        return 0;
      })
      .finally(() => { busy = false; });
  };
  const first = pass();
  const timer = setInterval(() => {
    // One pass at a time: a pass still running when the next is due makes that one wait a turn.
    if (!busy) void pass();
  }, intervalMs);
  timer.unref();
  return { first, stop: () => clearInterval(timer) };
}
