import type { ApproverSet } from '../../../src/domain/action/approval-policy.js';
import type { ApproverDirectory } from '../../../src/ports/approver-directory.js';
import { Faults } from './faults.js';

export const APPROVER = 'U0APPROVER';
export const SECOND_APPROVER = 'U0APPROVER2';
export const NON_APPROVER = 'U0BYSTANDER';

/** `ApproverDirectory` in memory: two named approvers unless a test sets others; `external` users are not reached by `anyone`. */
export class MemoryApproverDirectory implements ApproverDirectory {
  readonly faults = new Faults<keyof ApproverDirectory & string>();
  current: ApproverSet = { anyone: false, userIds: [APPROVER, SECOND_APPROVER], groupMembers: [] };
  readonly external = new Set<string>();

  async approvers(userId: string): Promise<ApproverSet> {
    await this.faults.enter('approvers', [userId]);
    const excluded = this.current.anyone && this.external.has(userId);
    return {
      ...this.current, userIds: [...this.current.userIds], groupMembers: [...this.current.groupMembers],
      ...(excluded ? { anyone: false, externalExcluded: true } : {}),
    };
  }
}
