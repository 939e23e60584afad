/**
 * Use case: which accounts of the organization the bot can respond in. Lists the accounts from
 * AWS Organizations and assumes the member-account role in each active one, a few at a time,
 * so an operator sees what a StackSet roll-out missed before a key of that account leaks.
 */
import { mayApprove, type NotAnApprover } from '../domain/action/approval-policy.js';
import type { CrossAccountReach } from '../domain/assessment/assessment.js';
import type { OrganizationAccount } from '../ports/organizations-reader.js';
import { reachAccount } from './account-scope.js';
import type { ServiceDeps } from './deps.js';

/** AssumeRole calls in flight at once (STS allows far more; this keeps the answer prompt and polite). */
const CONCURRENCY = 8;

export interface AccountCoverage {
  readonly account: OrganizationAccount;
  /** `own`: the bot's account; `inactive`: suspended or closing, not checked. */
  readonly reach: CrossAccountReach | { readonly kind: 'own' } | { readonly kind: 'inactive' };
}

export type CoverageOutcome =
  | { readonly kind: 'refused'; readonly reason: NotAnApprover }
  /** Organizations cannot be listed from the bot's account; `code` is AWS's reason. */
  | { readonly kind: 'unavailable'; readonly code: string }
  | { readonly kind: 'checked'; readonly roleName?: string; readonly accounts: readonly AccountCoverage[] };

const isActive = (a: OrganizationAccount) => a.status === undefined || a.status === 'ACTIVE';

export async function accountCoverage(deps: ServiceDeps, userId: string): Promise<CoverageOutcome> {
  // Account names and e-mail addresses are for the people who run the response.
  const permission = mayApprove(userId, await deps.approvers.approvers(userId), 'list-accounts');
  if (!permission.allowed) return { kind: 'refused', reason: permission.reason };
  const [listing, bot] = await Promise.all([deps.organizations.listAccounts(), deps.sts.getCallerIdentity()]);
  if (listing.kind === 'unavailable') return listing;
  const accounts = [...listing.accounts].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const results: AccountCoverage[] = new Array(accounts.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < accounts.length; i = next++) {
      const account = accounts[i]!;
      const reach = account.id === bot.account ? { kind: 'own' as const }
        : !isActive(account) ? { kind: 'inactive' as const }
        // Listed by Organizations: a member, as DescribeAccount would say.
        : await reachAccount(deps, account.id, { kind: 'known', finding: { member: true, name: account.name } });
      results[i] = { account, reach };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, accounts.length) }, worker));
  const roleName = deps.accounts.roleName;
  return { kind: 'checked', ...(roleName ? { roleName } : {}), accounts: results };
}
