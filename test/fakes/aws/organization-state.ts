/**
 * The AWS Organization the fake knows, if any: its management account, delegated
 * administrators and member accounts. The management account is itself a member; when the seed
 * does not list it, it is added first (joined by invitation, as the management account shows).
 */
import { SEED_TIME, uniqueId } from './state.js';

export type OrganizationAccountStatus = 'ACTIVE' | 'SUSPENDED';
export type JoinedMethod = 'INVITED' | 'CREATED';

export interface OrganizationAccountSeed {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  /** Default ACTIVE. */
  readonly status?: OrganizationAccountStatus;
  /** Default CREATED (INVITED for the management account). */
  readonly joinedMethod?: JoinedMethod;
  /** Default: the fixed seed time. */
  readonly joinedAt?: Date | string;
}

export interface OrganizationSeed {
  readonly managementAccount: string;
  /** Member accounts registered as delegated administrators (they may read the organization). */
  readonly delegatedAdmins?: readonly string[];
  readonly accounts?: readonly OrganizationAccountSeed[];
  /** `o-` and 10 to 32 lowercase letters or digits; derived from the management account by default. */
  readonly id?: string;
}

export interface OrganizationAccount {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly email: string;
  readonly status: OrganizationAccountStatus;
  readonly joinedMethod: JoinedMethod;
  readonly joinedAt: Date;
}

export class OrganizationState {
  readonly id: string;
  readonly managementAccount: string;
  readonly accounts: readonly OrganizationAccount[];
  private readonly delegatedAdmins: ReadonlySet<string>;

  constructor(seed: OrganizationSeed) {
    this.managementAccount = seed.managementAccount;
    this.id = seed.id ?? `o-${uniqueId('', `organization/${seed.managementAccount}`).slice(0, 10).toLowerCase()}`;
    this.delegatedAdmins = new Set(seed.delegatedAdmins);
    const listed = seed.accounts ?? [];
    const management = listed.some((a) => a.id === seed.managementAccount)
      ? []
      : [{ id: seed.managementAccount, name: 'Management', email: `aws+${seed.managementAccount}@example.com` }];
    this.accounts = [...management, ...listed].map((a) => this.account(a));
  }

  member(accountId: string): OrganizationAccount | undefined {
    return this.accounts.find((a) => a.id === accountId);
  }

  /** Whether `accountId` may read the organization: its management account or a delegated administrator. */
  administers(accountId: string): boolean {
    return accountId === this.managementAccount || (this.delegatedAdmins.has(accountId) && this.member(accountId) !== undefined);
  }

  private account(seed: OrganizationAccountSeed): OrganizationAccount {
    return {
      id: seed.id,
      arn: `arn:aws:organizations::${this.managementAccount}:account/${this.id}/${seed.id}`,
      name: seed.name,
      email: seed.email,
      status: seed.status ?? 'ACTIVE',
      joinedMethod: seed.joinedMethod ?? (seed.id === this.managementAccount ? 'INVITED' : 'CREATED'),
      joinedAt: new Date(seed.joinedAt ?? SEED_TIME),
    };
  }
}
