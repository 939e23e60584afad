/** What a CloudTrail review works with and produces. */

/** One CloudTrail record, as parsed from LookupEvents' `CloudTrailEvent` JSON (fields the review reads). */
export interface TrailEvent {
  readonly eventId: string;
  /** ISO-8601. */
  readonly eventTime: string;
  readonly eventName: string;
  /** e.g. `iam.amazonaws.com`. */
  readonly eventSource: string;
  readonly awsRegion: string;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** CloudTrail's own read/write flag when present. */
  readonly readOnly?: boolean;
  readonly userIdentity?: {
    readonly type?: string;
    readonly arn?: string;
    readonly accountId?: string;
    readonly accessKeyId?: string;
    readonly userName?: string;
    readonly sessionContext?: {
      readonly sessionIssuer?: { readonly type?: string; readonly arn?: string; readonly userName?: string };
      readonly attributes?: { readonly creationDate?: string; readonly mfaAuthenticated?: string };
    };
  };
  readonly requestParameters?: Readonly<Record<string, unknown>> | null;
  readonly responseElements?: Readonly<Record<string, unknown>> | null;
  readonly resources?: ReadonlyArray<{ readonly type?: string; readonly ARN?: string }>;
}

/** Temporary credentials minted by an event made with a key under review. */
export interface DerivedCredential {
  /** The `ASIA…` key id of the temporary credentials. */
  readonly accessKeyId: string;
  /** The key that minted it. */
  readonly parentAccessKeyId: string;
  readonly via: 'GetSessionToken' | 'GetFederationToken' | 'AssumeRole' | 'AssumeRoleWithSAML' | 'AssumeRoleWithWebIdentity';
  /** For role sessions: the role's ARN (revoked per role, not per user). */
  readonly roleArn?: string;
  readonly sessionName?: string;
  /** ISO-8601. */
  readonly expiration?: string;
  readonly eventId: string;
  readonly eventTime: string;
  readonly region: string;
  readonly sourceIPAddress?: string;
}

export const FindingCategory = {
  IamPersistence: 'iam-persistence',
  DefenceEvasion: 'defence-evasion',
  Spend: 'spend',
  Data: 'data',
} as const;
export type FindingCategory = (typeof FindingCategory)[keyof typeof FindingCategory];

/** Something an attacker did that needs a person's attention, with its evidence. */
export interface Finding {
  readonly category: FindingCategory;
  /** e.g. `CreateAccessKey`. */
  readonly eventName: string;
  /** The rule that made it, `<service>:<EventName>` (`secretsmanager:GetSecretValue`). */
  readonly rule?: string;
  /** One plain line: "Created access key AKIA… for user backup-admin". */
  readonly summary: string;
  readonly eventId: string;
  readonly eventTime: string;
  readonly region: string;
  readonly sourceIPAddress?: string;
  /** The key id (AKIA/ASIA) the event was made with. */
  readonly accessKeyId?: string;
  /** What can be cleaned up, when the bot knows how (IAM persistence). */
  readonly cleanup?: CleanupTarget;
  /** For other resources: where to look and how to remove it. */
  readonly consoleUrl?: string;
  readonly cliCommand?: string;
}

/**
 * The findings of one rule on one resource, folded into one: its evidence (`eventId`,
 * `eventTime`, region, source IP, key) is the earliest event's.
 */
export interface FindingGroup extends Finding {
  /** Events folded into it. */
  readonly count: number;
  /** ISO-8601 times of the earliest and the latest of them. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** The earliest few event ids, earliest first. */
  readonly sampleEventIds: readonly string[];
  /** Set on the finding that counts a rule's events on resources past the cap of distinct ones. */
  readonly folded?: true;
}

/** An IAM leftover the bot can propose to remove through the approval flow. */
export type CleanupTarget =
  | { readonly kind: 'delete-access-key'; readonly userName: string; readonly accessKeyId: string }
  | { readonly kind: 'delete-login-profile'; readonly userName: string }
  | { readonly kind: 'delete-user'; readonly userName: string }
  | { readonly kind: 'detach-user-policy'; readonly userName: string; readonly policyArn: string }
  | { readonly kind: 'delete-user-policy'; readonly userName: string; readonly policyName: string }
  | { readonly kind: 'detach-role-policy'; readonly roleName: string; readonly policyArn: string }
  | { readonly kind: 'delete-role-policy'; readonly roleName: string; readonly policyName: string };

/** Counts kept as events stream in; memory grows with distinct values, not with events. */
export interface ActivitySummary {
  readonly events: number;
  readonly firstEventTime?: string;
  readonly lastEventTime?: string;
  /** Value → count, largest first, capped (the rest summed under `others`). */
  readonly sourceIps: ReadonlyArray<{ readonly value: string; readonly count: number }>;
  readonly userAgents: ReadonlyArray<{ readonly value: string; readonly count: number }>;
  readonly regions: ReadonlyArray<{ readonly value: string; readonly count: number }>;
  readonly services: ReadonlyArray<{ readonly value: string; readonly count: number }>;
  readonly writes: number;
  readonly reads: number;
  readonly errors: number;
  /** Runs of AccessDenied-like errors in a row: reconnaissance. */
  readonly errorBursts: ReadonlyArray<{ readonly start: string; readonly end: string; readonly count: number; readonly region: string }>;
}
