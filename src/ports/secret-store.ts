import type { NewAccessKey } from '../domain/action/iam-footprint.js';

/** Where replacement keys' secrets go (AWS Secrets Manager). Errors are `AwsError`. */
export interface SecretStore {
  /** Stores a new key's id and secret under `name`; returns the secret's ARN. */
  storeAccessKey(name: string, key: NewAccessKey, description: string): Promise<{ arn: string }>;
  /** The ARN of a secret by name, or undefined when there is none. */
  findSecret(name: string): Promise<{ arn: string } | undefined>;
}
