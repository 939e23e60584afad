import type { IamReader } from './iam-reader.js';
import type { IamWriter } from './iam-writer.js';
import type { SecretStore } from './secret-store.js';
import type { CloudTrailReader } from './cloudtrail-reader.js';

/** The ports that act inside one AWS account. */
export interface AccountPorts {
  readonly iam: IamReader;
  readonly iamWriter: IamWriter;
  readonly secrets: SecretStore;
  readonly trail: CloudTrailReader;
}

/**
 * Other AWS accounts, reached through the member-account role
 * (`arn:aws:iam::<account>:role/<CROSS_ACCOUNT_ROLE_NAME>`).
 */
export interface AccountGateway {
  /** The member-account role's name (CROSS_ACCOUNT_ROLE_NAME); undefined when cross-account response is off. */
  readonly roleName: string | undefined;
  /** The role the bot assumes in `accountId`; undefined when cross-account response is off. */
  roleArn(accountId: string): string | undefined;
  /** AssumeRole carries the configured external id. */
  readonly usesExternalId: boolean;
  /**
   * Ports acting in `accountId` through its role, its session assumed now or reused while it
   * lasts. Throws `AwsError` (operation AssumeRole) when the role cannot be assumed, with code
   * `CrossAccountRoleNotConfigured` when no role is configured.
   */
  portsIn(accountId: string): Promise<AccountPorts>;
  /** Assumes the role in `accountId` (or reuses its session) without making its clients; throws as `portsIn`. */
  check(accountId: string): Promise<void>;
}
