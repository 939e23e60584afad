import type { OrganizationAnswer } from '../../../src/domain/assessment/assessment.js';
import type { OrganizationAccount, OrganizationListing, OrganizationsReader } from '../../../src/ports/organizations-reader.js';
import { Faults } from './faults.js';

/**
 * `OrganizationsReader` in memory. Never throws, as the port promises: an injected failure
 * reads as "cannot read Organizations" (`unavailable` with the error's code). It remembers
 * nothing: a change to `accounts` shows at the next call.
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

  async describeAccount(accountId: string): Promise<OrganizationAnswer> {
    const failure = await this.faults.enter('describeAccount', [accountId]).then(() => undefined, (err: { code?: string }) => err.code ?? 'Unknown');
    const code = failure ?? this.unavailableCode;
    if (code !== undefined) return { kind: 'unavailable', code };
    const account = this.accounts.find((a) => a.id === accountId);
    if (!account) return { kind: 'known', finding: { member: false } };
    const { name, email, status } = account;
    return { kind: 'known', finding: { member: true, name, ...(email ? { email } : {}), ...(status ? { status } : {}) } };
  }

  async listAccounts(): Promise<OrganizationListing> {
    const failure = await this.faults.enter('listAccounts').then(() => undefined, (err: { code?: string }) => err.code ?? 'Unknown');
    const code = failure ?? this.unavailableCode;
    return code !== undefined ? { kind: 'unavailable', code } : { kind: 'listed', accounts: this.accounts.map((a) => ({ ...a })) };
  }
}
