/**
 * Use case: carry out an action whose intent is recorded (status executing). Re-checks the
 * target, acts (or, in a dry run, records what it would have done), and records the outcome.
 */
import { type Action, type ActionOutcome, finish, OutcomeResult } from '../../domain/action/lifecycle.js';
import { ActionKind } from '../../domain/action/kinds.js';
import { explainActionFailure } from '../../domain/action/failures.js';
import { AwsError, StaleActionError } from '../../domain/errors.js';
import { BOT_ACTOR, type Incident, TimelineEventType } from '../../domain/incident/incident.js';
import type { ServiceDeps } from '../deps.js';
import { newEvent } from '../shared/timeline-events.js';
import { containIfDone } from '../incident-status.js';
import { recordTransition } from './action-records.js';
import { showAction } from '../shared/show-in-slack.js';
import { EXECUTORS } from './executors.js';
import { proposeAction } from './propose-action.js';
import { inAccount } from '../account-scope.js';

async function outcomeOf(deps: ServiceDeps, action: Action): Promise<ActionOutcome> {
  const executor = EXECUTORS[action.kind];
  try {
    // In the key's account; a role refused there fails the action like any AWS refusal.
    const scoped = await inAccount(deps, action.target.account);
    const check = await executor.precheck(scoped, action);
    if (!check.ready) return check.outcome;
    if (deps.dryRun) return { result: OutcomeResult.WouldHave, message: `Dry run: ${executor.wouldHave(action)}` };
    if (executor.snapshot) {
      const snapshot = await executor.snapshot(scoped, action);
      await deps.repo.append(newEvent(deps, action.incidentId, TimelineEventType.ActionSnapshot, BOT_ACTOR, `Recorded what ${action.kind} will remove`, { actionId: action.id, snapshot }));
    }
    return await executor.run(scoped, action, deps.clock.now());
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    deps.log.warn({ incidentId: action.incidentId, actionId: action.id, awsError: err.code, requestId: err.requestId }, 'action failed');
    return {
      result: OutcomeResult.Failed,
      code: err.code,
      message: explainActionFailure(err),
      ...(err.requestId ? { requestIds: [err.requestId] } : {}),
      details: { operation: err.operation, service: err.service },
    };
  }
}

/** Records the outcome; when another process recorded one first, keeps theirs. */
async function record(deps: ServiceDeps, incident: Incident, action: Action, outcome: ActionOutcome): Promise<Action> {
  try {
    return await recordTransition(deps, incident, action, finish(action, outcome, deps.clock.now()));
  } catch (err) {
    if (!(err instanceof StaleActionError)) throw err;
    return (await deps.actions.get(action.incidentId, action.id)) ?? action;
  }
}

/** Executes an action in status executing and returns it finished. */
export async function executeAction(deps: ServiceDeps, incident: Incident, action: Action): Promise<Action> {
  deps.log.info({ incidentId: incident.id, actionId: action.id, kind: action.kind, dryRun: deps.dryRun }, 'executing action');
  const outcome = await outcomeOf(deps, action);
  const finished = await record(deps, incident, action, outcome);
  await showAction(deps, incident, finished);
  await followUp(deps, incident, finished);
  await containIfDone(deps, incident.id);
  return finished;
}

/** A replacement blocked by IAM's two-key limit: propose deleting the inactive key first. */
async function followUp(deps: ServiceDeps, incident: Incident, action: Action): Promise<void> {
  if (action.kind !== ActionKind.CreateReplacementKey || action.outcome?.code !== 'LimitExceeded') return;
  const keys = await inAccount(deps, action.target.account)
    .then((scoped) => scoped.iam.listAccessKeys(action.target.userName))
    .catch(() => []);
  const inactive = keys.find((k) => k.status === 'Inactive');
  if (!inactive) return;
  await proposeAction(deps, { incidentId: incident.id, kind: ActionKind.DeleteKey, userId: BOT_ACTOR, target: { userName: action.target.userName, keyId: inactive.keyId } });
}
