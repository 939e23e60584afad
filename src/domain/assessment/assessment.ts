/** What the bot found out about a key, filled in stage by stage. */

/**
 * How far a set of policies reaches, strongest first. `permissions` means it can change
 * IAM permissions (escalate to admin), which AWS treats like admin for containment.
 */
export const AccessLevel = {
  Admin: 'admin',
  Permissions: 'permissions',
  Write: 'write',
  Read: 'read',
  None: 'none',
  Unknown: 'unknown',
} as const;
export type AccessLevel = (typeof AccessLevel)[keyof typeof AccessLevel];

/** The key's account as AWS Organizations knows it (read from the bot's account). */
export type OrganizationFinding =
  | { readonly member: true; readonly name: string; readonly email?: string; readonly status?: string }
  /** The organization the bot can read does not contain the account. */
  | { readonly member: false };

/** What AWS Organizations answers about an account: what it knows, or AWS's code for why it cannot say. */
export type OrganizationAnswer =
  | { readonly kind: 'known'; readonly finding: OrganizationFinding }
  /** AWSOrganizationsNotInUseException, AccessDeniedException, throttling …: the bot cannot tell. */
  | { readonly kind: 'unavailable'; readonly code: string };

/** How the bot reaches another account, or why it cannot. */
export type CrossAccountReach =
  /** Through this role, assumed successfully. */
  | { readonly kind: 'role'; readonly roleArn: string }
  /** No member-account role is configured (`CROSS_ACCOUNT_ROLE_NAME`). */
  | { readonly kind: 'not-configured' }
  /**
   * Neither of the bot's organization nor in ALLOWED_ACCOUNT_IDS: no role is assumed there.
   * `code`: why Organizations could not say whether it holds the account (absent: it does not).
   */
  | { readonly kind: 'not-allowed'; readonly code?: string }
  /** AssumeRole on `roleArn` was refused or failed. */
  | { readonly kind: 'refused'; readonly roleArn: string; readonly code: string; readonly message: string; readonly externalId: boolean };

export interface AccountFinding {
  readonly accountId: string;
  /** The account the bot runs in, when known. */
  readonly botAccountId?: string;
  /** The bot's principal (for the member-account role's trust policy). */
  readonly botArn?: string;
  readonly sameAccount: boolean;
  /** Another account only. */
  readonly reach?: CrossAccountReach;
  /** Present when the bot may read AWS Organizations. */
  readonly organization?: OrganizationFinding;
}

/** Whether the bot can act in the key's account (its own, or another through the member-account role). */
export function canActIn(account: AccountFinding | undefined): boolean {
  return account === undefined || account.sameAccount || account.reach?.kind === 'role';
}

/** The other account the bot works in through a role; undefined for its own account. */
export function actingAccount(account: AccountFinding | undefined): string | undefined {
  return account && !account.sameAccount && account.reach?.kind === 'role' ? account.accountId : undefined;
}

export interface LastUse {
  /** ISO-8601 time. */
  readonly at: string;
  readonly service: string;
  readonly region: string;
}

export interface AccessKeyMeta {
  readonly keyId: string;
  readonly status: 'Active' | 'Inactive' | 'Expired';
  /** ISO-8601 time. */
  readonly createdAt?: string;
}

export interface OwnerFinding {
  readonly userName: string;
  readonly userArn?: string;
  readonly keyStatus?: AccessKeyMeta['status'];
  readonly keyCreatedAt?: string;
  /** The owner's other access keys. */
  readonly otherKeys: readonly AccessKeyMeta[];
  /** `null`: AWS says never used. */
  readonly lastUsed: LastUse | null;
}

export type PolicySourceKind = 'inline' | 'managed' | 'group-inline' | 'group-managed' | 'boundary';

export interface PolicySource {
  readonly kind: PolicySourceKind;
  readonly name: string;
  readonly arn?: string;
  readonly group?: string;
  readonly level: AccessLevel;
  /** e.g. "write to s3 on prod-data". */
  readonly summary: string;
}

export interface PermissionFinding {
  readonly level: AccessLevel;
  /** One line: "admin", "write to s3 on prod-data", "read-only". */
  readonly summary: string;
  /** An `AWSCompromisedKeyQuarantine*` policy is attached (by AWS or a person). */
  readonly quarantinePolicies: readonly string[];
  readonly boundaryArn?: string;
  /** Calls that read secret values (GetSecretValue, kms:Decrypt …) it is allowed; absent when none. */
  readonly secretReads?: readonly string[];
  readonly sources: readonly PolicySource[];
}

export const RecommendedAction = {
  DisableNow: 'disable-now',
  ReplaceFirst: 'replace-first',
  Disable: 'disable',
  Review: 'review',
} as const;
export type RecommendedAction = (typeof RecommendedAction)[keyof typeof RecommendedAction];

export interface Recommendation {
  readonly action: RecommendedAction;
  /** One line for the root message. */
  readonly headline: string;
  /** Why, in plain words. */
  readonly reason: string;
  /** Ordered next steps. */
  readonly steps: readonly string[];
}

/** Who a temporary (ASIA…) key belongs to, as CloudTrail shows it. */
export interface SessionFinding {
  /** A role session (AssumeRole…), or a user's session (GetSessionToken / GetFederationToken). */
  readonly kind: 'role' | 'user';
  readonly roleArn?: string;
  readonly roleName?: string;
  readonly sessionName?: string;
  readonly userName?: string;
  /** When the session was issued (ISO-8601), from the events' session context. */
  readonly issuedAt?: string;
  /** The key that minted it, when its issuing event was found. */
  readonly parentKeyId?: string;
  readonly issuedVia?: string;
  readonly events: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

export type AssessmentStage = 'account' | 'session' | 'owner' | 'permissions';

export interface AssessmentProblem {
  readonly stage: AssessmentStage;
  /** AWS's error code (AccessDenied …) or ours. */
  readonly code: string;
  /** Plain explanation for people. */
  readonly message: string;
}

export interface Assessment {
  readonly account?: AccountFinding;
  /** Temporary keys only. */
  readonly session?: SessionFinding;
  readonly owner?: OwnerFinding;
  readonly permissions?: PermissionFinding;
  readonly recommendation?: Recommendation;
  readonly problems: readonly AssessmentProblem[];
  readonly complete: boolean;
  /** When a restarted assessment began (ISO-8601); the first one began when the incident opened. */
  readonly startedAt?: string;
}

export const emptyAssessment = (): Assessment => ({ problems: [], complete: false });
