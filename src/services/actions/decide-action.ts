/** Use case: an approver approves or denies a proposal; the quorum's last approval executes it. */
import { type Action, ActionTransitionError, approve, deny, expire, isExpired, type TransitionRefusal } from '../../domain/action/lifecycle.js';
import { withAttempt } from '../../domain/action/attempt.js';
import { type IncidentNotActive, mayActOn, mayApprove, type NotAnApprover } from '../../domain/action/approval-policy.js';
import { IncidentNotActiveError, StaleActionError } from '../../domain/errors.js';
import { type Incident, IncidentStatus, TimelineEventType } from '../../domain/incident/incident.js';
import type { ServiceDeps } from '../deps.js';
import { retryOnConflict } from '../shared/retry-on-conflict.js';
import { newEvent } from '../shared/timeline-events.js';
import { recordTransition } from './action-records.js';
import { showAction } from '../shared/show-in-slack.js';
import { executeAction } from './execute-action.js';

export interface DecideRequest {
  /** The incident the click came from, as the caller just read it. */
  readonly incident: Incident;
  readonly actionId: string;
  readonly userId: string;
  readonly decision: 'approve' | 'deny';
}

export type DecideOutcome =
  | { readonly kind: 'refused'; readonly reason: NotAnApprover }
  /** The incident is resolved: nothing of it is approved any more. */
  | { readonly kind: 'inactive'; readonly reason: IncidentNotActive }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'expired'; readonly action: Action }
  | { readonly kind: 'counted'; readonly action: Action }
  | { readonly kind: 'denied'; readonly action: Action }
  | { readonly kind: 'executed'; readonly action: Action }
  | { readonly kind: 'unchanged'; readonly action: Action; readonly refusal: TransitionRefusal };

/**
 * Counts, denies or expires the action as `req.userId` asks, when they may approve; the
 * quorum's last approval executes it, as attempt 1, at once: Slack is shown each record in the
 * background, so no IAM call waits for a Slack call. Refused once the incident is resolved: the
 * write that starts executing checks the incident's status in the same transaction, so an
 * approval racing `resolve` either starts before the incident is recorded resolved (and
 * finishes) or is refused.
 */
export async function decideAction(deps: ServiceDeps, req: DecideRequest): Promise<DecideOutcome> {
  const { incident } = req;
  const permission = mayApprove(req.userId, await deps.approvers.approvers(req.userId), 'decide-action');
  if (!permission.allowed) {
    await deps.repo.append(newEvent(deps, incident.id, TimelineEventType.ActionRefused, req.userId,
      `Refused ${req.decision} by a non-approver`, { actionId: req.actionId, decision: req.decision, reason: permission.reason.code }));
    return { kind: 'refused', reason: permission.reason };
  }
  const active = mayActOn(incident);
  if (!active.allowed) return { kind: 'inactive', reason: active.reason };
  // Someone else changed it between our read and write: read again and decide again.
  return retryOnConflict((err) => err instanceof StaleActionError, async (): Promise<DecideOutcome> => {
    const action = await deps.actions.get(incident.id, req.actionId);
    if (!action) return { kind: 'not-found' };
    const now = deps.clock.now();
    try {
      if (isExpired(action, now)) {
        const expired = await recordTransition(deps, incident, action, expire(action, now));
        showAction(deps, incident, expired);
        return { kind: 'expired', action: expired };
      }
      if (req.decision === 'deny') {
        const denied = await recordTransition(deps, incident, action, deny(action, req.userId, now));
        showAction(deps, incident, denied);
        return { kind: 'denied', action: denied };
      }
      const t = approve(action, req.userId, now);
      const next = t.execute ? { ...t, action: withAttempt(t.action, deps.ids.eventId(), now, deps.execution.leaseMs) } : t;
      const stored = await recordTransition(deps, incident, action, next);
      showAction(deps, incident, stored);
      if (!t.execute) return { kind: 'counted', action: stored };
      return { kind: 'executed', action: await executeAction(deps, incident, stored) };
    } catch (err) {
      if (err instanceof ActionTransitionError) return { kind: 'unchanged', action: err.action, refusal: err.refusal };
      if (err instanceof IncidentNotActiveError) return { kind: 'inactive', reason: { code: 'incident-not-active', incidentId: incident.id, status: IncidentStatus.Resolved } };
      throw err;
    }
  });
}
