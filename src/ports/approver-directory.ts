import type { ApproverSet } from '../domain/action/approval-policy.js';

/**
 * Who may approve right now, as it applies to `userId` (the approver user group's members are
 * looked up, briefly cached; `APPROVERS=anyone` does not reach an external, Slack Connect, user).
 */
export interface ApproverDirectory {
  approvers(userId: string): Promise<ApproverSet>;
}
