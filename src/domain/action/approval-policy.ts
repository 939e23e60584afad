/** Who may approve: a pure decision with a reason people can read. */

export interface ApproverSet {
  readonly anyone: boolean;
  readonly userIds: readonly string[];
  /** Members of the approver user group, when one is configured. */
  readonly groupMembers: readonly string[];
  readonly usergroupId?: string;
}

export type ApprovalDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export function mayApprove(userId: string, approvers: ApproverSet): ApprovalDecision {
  if (approvers.anyone || approvers.userIds.includes(userId) || approvers.groupMembers.includes(userId)) return { allowed: true };
  const who = [
    approvers.userIds.length > 0 ? 'the approvers named in APPROVER_USER_IDS' : undefined,
    approvers.usergroupId ? 'members of the approver user group' : undefined,
  ].filter((x): x is string => x !== undefined).join(' or ');
  return { allowed: false, reason: `Only ${who || 'the configured approvers'} can approve or deny actions. Ask one of them.` };
}
