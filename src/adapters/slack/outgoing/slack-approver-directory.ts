/**
 * Approvers from configuration, with the user group's members read from Slack and cached
 * briefly; `APPROVERS=anyone` stops at external (Slack Connect) users.
 */
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

/** How long a user group's membership, or whether a user is external, is trusted before it is read again. */
export const MEMBERSHIP_TTL_MS = 60_000;

/** The organization a user or the bot belongs to: the enterprise (Grid) when there is one, else the workspace. */
function orgOf(x: { team_id?: string; enterprise_id?: string; enterprise_user?: { enterprise_id?: string } } | undefined): string | undefined {
  return x?.enterprise_user?.enterprise_id ?? x?.enterprise_id ?? x?.team_id;
}

export class SlackApproverDirectory implements ApproverDirectory {
  private cached: { members: readonly string[]; at: number } | undefined;
  private inFlight: Promise<readonly string[]> | undefined;
  private ownOrg: Promise<string | undefined> | undefined;
  private readonly external = new Map<string, { external: boolean; at: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly settings: ApproverSettings,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async approvers(userId: string): Promise<ApproverSet> {
    const { anyone, userIds, usergroupId } = this.settings;
    const [groupMembers, external] = await Promise.all([usergroupId ? this.members(usergroupId) : [], anyone ? this.isExternal(userId) : false]);
    return { anyone: anyone && !external, userIds, ...(usergroupId ? { usergroupId } : {}), groupMembers, ...(external ? { externalExcluded: true } : {}) };
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
        // Fail closed: the cached members are older than their TTL, so nobody gains approval through the group.
        this.log.warn({ usergroup, err: err.code }, 'cannot read approver group');
        return [];
      })
      .finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  /**
   * Whether `userId` is external: `users.info` marks a stranger, or names another workspace of
   * another organization than the bot's. Unknown (Slack failed) counts as external: fail closed.
   */
  private async isExternal(userId: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const known = this.external.get(userId);
    if (known && now - known.at < MEMBERSHIP_TTL_MS) return known.external;
    try {
      this.ownOrg ??= callWebApi('auth.test', () => this.client.auth.test()).then((res) => orgOf(res as { team_id?: string; enterprise_id?: string }));
      const [own, res] = await Promise.all([this.ownOrg, callWebApi('users.info', () => this.client.users.info({ user: userId }))]);
      const user = res.user as ({ is_stranger?: boolean; team_id?: string; enterprise_user?: { enterprise_id?: string } } | undefined);
      const external = user?.is_stranger === true || own === undefined || orgOf(user) !== own;
      this.external.set(userId, { external, at: now });
      return external;
    } catch (err) {
      this.ownOrg = undefined;
      this.log.warn({ user: userId, err: (err as SlackError).code }, 'cannot tell whether a user is external');
      return true;
    }
  }
}
