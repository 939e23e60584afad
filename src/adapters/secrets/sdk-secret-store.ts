/**
 * `SecretStore` over AWS Secrets Manager. A replacement key's secret is made in two steps so that
 * no moment exists where its value is readable by anyone the bot did not name:
 * `guardSecret` creates it without a value (CreateSecret with the customer managed KmsKeyId,
 * tagged as key-incident's) and attaches the resource policy with BlockPublicPolicy;
 * `storeAccessKey` then puts `{"accessKeyId","secretAccessKey"}` in it (PutSecretValue) and tags
 * it with the key id.
 *
 * Retries are safe: the value's ClientRequestToken is derived from the secret's name, so storing
 * the same key under the same name again is answered as the first call was, while another value
 * under that name is refused with ResourceExistsException rather than stored.
 *
 * The secret never leaves this call: a failed PutSecretValue becomes an `AwsError` that carries
 * no cause (the SDK's error object holds the raw answer) and whose message is AWS's own only
 * when no piece of the secret is in it (a validation error may echo the value it refused).
 */
import { createHash } from 'node:crypto';
import {
  CreateSecretCommand, DescribeSecretCommand, PutResourcePolicyCommand, PutSecretValueCommand, type SecretsManagerClient, TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { AwsError } from '../../domain/errors.js';
import type { NewAccessKey } from '../../domain/action/iam-footprint.js';
import type { FoundSecret, SecretGuard, SecretStore } from '../../ports/secret-store.js';
import { callAws, toAwsError } from '../aws-errors.js';

const SERVICE = 'secretsmanager';
/** A run of this many characters of the secret in a message counts as the secret leaking. */
const LEAK_WINDOW = 8;

/** Tags on every secret the bot creates. */
export const SECRET_TAGS = { managedBy: { Key: 'managed-by', Value: 'key-incident' }, keyIdKey: 'key-incident:access-key-id' } as const;

/** Secrets Manager on an injected client. */
export class SdkSecretStore implements SecretStore {
  constructor(private readonly secretsManager: SecretsManagerClient) {}

  async guardSecret(name: string, guard: SecretGuard): Promise<{ arn: string }> {
    const arn = await this.createEmpty(name, guard);
    await callAws(SERVICE, 'PutResourcePolicy', () =>
      this.secretsManager.send(new PutResourcePolicyCommand({ SecretId: arn, ResourcePolicy: guard.resourcePolicy, BlockPublicPolicy: true })));
    return { arn };
  }

  async storeAccessKey(name: string, key: NewAccessKey): Promise<{ arn: string }> {
    const operation = 'PutSecretValue';
    let output;
    try {
      output = await this.secretsManager.send(
        new PutSecretValueCommand({
          SecretId: name,
          ClientRequestToken: clientRequestToken(name),
          SecretString: JSON.stringify({ accessKeyId: key.keyId, secretAccessKey: key.secretAccessKey }),
        }),
      );
    } catch (error) {
      throw withoutSecret(toAwsError(error, SERVICE, operation), key.secretAccessKey);
    }
    const arn = arnOf(output.ARN, name, operation);
    await callAws(SERVICE, 'TagResource', () =>
      this.secretsManager.send(new TagResourceCommand({ SecretId: arn, Tags: [{ Key: SECRET_TAGS.keyIdKey, Value: key.keyId }] })));
    return { arn };
  }

  /** DescribeSecret's ARN and whether a version holds a value; undefined on ResourceNotFoundException. */
  async findSecret(name: string): Promise<FoundSecret | undefined> {
    const operation = 'DescribeSecret';
    try {
      const output = await callAws(SERVICE, operation, () => this.secretsManager.send(new DescribeSecretCommand({ SecretId: name })));
      return { arn: arnOf(output.ARN, name, operation), hasValue: Object.keys(output.VersionIdsToStages ?? {}).length > 0 };
    } catch (error) {
      if (error instanceof AwsError && error.code === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  /**
   * CreateSecret without a value. A name already taken is taken over only when it is the bot's own
   * empty secret (its tag, no value but the one this name's token makes): a retry after a crash.
   */
  private async createEmpty(name: string, guard: SecretGuard): Promise<string> {
    const operation = 'CreateSecret';
    try {
      const output = await callAws(SERVICE, operation, () => this.secretsManager.send(new CreateSecretCommand({
        Name: name, Description: guard.description, KmsKeyId: guard.kmsKeyId, Tags: [SECRET_TAGS.managedBy],
      })));
      return arnOf(output.ARN, name, operation);
    } catch (error) {
      if (!(error instanceof AwsError && error.code === 'ResourceExistsException')) throw error;
      const found = await callAws(SERVICE, 'DescribeSecret', () => this.secretsManager.send(new DescribeSecretCommand({ SecretId: name })));
      const ours = found.Tags?.some((t) => t.Key === SECRET_TAGS.managedBy.Key && t.Value === SECRET_TAGS.managedBy.Value) === true;
      const versions = Object.keys(found.VersionIdsToStages ?? {});
      if (!ours || versions.some((v) => v !== clientRequestToken(name))) throw error;
      return arnOf(found.ARN, name, 'DescribeSecret');
    }
  }
}

function arnOf(arn: string | undefined, name: string, operation: string): string {
  if (!arn) throw new AwsError('MissingSecretArn', `Secrets Manager ${operation} returned no ARN for ${name}`, SERVICE, operation);
  return arn;
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
