/**
 * `OrganizationsReader` over the AWS SDK: `DescribeAccount` and `ListAccounts` from the bot's
 * account, which Organizations answers only in the management account or a delegated
 * administrator. What it says of an account is remembered for a while, for a bounded number of
 * accounts (every action asks again whether its account may be acted in); a refusal that holds
 * for the whole bot (no organization, not allowed) for a minute, so that a bot outside any
 * organization does not ask on every incident. Throttling and other passing failures are not
 * remembered.
 */
import { type Account, DescribeAccountCommand, type OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import type { OrganizationAnswer, OrganizationFinding } from '../../domain/assessment/assessment.js';
import type { OrganizationAccount, OrganizationListing, OrganizationsReader } from '../../ports/organizations-reader.js';
import { toAwsError } from '../aws-errors.js';

/** Answers that hold for the whole bot, not one account: no need to ask again soon. */
const UNAVAILABLE = new Set(['AWSOrganizationsNotInUseException', 'AccessDeniedException', 'AccessDenied']);
const UNAVAILABLE_FOR_MS = 60_000;
/** A member stays one for a while; an account found outside is asked again sooner (it may have joined). */
const MEMBER_FOR_MS = 5 * 60_000;
const NOT_MEMBER_FOR_MS = 60_000;
/** Accounts remembered at most; the oldest answer goes first. */
const REMEMBERED_ACCOUNTS = 1_000;

export interface OrganizationsLog {
  debug(details: object, message: string): void;
}

interface Remembered {
  readonly finding: OrganizationFinding;
  readonly until: number;
}

export class SdkOrganizationsReader implements OrganizationsReader {
  private unavailable: { readonly code: string; readonly until: number } | undefined;
  private readonly known = new Map<string, Remembered>();

  constructor(
    private readonly organizations: OrganizationsClient,
    private readonly log: OrganizationsLog,
    private readonly now: () => number = Date.now,
    private readonly capacity = REMEMBERED_ACCOUNTS,
  ) {}

  async describeAccount(accountId: string): Promise<OrganizationAnswer> {
    const now = this.now();
    if (this.unavailable && now < this.unavailable.until) return { kind: 'unavailable', code: this.unavailable.code };
    const remembered = this.known.get(accountId);
    if (remembered && now < remembered.until) return { kind: 'known', finding: remembered.finding };
    try {
      const { Account: account } = await this.organizations.send(new DescribeAccountCommand({ AccountId: accountId }));
      const found = account && accountOf(account);
      // An answer without the account's id and name says nothing: not remembered, not trusted.
      if (!found || found.id !== accountId) return { kind: 'unavailable', code: 'IncompleteAnswer' };
      return this.remember(accountId, { member: true, name: found.name, ...(found.email ? { email: found.email } : {}), ...(found.status ? { status: found.status } : {}) });
    } catch (err) {
      const error = toAwsError(err, 'organizations', 'DescribeAccount');
      if (error.code === 'AccountNotFoundException') return this.remember(accountId, { member: false });
      if (UNAVAILABLE.has(error.code)) this.unavailable = { code: error.code, until: this.now() + UNAVAILABLE_FOR_MS };
      this.log.debug({ awsError: error.code, requestId: error.requestId }, 'organizations lookup unavailable');
      return { kind: 'unavailable', code: error.code };
    }
  }

  private remember(accountId: string, finding: OrganizationFinding): OrganizationAnswer {
    this.known.delete(accountId);
    if (this.known.size >= this.capacity) this.known.delete(this.known.keys().next().value!);
    this.known.set(accountId, { finding, until: this.now() + (finding.member ? MEMBER_FOR_MS : NOT_MEMBER_FOR_MS) });
    return { kind: 'known', finding };
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
