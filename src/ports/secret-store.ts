import type { NewAccessKey } from '../domain/action/iam-footprint.js';

/** How a replacement secret is fenced off before any value goes into it. */
export interface SecretGuard {
  readonly description: string;
  /** The customer managed KMS key (id, ARN or alias) the value is encrypted with. */
  readonly kmsKeyId: string;
  /** The resource policy (JSON), put with BlockPublicPolicy. */
  readonly resourcePolicy: string;
}

/** A secret by name: its ARN, and whether a value is stored in it. */
export interface FoundSecret {
  readonly arn: string;
  readonly hasValue: boolean;
}

/** Where replacement keys' secrets go (AWS Secrets Manager). Errors are `AwsError`. */
export interface SecretStore {
  /**
   * Creates the secret `name` without a value, encrypted with `guard.kmsKeyId`, and attaches
   * `guard.resourcePolicy` (BlockPublicPolicy); a secret of that name already there gets the
   * policy again. Returns its ARN. Nothing readable exists until `storeAccessKey`.
   */
  guardSecret(name: string, guard: SecretGuard): Promise<{ arn: string }>;
  /** Stores a new key's id and secret as the value of the guarded secret `name`; returns its ARN. */
  storeAccessKey(name: string, key: NewAccessKey): Promise<{ arn: string }>;
  /** The secret by name, or undefined when there is none. */
  findSecret(name: string): Promise<FoundSecret | undefined>;
}
