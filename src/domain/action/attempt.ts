/**
 * Execution attempts. An approved action is carried out by one attempt at a time: a token,
 * a number and a short lease recorded on the action. The attempt renews its lease while it
 * runs and, right before each IAM change, proves in one conditional write that its token is
 * still current, its lease unexpired and its decision the newest approved on the target.
 * A lease that runs out lets any replica take the action over with a new attempt.
 */
import { ACTIONS, type ActionKind, type ActionTarget } from './kinds.js';
import { ActionStatus, type Action, type Attempt, type Transition } from './lifecycle.js';
import { KeyIncidentError } from '../errors.js';
import { TimelineEventType } from '../incident/incident.js';

export type { Attempt };

/** How long an attempt holds an action without renewing. */
export const DEFAULT_LEASE_MS = 15_000;

/**
 * What a decision acts on, across incidents. Every decision on one access key is on the same
 * target (disable, re-enable, delete); on a user or a role, an action and its undo share one
 * (revoke and lift sessions, attach and detach quarantine), so that revoking sessions and
 * attaching quarantine on one user do not cancel each other. Decisions on one target are
 * ordered by when they were approved; only the newest may still act.
 */
export function decisionTarget(kind: ActionKind, target: ActionTarget): string {
  const account = target.account ?? 'own';
  const spec = ACTIONS[kind];
  if (spec.on === 'key') return `key#${account}#${target.keyId ?? '-'}`;
  const holder = spec.on === 'role' ? target.roleName ?? '-' : target.userName;
  const family = [kind, spec.undo].filter((k) => k !== undefined).sort().join('+');
  const policy = [target.policyArn, target.policyName].filter((x) => x !== undefined).map((x) => `#${x}`).join('');
  return `${spec.on}#${account}#${holder}#${family}${policy}`;
}

/** The action with a fresh attempt holding it until `now + leaseMs`. */
export function withAttempt(a: Action, token: string, now: Date, leaseMs: number, number = 1): Action {
  return { ...a, attempt: { token, number, startedAt: now.toISOString(), leaseUntil: new Date(now.getTime() + leaseMs).toISOString() } };
}

/** Whether nobody holds the executing action now: its attempt's lease ran out (or it has none). */
export function leaseExpired(a: Action, now: Date): boolean {
  if (a.status !== ActionStatus.Executing) return false;
  return a.attempt === undefined || Date.parse(a.attempt.leaseUntil) <= now.getTime();
}

/** A new attempt taking over an executing action whose lease ran out, with its event. */
export function takeOver(a: Action, token: string, now: Date, leaseMs: number): Transition {
  const number = (a.attempt?.number ?? 0) + 1;
  const next = withAttempt(a, token, now, leaseMs, number);
  return {
    action: next,
    events: [{
      type: TimelineEventType.ActionTakenOver, actor: 'bot', summary: `Attempt ${number} took over an interrupted execution`,
      details: { actionId: a.id, kind: a.kind, attempt: number, previous: a.attempt ? { number: a.attempt.number, startedAt: a.attempt.startedAt, leaseUntil: a.attempt.leaseUntil } : null },
    }],
  };
}

/** Why an attempt may no longer act. */
export type FenceRefusal = 'lease-lost' | 'superseded';

/**
 * The fence refused an attempt: another attempt holds the action or its lease ran out
 * (`lease-lost`), or a newer decision on the same target was approved (`superseded`).
 */
export class FencedOutError extends KeyIncidentError {
  constructor(readonly refusal: FenceRefusal, readonly incidentId: string, readonly actionId: string) {
    super(`fenced_${refusal.replace('-', '_')}`, `Attempt on action ${actionId} of ${incidentId} may no longer act: ${refusal}`);
  }
}
