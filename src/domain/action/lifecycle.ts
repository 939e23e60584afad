/**
 * The life of a proposed action, as data and pure transitions:
 *
 *   proposed ──approve (enough distinct approvers)──▶ executing ──▶ succeeded | failed
 *      │ └─approve (not enough yet)─▶ proposed (approval counted)
 *      ├─deny──▶ denied
 *      └─expire─▶ expired
 *
 * "approved" is entered and left in the same write as "executing": the approval that
 * completes the quorum also records the intent to execute, so no process can leave an
 * approved action that nobody is running. Each transition returns the new action and the
 * timeline events that must be written with it, or throws `ActionTransitionError`.
 */
import { ACTIONS, type ActionKind, actionSubject, type ActionTarget, targetName } from './kinds.js';
import { approvalsFor } from './approval-policy.js';
import type { AttachmentOrigin } from './attachment-origin.js';
import { KeyIncidentError } from '../errors.js';
import { type EventDraft, TimelineEventType } from '../incident/incident.js';

export const ActionStatus = {
  Proposed: 'proposed',
  Executing: 'executing',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Denied: 'denied',
  Expired: 'expired',
} as const;
export type ActionStatus = (typeof ActionStatus)[keyof typeof ActionStatus];

/** States an action never leaves. */
export const FINAL_STATUSES: ReadonlySet<ActionStatus> = new Set([
  ActionStatus.Succeeded, ActionStatus.Failed, ActionStatus.Denied, ActionStatus.Expired,
]);

/** How long a proposal stays approvable. */
export const PROPOSAL_TTL_MS = 24 * 60 * 60 * 1000;

export interface Approval {
  readonly userId: string;
  /** ISO-8601. */
  readonly at: string;
}

export const OutcomeResult = {
  /** The change was made. */
  Done: 'done',
  /** It was already so (key already inactive, entity already gone): nothing to do. */
  Already: 'already',
  /** DRY_RUN: recorded, not made. */
  WouldHave: 'would-have',
  /** The target was not what the proposal expected: nothing was done. */
  TargetChanged: 'target-changed',
  Failed: 'failed',
} as const;
export type OutcomeResult = (typeof OutcomeResult)[keyof typeof OutcomeResult];

export interface ActionOutcome {
  readonly result: OutcomeResult;
  /** One plain sentence. */
  readonly message: string;
  /** AWS error code on failure. */
  readonly code?: string;
  /** AWS request ids of the calls that made the change. */
  readonly requestIds?: readonly string[];
  readonly details?: Readonly<Record<string, unknown>>;
}

/** An execution attempt: see `attempt.ts` for how attempts take, renew and prove their hold. */
export interface Attempt {
  /** Unique per attempt; the fence compares it. */
  readonly token: string;
  /** 1 for the approval's own attempt, then one more per takeover. */
  readonly number: number;
  /** ISO-8601. */
  readonly startedAt: string;
  /** ISO-8601; renewed while the attempt runs. */
  readonly leaseUntil: string;
  /** A new access key the attempt made, recorded the moment IAM returned it. */
  readonly newKeyId?: string;
  /** ISO-8601: when IAM returned that key. */
  readonly newKeyAt?: string;
}

export interface Action {
  readonly incidentId: string;
  readonly id: string;
  readonly kind: ActionKind;
  readonly target: ActionTarget;
  readonly status: ActionStatus;
  readonly approvalsRequired: 1 | 2;
  /** For the removal of a policy attachment: who made it, as far as the bot knows (why one or two approvers). */
  readonly attachment?: AttachmentOrigin;
  readonly approvals: readonly Approval[];
  readonly proposedBy: string;
  readonly proposedAt: string;
  readonly expiresAt: string;
  /** Who denied it, when denied. */
  readonly deniedBy?: string;
  /** Why it expired before its time: its incident was resolved. */
  readonly expiredBecause?: 'incident-resolved';
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly outcome?: ActionOutcome;
  /** `ts` of its proposal message in the incident thread. */
  readonly messageTs?: string;
  /** The action this one undoes. */
  readonly undoOf?: string;
  /** The account it acts in (the bot's own or the key's), as its proposal named it; absent on actions stored before. */
  readonly accountId?: string;
  /** The attempt carrying it out, while it executes (see `attempt.ts`). */
  readonly attempt?: Attempt;
  /** Optimistic-concurrency version. */
  readonly version: number;
}

