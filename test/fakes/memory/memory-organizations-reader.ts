import type { OrganizationFinding } from '../../../src/domain/assessment/assessment.js';
import type { OrganizationAccount, OrganizationListing, OrganizationsReader } from '../../../src/ports/organizations-reader.js';
import { Faults } from './faults.js';

/**
 * `OrganizationsReader` in memory. Never throws, as the port promises: an injected failure
 * reads as "cannot read Organizations" (undefined, or `unavailable` with the error's code).
 */
export class MemoryOrganizationsReader implements OrganizationsReader {
  readonly faults = new Faults<keyof OrganizationsReader & string>();
  /** Undefined: the bot cannot read Organizations (no organization, no permission). */
  unavailableCode: string | undefined = 'AWSOrganizationsNotInUseException';
  readonly accounts: OrganizationAccount[] = [];

  /** Makes the organization readable with `accounts` in it. */
  withAccounts(...accounts: OrganizationAccount[]): this {
    this.unavailableCode = undefined;
    this.accounts.push(...accounts);
    return this;
  }

  async describeAccount(accountId: string): Promise<OrganizationFinding | undefined> {
    const failed = await this.faults.enter('describeAccount', [accountId]).then(() => false, () => true);
    if (failed || this.unavailableCode !== undefined) return undefined;
    const account = this.accounts.find((a) => a.id === accountId);
    if (!account) return { member: false };
    return { member: true, name: account.name, ...(account.email ? { email: account.email } : {}), ...(account.status ? { status: account.status } : {}) };
  }

  async listAccounts(): Promise<OrganizationListing> {
    const failure = await this.faults.enter('listAccounts').then(() => undefined, (err: { code?: string }) => err.code ?? 'Unknown');
    const code = failure ?? this.unavailableCode;
    return code !== undefined ? { kind: 'unavailable', code } : { kind: 'listed', accounts: this.accounts.map((a) => ({ ...a })) };
  }
}
