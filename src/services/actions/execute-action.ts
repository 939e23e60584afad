/**
 * Use case: carry out an action whose intent is recorded (status executing), as one attempt.
 * Re-checks the target, acts through the fence (or, in a dry run, records what it would have
 * done), and records the outcome; Slack is shown the record afterwards, in the background.
 */
import { type Action, type ActionOutcome, OutcomeResult } from '../../domain/action/lifecycle.js';
import { FencedOutError } from '../../domain/action/attempt.js';
import { ActionKind } from '../../domain/action/kinds.js';
import { explainActionFailure } from '../../domain/action/failures.js';
import { AwsError } from '../../domain/errors.js';
import { BOT_ACTOR, type Incident, TimelineEventType } from '../../domain/incident/incident.js';
import type { ServiceDeps } from '../deps.js';
import { newEvent } from '../shared/timeline-events.js';
import { containIfDone } from '../incident-status.js';
import { showAction } from '../shared/show-in-slack.js';
import { EXECUTORS } from './executors.js';
import { proposeAction } from './propose-action.js';
import { botPrincipalIn, inAccount } from '../account-scope.js';
import { AttemptLease, fencedWriter } from './attempt-lease.js';
import { recordOutcome } from './record-outcome.js';
import type { OrphanKey } from './replacement-key.js';

function failed(deps: ServiceDeps, action: Action, err: AwsError): ActionOutcome {
  deps.log.warn({ incidentId: action.incidentId, actionId: action.id, awsError: err.code, requestId: err.requestId }, 'action failed');
  return {
    result: OutcomeResult.Failed,
    code: err.code,
    message: explainActionFailure(err),
    ...(err.requestId ? { requestIds: [err.requestId] } : {}),
    details: { operation: err.operation, service: err.service },
  };
}

async function outcomeOf(deps: ServiceDeps, action: Action, lease: AttemptLease): Promise<ActionOutcome> {
  const executor = EXECUTORS[action.kind];
  try {
    // In the key's account; a role refused there fails the action like any AWS refusal.
    const account = await inAccount(deps, action.target.account);
    const scoped = {
      ...account, iamWriter: fencedWriter(account.iamWriter, lease, deps.execution.retryBaseMs),
      progress: (p: Parameters<AttemptLease['fence']>[0]) => lease.fence(p), botPrincipal: () => botPrincipalIn(deps, action.target.account),
    };
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
    return failed(deps, action, err);
  }
}

/** The attempt was fenced out: a newer decision on the target is recorded as such; a lost hold is left to whoever has it. */
async function stopped(deps: ServiceDeps, incident: Incident, action: Action, err: FencedOutError): Promise<Action> {
  deps.log.warn({ incidentId: action.incidentId, actionId: action.id, refusal: err.refusal }, 'attempt stopped by its fence');
  if (err.refusal === 'lease-lost') return (await deps.actions.get(action.incidentId, action.id)) ?? action;
  const recorded = await recordOutcome(deps, incident, action, {
    result: OutcomeResult.Failed, code: 'Superseded',
    message: 'Stopped: a newer decision on the same target was approved since. Its result is the one that counts.',
  }, (late) => afterwards(deps, incident, late));
  if (recorded.status !== action.status) afterwards(deps, incident, recorded);
  return recorded;
}

/**
 * Runs the attempt `action.attempt` holding `lease` (started here when absent) and returns
 * the action as recorded after it. Never waits for Slack.
 */
export async function executeAction(deps: ServiceDeps, incident: Incident, action: Action, held?: AttemptLease): Promise<Action> {
  deps.log.info({ incidentId: incident.id, actionId: action.id, kind: action.kind, attempt: action.attempt?.number, dryRun: deps.dryRun }, 'executing action');
  const lease = held ?? new AttemptLease(deps, action);
  if (!held) lease.start();
  let outcome: ActionOutcome;
  try {
    outcome = await outcomeOf(deps, action, lease);
  } catch (err) {
    if (err instanceof FencedOutError) return stopped(deps, incident, action, err);
    throw err;
  } finally {
    lease.stop();
  }
  const finished = await recordOutcome(deps, incident, action, outcome, (late) => afterwards(deps, incident, late));
  if (finished.status !== action.status) afterwards(deps, incident, finished);
  return finished;
}

/** Slack, follow-up proposals and containment, after the record and without holding anyone up. */
export function afterwards(deps: ServiceDeps, incident: Incident, finished: Action): void {
  showAction(deps, incident, finished);
  deps.background.run('follow-up', incident.id, async () => {
    await followUp(deps, incident, finished);
    await containIfDone(deps, incident.id);
  });
}

/** A replacement blocked by IAM's two-key limit, or one that left keys without their secret: propose deleting them. */
async function followUp(deps: ServiceDeps, incident: Incident, action: Action): Promise<void> {
  if (action.kind !== ActionKind.CreateReplacementKey) return;
  const orphans = (action.outcome?.details?.orphanKeys ?? []) as OrphanKey[];
  const toDelete = orphans.map((k) => k.keyId);
  if (action.outcome?.code === 'LimitExceeded') {
    const keys = await inAccount(deps, action.target.account)
      .then((scoped) => scoped.iam.listAccessKeys(action.target.userName))
      .catch(() => []);
    const inactive = keys.find((k) => k.status === 'Inactive');
    if (inactive) toDelete.push(inactive.keyId);
  }
  for (const keyId of toDelete) {
    await proposeAction(deps, {
      incidentId: incident.id, kind: ActionKind.DeleteKey, userId: BOT_ACTOR, ...(action.accountId ? { accountId: action.accountId } : {}),
      target: { userName: action.target.userName, keyId, ...(action.target.account ? { account: action.target.account } : {}) },
    });
  }
}