/** An action's next state and the timeline events that record it. */
export interface Transition {
  readonly action: Action;
  readonly events: readonly EventDraft[];
}

export type TransitionRefusal = 'not-pending' | 'expired' | 'already-approved' | 'not-executing';

export class ActionTransitionError extends KeyIncidentError {
  constructor(readonly refusal: TransitionRefusal, readonly action: Action) {
    super(`action_${refusal.replace('-', '_')}`, `Action ${action.id} is ${action.status}: ${refusal}`);
  }
}

const label = (a: Action) => `${ACTIONS[a.kind].title} (${targetName(a.kind, a.target)})`;
const iso = (d: Date) => d.toISOString();

/** A new proposal; `now` stamps it and sets its expiry; `approvalsFor` its quorum, from `attachment` (who made what it detaches). */
export function propose(
  { attachment, ...fields }: Pick<Action, 'incidentId' | 'id' | 'kind' | 'target' | 'proposedBy'> & { undoOf?: string; accountId?: string; attachment?: AttachmentOrigin },
  now: Date,
): Transition {
  const action: Action = {
    ...fields,
    status: ActionStatus.Proposed,
    ...approvalsFor(fields.kind, fields.target, attachment),
    approvals: [],
    proposedAt: iso(now),
    expiresAt: iso(new Date(now.getTime() + PROPOSAL_TTL_MS)),
    version: 1,
  };
  const { id: actionId, kind, target, approvalsRequired, attachment: origin, undoOf, accountId } = action;
  return {
    action,
    events: [{
      type: TimelineEventType.ActionProposed, actor: fields.proposedBy, summary: `Proposed: ${label(action)}`,
      details: { actionId, kind, target, approvalsRequired, ...(origin ? { attachment: origin } : {}), ...(undoOf ? { undoOf } : {}), ...(accountId ? { accountId } : {}) },
    }],
  };
}

export function isExpired(a: Action, now: Date): boolean {
  return a.status === ActionStatus.Proposed && now.getTime() >= Date.parse(a.expiresAt);
}

/**
 * One approver's approval. The same person approving again is refused (counts once); the
 * approval that completes the quorum moves the action to executing.
 */
export function approve(a: Action, userId: string, now: Date): Transition & { readonly execute: boolean } {
  if (a.status !== ActionStatus.Proposed) throw new ActionTransitionError('not-pending', a);
  if (isExpired(a, now)) throw new ActionTransitionError('expired', a);
  if (a.approvals.some((x) => x.userId === userId)) throw new ActionTransitionError('already-approved', a);
  const approvals = [...a.approvals, { userId, at: iso(now) }];
  const base = { actionId: a.id, kind: a.kind, approvals: approvals.length, of: a.approvalsRequired };
  if (approvals.length < a.approvalsRequired) {
    return {
      execute: false,
      action: { ...a, approvals },
      events: [{ type: TimelineEventType.ActionApprovalCounted, actor: userId, summary: `Approval ${approvals.length} of ${a.approvalsRequired}: ${label(a)}`, details: base }],
    };
  }
  return {
    execute: true,
    action: { ...a, approvals, status: ActionStatus.Executing, startedAt: iso(now) },
    events: [
      { type: TimelineEventType.ActionApproved, actor: userId, summary: `Approved: ${label(a)}`, details: { ...base, approvers: approvals.map((x) => x.userId) } },
      { type: TimelineEventType.ActionExecuting, actor: 'bot', summary: `Executing: ${label(a)}`, details: { actionId: a.id, kind: a.kind, target: a.target } },
    ],
  };
}

