import type { OrganizationAnswer } from '../domain/assessment/assessment.js';

/** An account of the organization, as `ListAccounts` gives it. */
export interface OrganizationAccount {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE … */
  readonly status?: string;
}

/** The organization's accounts, or AWS's code for why they cannot be listed from the bot's account. */
export type OrganizationListing =
  | { readonly kind: 'listed'; readonly accounts: readonly OrganizationAccount[] }
  | { readonly kind: 'unavailable'; readonly code: string };

/** AWS Organizations, read from the bot's account. */
export interface OrganizationsReader {
  /**
   * The account as the bot's organization knows it (`member: false` when it does not hold it:
   * AccountNotFoundException), or `unavailable` with AWS's code when the bot cannot read
   * Organizations (no organization, not the management or a delegated administrator account,
   * no permission, throttling). Answers may be remembered for a few minutes. Never throws.
   */
  describeAccount(accountId: string): Promise<OrganizationAnswer>;
  /** Every account of the organization, all pages. Never throws. */
  listAccounts(): Promise<OrganizationListing>;
}
