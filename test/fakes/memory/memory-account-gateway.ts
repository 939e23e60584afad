/**
 * `AccountGateway` in memory: each other account is its own IAM world, secret store and
 * CloudTrail, made on first use. An account can refuse the role (`refuse`), and with no role
 * name cross-account response is off (CrossAccountRoleNotConfigured).
 */
import { AwsError } from '../../../src/domain/errors.js';
import type { AccountGateway } from '../../../src/ports/account-gateway.js';
import type { Clock } from '../../../src/ports/clock.js';
import { Faults } from './faults.js';
import { MemoryCloudTrailReader } from './memory-cloudtrail-reader.js';
import { MemoryIam } from './memory-iam.js';
import { MemorySecretStore } from './memory-secret-store.js';

export interface MemoryAccountPorts {
  readonly iam: MemoryIam;
  readonly iamWriter: MemoryIam;
  readonly secrets: MemorySecretStore;
  readonly trail: MemoryCloudTrailReader;
}

export class MemoryAccountGateway implements AccountGateway {
  readonly faults = new Faults<'portsIn' | 'check'>();
  private readonly accounts = new Map<string, MemoryAccountPorts>();
  private readonly refusals = new Map<string, string>();

  constructor(private readonly clock: Clock, public roleName: string | undefined = 'KeyIncidentResponder', readonly usesExternalId = false) {}

  roleArn(accountId: string): string | undefined {
    return this.roleName === undefined ? undefined : `arn:aws:iam::${accountId}:role/${this.roleName}`;
  }

  /** The ports of `accountId` (made on first use), to seed and inspect. */
  account(accountId: string): MemoryAccountPorts {
    let ports = this.accounts.get(accountId);
    if (!ports) {
      const iam = new MemoryIam(this.clock, accountId);
      ports = { iam, iamWriter: iam, secrets: new MemorySecretStore(accountId), trail: new MemoryCloudTrailReader() };
      this.accounts.set(accountId, ports);
    }
    return ports;
  }

  /** AssumeRole into `accountId` fails with AWS's `code` (the role is not deployed, or trusts another principal). */
  refuse(accountId: string, code = 'AccessDenied'): void {
    this.refusals.set(accountId, code);
  }

  async portsIn(accountId: string): Promise<MemoryAccountPorts> {
    await this.faults.enter('portsIn', [accountId]);
    this.assume(accountId);
    return this.account(accountId);
  }

  async check(accountId: string): Promise<void> {
    await this.faults.enter('check', [accountId]);
    this.assume(accountId);
  }

  private assume(accountId: string): void {
    if (!/^\d{12}$/.test(accountId)) throw new AwsError('InvalidAccountId', `${accountId} is not an AWS account id`, 'sts', 'AssumeRole');
    if (this.roleName === undefined) {
      throw new AwsError('CrossAccountRoleNotConfigured', 'CROSS_ACCOUNT_ROLE_NAME is not set, so the bot works in its own account only', 'sts', 'AssumeRole');
    }
    const code = this.refusals.get(accountId);
    if (code) throw new AwsError(code, `Not authorized to perform sts:AssumeRole on ${this.roleArn(accountId)}`, 'sts', 'AssumeRole');
  }
}
