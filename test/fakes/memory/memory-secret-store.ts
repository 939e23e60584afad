/**
 * `SecretStore` in memory. Storing the same key under the same name again answers as the first
 * call did (Secrets Manager's idempotent request token); another value under a taken name is
 * ResourceExistsException.
 */
import type { NewAccessKey } from '../../../src/domain/action/iam-footprint.js';
import { AwsError } from '../../../src/domain/errors.js';
import type { SecretStore } from '../../../src/ports/secret-store.js';
import { Faults } from './faults.js';

export interface StoredSecret {
  readonly arn: string;
  readonly keyId: string;
  readonly secretAccessKey: string;
  readonly description: string;
}

export class MemorySecretStore implements SecretStore {
  readonly faults = new Faults<keyof SecretStore & string>();
  readonly secrets = new Map<string, StoredSecret>();

  constructor(private readonly accountId = '111122223333', private readonly region = 'us-east-1') {}

  async storeAccessKey(name: string, key: NewAccessKey, description: string): Promise<{ arn: string }> {
    await this.faults.enter('storeAccessKey', [name, key.keyId]);
    const existing = this.secrets.get(name);
    if (existing && (existing.keyId !== key.keyId || existing.secretAccessKey !== key.secretAccessKey)) {
      throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`, 'secretsmanager', 'CreateSecret');
    }
    const arn = existing?.arn ?? `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${this.secrets.size.toString().padStart(6, '0')}`;
    this.secrets.set(name, { arn, keyId: key.keyId, secretAccessKey: key.secretAccessKey, description });
    return { arn };
  }

  async findSecret(name: string): Promise<{ arn: string } | undefined> {
    await this.faults.enter('findSecret', [name]);
    const secret = this.secrets.get(name);
    return secret && { arn: secret.arn };
  }
}
