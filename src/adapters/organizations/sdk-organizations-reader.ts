/**
 * `OrganizationsReader` over the AWS SDK: `DescribeAccount` and `ListAccounts` from the bot's
 * account, which Organizations answers only in the management account or a delegated
 * administrator. For the assessment, anything else it says (no organization, not allowed,
 * throttled …) means "unknown here", and a refusal that holds for the whole bot is remembered
 * for a minute so that a bot outside any organization does not ask on every incident.
 */
import { type Account, DescribeAccountCommand, type OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import type { OrganizationFinding } from '../../domain/assessment/assessment.js';
import type { OrganizationAccount, OrganizationListing, OrganizationsReader } from '../../ports/organizations-reader.js';
import { toAwsError } from '../aws-errors.js';

/** Answers that hold for the whole bot, not one account: no need to ask again soon. */
const UNAVAILABLE = new Set(['AWSOrganizationsNotInUseException', 'AccessDeniedException', 'AccessDenied']);
const UNAVAILABLE_FOR_MS = 60_000;

export interface OrganizationsLog {
  debug(details: object, message: string): void;
}

export class SdkOrganizationsReader implements OrganizationsReader {
  private unavailableUntil = 0;

  constructor(
    private readonly organizations: OrganizationsClient,
    private readonly log: OrganizationsLog,
    private readonly now: () => number = Date.now,
  ) {}

  async describeAccount(accountId: string): Promise<OrganizationFinding | undefined> {
    if (this.now() < this.unavailableUntil) return undefined;
    try {
      const { Account: account } = await this.organizations.send(new DescribeAccountCommand({ AccountId: accountId }));
      const found = account && accountOf(account);
      return found ? { member: true, name: found.name, ...(found.email ? { email: found.email } : {}), ...(found.status ? { status: found.status } : {}) } : undefined;
    } catch (err) {
      const error = toAwsError(err, 'organizations', 'DescribeAccount');
      if (error.code === 'AccountNotFoundException') return { member: false };
      if (UNAVAILABLE.has(error.code)) this.unavailableUntil = this.now() + UNAVAILABLE_FOR_MS;
      this.log.debug({ awsError: error.code, requestId: error.requestId }, 'organizations lookup unavailable');
      return undefined;
    }
  }

  async listAccounts(): Promise<OrganizationListing> {
    const accounts: OrganizationAccount[] = [];
    try {
      for await (const page of paginateListAccounts({ client: this.organizations }, {})) {
        for (const account of page.Accounts ?? []) {
          const found = accountOf(account);
          if (found) accounts.push(found);
        }
      }
    } catch (err) {
      const error = toAwsError(err, 'organizations', 'ListAccounts');
      this.log.debug({ awsError: error.code, requestId: error.requestId }, 'organizations listing unavailable');
      return { kind: 'unavailable', code: error.code };
    }
    return { kind: 'listed', accounts };
  }
}

/** An account as the bot shows it; State (which replaces Status) when AWS gives it. */
function accountOf(account: Account): OrganizationAccount | undefined {
  if (!account.Id || !account.Name) return undefined;
  const status = account.State ?? account.Status;
  return { id: account.Id, name: account.Name, ...(account.Email ? { email: account.Email } : {}), ...(status ? { status } : {}) };
}
