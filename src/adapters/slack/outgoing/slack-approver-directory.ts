/** Approvers from configuration, with the user group's members read from Slack and cached briefly. */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ApproverSet } from '../../../domain/action/approval-policy.js';
import type { SlackError } from '../../../domain/errors.js';
import type { ApproverDirectory } from '../../../ports/approver-directory.js';
import type { Clock } from '../../../ports/clock.js';
import { callWebApi } from './web-api-call.js';

export interface ApproverSettings {
  readonly userIds: readonly string[];
  readonly usergroupId?: string;
  readonly anyone: boolean;
}

/** How long a user group's membership is trusted before it is read again. */
export const MEMBERSHIP_TTL_MS = 60_000;

export class SlackApproverDirectory implements ApproverDirectory {
  private cached: { members: readonly string[]; at: number } | undefined;
  private inFlight: Promise<readonly string[]> | undefined;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly settings: ApproverSettings,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async approvers(): Promise<ApproverSet> {
    const base = { anyone: this.settings.anyone, userIds: this.settings.userIds, ...(this.settings.usergroupId ? { usergroupId: this.settings.usergroupId } : {}) };
    return { ...base, groupMembers: this.settings.usergroupId ? await this.members(this.settings.usergroupId) : [] };
  }

  private async members(usergroup: string): Promise<readonly string[]> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.at < MEMBERSHIP_TTL_MS) return this.cached.members;
    this.inFlight ??= callWebApi('usergroups.users.list', () => this.client.usergroups.users.list({ usergroup }))
      .then((res) => {
        this.cached = { members: res.users ?? [], at: this.clock.now().getTime() };
        return this.cached.members;
      })
      .catch((err: SlackError) => {
        // Fail closed: without a fresh answer nobody gains approval through the group.
        this.log.warn({ usergroup, err: err.code }, 'cannot read approver group');
        return this.cached?.members ?? [];
      })
      .finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }
}