export function deny(a: Action, userId: string, now: Date): Transition {
  if (a.status !== ActionStatus.Proposed) throw new ActionTransitionError('not-pending', a);
  if (isExpired(a, now)) throw new ActionTransitionError('expired', a);
  return {
    action: { ...a, status: ActionStatus.Denied, deniedBy: userId, finishedAt: iso(now) },
    events: [{ type: TimelineEventType.ActionDenied, actor: userId, summary: `Denied: ${label(a)}`, details: { actionId: a.id, kind: a.kind } }],
  };
}

export function expire(a: Action, now: Date): Transition {
  if (!isExpired(a, now)) throw new ActionTransitionError('not-pending', a);
  return {
    action: { ...a, status: ActionStatus.Expired, finishedAt: iso(now) },
    events: [{ type: TimelineEventType.ActionExpired, actor: 'bot', summary: `Expired unapproved: ${label(a)}`, details: { actionId: a.id, kind: a.kind, expiresAt: a.expiresAt } }],
  };
}

/** A pending proposal retired because its incident was resolved: it can no longer be approved. */
export function expireOnResolve(a: Action, now: Date): Transition {
  if (a.status !== ActionStatus.Proposed) throw new ActionTransitionError('not-pending', a);
  return {
    action: { ...a, status: ActionStatus.Expired, expiredBecause: 'incident-resolved', finishedAt: iso(now) },
    events: [{ type: TimelineEventType.ActionExpired, actor: 'bot', summary: `Expired: incident resolved: ${label(a)}`, details: { actionId: a.id, kind: a.kind, reason: 'incident-resolved' } }],
  };
}

const SUCCESSFUL: ReadonlySet<OutcomeResult> = new Set([OutcomeResult.Done, OutcomeResult.Already, OutcomeResult.WouldHave]);

/** Records how the execution ended. */
export function finish(a: Action, outcome: ActionOutcome, now: Date, actor = 'bot'): Transition {
  if (a.status !== ActionStatus.Executing) throw new ActionTransitionError('not-executing', a);
  const ok = SUCCESSFUL.has(outcome.result);
  return {
    action: { ...a, status: ok ? ActionStatus.Succeeded : ActionStatus.Failed, outcome, finishedAt: iso(now) },
    events: [{
      type: ok ? TimelineEventType.ActionSucceeded : TimelineEventType.ActionFailed,
      actor,
      summary: `${ok ? 'Done' : 'Failed'}: ${label(a)}: ${outcome.message}`,
      details: { actionId: a.id, kind: a.kind, target: a.target, result: outcome.result, ...(outcome.code ? { code: outcome.code } : {}), ...(outcome.requestIds ? { requestIds: outcome.requestIds } : {}), ...(outcome.details ?? {}) },
    }],
  };
}

/** Whether the action changed something in AWS: it succeeded, and not as a dry run. */
export const tookEffect = (a: Action): boolean => a.status === ActionStatus.Succeeded && a.outcome?.result !== OutcomeResult.WouldHave;

/**
 * What an action offers next, and all it may be followed by: its undo once it succeeded (and
 * changed something), or proposing it again once it failed or expired. A denied one offers
 * nothing: an approver said no, and only a new proposal (from the menu) asks again.
 */
export function followUpOffered(a: Action): 'undo' | 'again' | undefined {
  if (a.status === ActionStatus.Succeeded && ACTIONS[a.kind].undo && a.outcome?.result === OutcomeResult.Done) return 'undo';
  if (a.status === ActionStatus.Failed || a.status === ActionStatus.Expired) return 'again';
  return undefined;
}

/** The latest action on each subject (what it changes), given oldest first; subjects in the order they first appear. */
export function latestPerSubject(actions: readonly Action[]): Action[] {
  const latest = new Map<string, Action>();
  for (const a of actions) latest.set(actionSubject(a.kind, a.target), a);
  return [...latest.values()];
}
