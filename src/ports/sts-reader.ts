export interface CallerIdentity {
  readonly account: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` for a role, `…:user/<name>` for a user. */
  readonly arn: string;
}

/** STS facts. Errors are `AwsError`. */
export interface StsReader {
  /** The account an access key belongs to (any key, any account). */
  getAccessKeyAccount(keyId: string): Promise<string>;
  /** Who the bot's own credentials are: account and principal ARN. */
  getCallerIdentity(): Promise<CallerIdentity>;
}
