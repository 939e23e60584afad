/**
 * `AccountGateway` over `sts:AssumeRole`: each other account gets its own SDK clients signed
 * with the member-account role's credentials (endpoints still from the standard chain), made
 * on first use and kept for the life of the process.
 */
import type { STSClient } from '@aws-sdk/client-sts';
import { AwsError } from '../../domain/errors.js';
import type { AccountGateway, AccountPorts } from '../../ports/account-gateway.js';
import { type AwsClients, createAwsClients, destroyAwsClients, type TemporaryCredentials } from '../aws-clients.js';
import { LookupPacer } from '../cloudtrail/lookup-pacer.js';
import { accountPorts } from './account-ports.js';
import { assumedRoleCredentials } from './assumed-role-credentials.js';

/** What the member accounts' CloudTrail shows as the bot's session. */
export const SESSION_NAME = 'key-incident';

export interface AssumedRoleGatewaySettings {
  /** The role every member account deploys; undefined turns cross-account response off. */
  readonly roleName?: string;
  readonly externalId?: string;
  readonly region: string;
  readonly maxAttempts: number;
  /** The bot's own STS client (its credentials assume the role). */
  readonly sts: STSClient;
}

/** `aws`, or the partition of China or GovCloud Regions. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

interface Reached {
  readonly clients: AwsClients;
  readonly ports: AccountPorts;
}

export class AssumedRoleGateway implements AccountGateway {
  /** Role credentials by account: checking an account makes no clients. */
  private readonly sessions = new Map<string, () => Promise<TemporaryCredentials>>();
  /** Clients and ports by account, made when the account is first worked in. */
  private readonly reached = new Map<string, Reached>();

  constructor(private readonly settings: AssumedRoleGatewaySettings) {}

  get roleName(): string | undefined {
    return this.settings.roleName;
  }

  get usesExternalId(): boolean {
    return this.settings.externalId !== undefined;
  }

  roleArn(accountId: string): string | undefined {
    const { roleName, region } = this.settings;
    return roleName === undefined ? undefined : `arn:${partitionOf(region)}:iam::${accountId}:role/${roleName}`;
  }

  async check(accountId: string): Promise<void> {
    await this.credentialsFor(accountId)();
  }

  async portsIn(accountId: string): Promise<AccountPorts> {
    const credentials = this.credentialsFor(accountId);
    // Assumes the role now (or reuses its session), so a refusal surfaces here as AwsError.
    await credentials();
    let reached = this.reached.get(accountId);
    if (!reached) {
      const clients = createAwsClients({ region: this.settings.region, maxAttempts: this.settings.maxAttempts, credentials });
      reached = { clients, ports: accountPorts(clients, new LookupPacer()) };
      this.reached.set(accountId, reached);
    }
    return reached.ports;
  }

  private credentialsFor(accountId: string): () => Promise<TemporaryCredentials> {
    if (!/^\d{12}$/.test(accountId)) throw new AwsError('InvalidAccountId', `${accountId} is not an AWS account id`, 'sts', 'AssumeRole');
    const roleArn = this.roleArn(accountId);
    if (roleArn === undefined) {
      throw new AwsError('CrossAccountRoleNotConfigured', 'CROSS_ACCOUNT_ROLE_NAME is not set, so the bot works in its own account only', 'sts', 'AssumeRole');
    }
    let credentials = this.sessions.get(accountId);
    if (!credentials) {
      const { externalId, sts } = this.settings;
      credentials = assumedRoleCredentials(sts, { roleArn, sessionName: SESSION_NAME, ...(externalId === undefined ? {} : { externalId }) });
      this.sessions.set(accountId, credentials);
    }
    return credentials;
  }

  /** Closes every account's connections, as `destroyAwsClients` does for the bot's own. */
  destroy(): void {
    for (const { clients } of this.reached.values()) destroyAwsClients(clients);
  }
}
