/**
 * `SecretStore` over AWS Secrets Manager. A replacement key's id and secret go into one secret
 * as `{"accessKeyId","secretAccessKey"}`, tagged as key-incident's.
 *
 * Retries are safe: the ClientRequestToken is derived from the secret's name, so storing the
 * same key under the same name again is answered as the first call was (Secrets Manager
 * ignores a repeated token with the same value), while another value under that name is
 * refused with ResourceExistsException rather than stored.
 *
 * The secret never leaves this call: a failed CreateSecret becomes an `AwsError` that carries
 * no cause (the SDK's error object holds the raw answer) and whose message is AWS's own only
 * when no piece of the secret is in it (a validation error may echo the value it refused).
 */
import { createHash } from 'node:crypto';
import { CreateSecretCommand, DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AwsError } from '../../domain/errors.js';
import type { NewAccessKey } from '../../domain/action/iam-footprint.js';
import type { SecretStore } from '../../ports/secret-store.js';
import { callAws, toAwsError } from '../aws-errors.js';

const SERVICE = 'secretsmanager';
/** A run of this many characters of the secret in a message counts as the secret leaking. */
const LEAK_WINDOW = 8;

/** Tags on every secret the bot creates. */
export const SECRET_TAGS = { managedBy: { Key: 'managed-by', Value: 'key-incident' }, keyIdKey: 'key-incident:access-key-id' } as const;

/** Secrets Manager on an injected client. */
export class SdkSecretStore implements SecretStore {
  constructor(private readonly secretsManager: SecretsManagerClient) {}

  async storeAccessKey(name: string, key: NewAccessKey, description: string): Promise<{ arn: string }> {
    const operation = 'CreateSecret';
    let output;
    try {
      output = await this.secretsManager.send(
        new CreateSecretCommand({
          Name: name,
          ClientRequestToken: clientRequestToken(name),
          Description: description,
          SecretString: JSON.stringify({ accessKeyId: key.keyId, secretAccessKey: key.secretAccessKey }),
          Tags: [SECRET_TAGS.managedBy, { Key: SECRET_TAGS.keyIdKey, Value: key.keyId }],
        }),
      );
    } catch (error) {
      throw withoutSecret(toAwsError(error, SERVICE, operation), key.secretAccessKey);
    }
    if (!output.ARN) throw new AwsError('MissingSecretArn', `Secrets Manager ${operation} returned no ARN for ${name}`, SERVICE, operation);
    return { arn: output.ARN };
  }

  /** DescribeSecret's ARN; undefined on ResourceNotFoundException. */
  async findSecret(name: string): Promise<{ arn: string } | undefined> {
    const operation = 'DescribeSecret';
    try {
      const output = await callAws(SERVICE, operation, () => this.secretsManager.send(new DescribeSecretCommand({ SecretId: name })));
      if (!output.ARN) throw new AwsError('MissingSecretArn', `Secrets Manager ${operation} returned no ARN for ${name}`, SERVICE, operation);
      return { arn: output.ARN };
    } catch (error) {
      if (error instanceof AwsError && error.code === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }
}

/**
 * The token for the secret's first version: the same for the same name, every time and in
 * every process (UUID-shaped, 36 characters, inside Secrets Manager's 32–64).
 */
export function clientRequestToken(name: string): string {
  const hex = createHash('sha256').update(`key-incident/secret/${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The same error without its cause, and with a neutral message if AWS's quotes the secret. */
function withoutSecret(error: AwsError, secret: string): AwsError {
  const message = mentions(error.message, secret)
    ? `Secrets Manager ${error.operation} failed with ${error.code} (AWS's message is withheld: it quoted the secret)`
    : error.message;
  return new AwsError(error.code, message, error.service, error.operation, error.requestId, error.retryable);
}

/** Whether `text` holds any LEAK_WINDOW consecutive characters of `secret` (JSON-escaped or not). */
function mentions(text: string, secret: string): boolean {
  const plain = text.replace(/\\\//g, '/');
  if (secret.length <= LEAK_WINDOW) return secret !== '' && plain.includes(secret);
  for (let start = 0; start + LEAK_WINDOW <= secret.length; start += 1) {
    if (plain.includes(secret.slice(start, start + LEAK_WINDOW))) return true;
  }
  return false;
}
