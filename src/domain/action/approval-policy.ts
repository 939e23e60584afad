/** Who may approve, and while which incidents: pure decisions, refused with a code and the facts a view needs. */
import { type Incident, IncidentStatus } from '../incident/incident.js';
import { AGE_UNKNOWN, type AttachmentOrigin, namesAttachment, removesAttachment } from './attachment-origin.js';
import { ACTIONS, type ActionKind, type ActionTarget } from './kinds.js';

export interface ApproverSet {
  readonly anyone: boolean;
  readonly userIds: readonly string[];
  /** Members of the approver user group, when one is configured. */
  readonly groupMembers: readonly string[];
  readonly usergroupId?: string;
  /** `APPROVERS=anyone` is set, but the user asking is external (Slack Connect), so it does not reach them. */
  readonly externalExcluded?: boolean;
}

/** What only approvers may do. */
export type ApproverOnly = 'decide-action' | 'change-status' | 'list-accounts';

/** A refusal: `userId` is not among the approvers, who are `approvers`. */
export interface NotAnApprover {
  readonly code: 'not-an-approver';
  readonly action: ApproverOnly;
  readonly approvers: ApproverSet;
}

export type ApprovalDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: NotAnApprover };

/** Whether `userId` is one of the approvers (or anyone may approve). */
export function isApprover(userId: string, approvers: ApproverSet): boolean {
  return approvers.anyone || approvers.userIds.includes(userId) || approvers.groupMembers.includes(userId);
}

/** Whether `userId` may do `action`; refused with who can. */
export function mayApprove(userId: string, approvers: ApproverSet, action: ApproverOnly): ApprovalDecision {
  return isApprover(userId, approvers) ? { allowed: true } : { allowed: false, reason: { code: 'not-an-approver', action, approvers } };
}

/** Incident statuses in which actions may be proposed and approved: not once it is resolved. */
export const ACTING_STATUSES: ReadonlySet<IncidentStatus> = new Set([IncidentStatus.Open, IncidentStatus.Contained]);

/** A refusal: the incident is resolved, so its actions may no longer be proposed or approved. */
export interface IncidentNotActive {
  readonly code: 'incident-not-active';
  readonly incidentId: string;
  readonly status: IncidentStatus;
}

/** Whether actions may be proposed or approved on `incident` now. */
export function mayActOn(incident: Pick<Incident, 'id' | 'status'>): { readonly allowed: true } | { readonly allowed: false; readonly reason: IncidentNotActive } {
  return ACTING_STATUSES.has(incident.status) ? { allowed: true } : { allowed: false, reason: { code: 'incident-not-active', incidentId: incident.id, status: incident.status } };
}

/** How many distinct approvers a proposal needs, and for an attachment's removal what that rests on. */
export interface Quorum {
  readonly approvalsRequired: 1 | 2;
  readonly attachment?: AttachmentOrigin;
}

/**
 * The catalogue's quorum, except for removing a policy attachment: two approvers (it may be
 * one production relied on before the incident), one only when `origin` shows the reviewed key
 * created this attachment's role, user or policy. Decided when the proposal is stored, from
 * the review's findings or a stored action, never from what a click sends.
 */
export function approvalsFor(kind: ActionKind, target: ActionTarget, origin?: AttachmentOrigin): Quorum {
  if (!removesAttachment(kind)) return { approvalsRequired: ACTIONS[kind].approvalsRequired };
  if (origin && namesAttachment(kind, target, origin)) return { approvalsRequired: 1, attachment: origin };
  return { approvalsRequired: 2, attachment: AGE_UNKNOWN };
}
