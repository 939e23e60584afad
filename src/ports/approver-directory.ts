import type { ApproverSet } from '../domain/action/approval-policy.js';

/** Who may approve right now (the approver user group's members are looked up, briefly cached). */
export interface ApproverDirectory {
  approvers(): Promise<ApproverSet>;
}
