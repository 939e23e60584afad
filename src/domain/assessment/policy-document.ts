/** The parts of an IAM policy document the assessment reads. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, unknown>>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

export interface NamedPolicy {
  readonly name: string;
  /** Managed policies only. */
  readonly arn?: string;
  readonly document: PolicyDocument;
}

export interface GroupAccess {
  readonly name: string;
  readonly inline: readonly NamedPolicy[];
  readonly attached: readonly NamedPolicy[];
}

/** Everything that decides what an IAM user may do. */
export interface UserAccess {
  readonly userName: string;
  readonly userArn: string;
  readonly inline: readonly NamedPolicy[];
  readonly attached: readonly NamedPolicy[];
  readonly groups: readonly GroupAccess[];
  readonly boundary?: NamedPolicy;
}
