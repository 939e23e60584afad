/**
 * `SecretStore` in memory. `guardSecret` makes the secret without a value and records its KMS
 * key and policy (again for a name already there); storing the same key under the same name
 * again answers as the first call did (Secrets Manager's idempotent request token); another
 * value under a taken name is ResourceExistsException, and a name never guarded is
 * ResourceNotFoundException.
 */
import type { NewAccessKey } from '../../../src/domain/action/iam-footprint.js';
import { AwsError } from '../../../src/domain/errors.js';
import type { FoundSecret, SecretGuard, SecretStore } from '../../../src/ports/secret-store.js';
import { Faults } from './faults.js';

export interface StoredSecret {
  readonly arn: string;
  readonly description: string;
  readonly kmsKeyId: string;
  readonly resourcePolicy: string;
  /** Present once a value is stored. */
  readonly keyId?: string;
  readonly secretAccessKey?: string;
}

export class MemorySecretStore implements SecretStore {
  readonly faults = new Faults<keyof SecretStore & string>();
  readonly secrets = new Map<string, StoredSecret>();

  constructor(private readonly accountId = '111122223333', private readonly region = 'us-east-1') {}

  async guardSecret(name: string, guard: SecretGuard): Promise<{ arn: string }> {
    await this.faults.enter('guardSecret', [name]);
    const existing = this.secrets.get(name);
    const arn = existing?.arn ?? `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${this.secrets.size.toString().padStart(6, '0')}`;
    this.secrets.set(name, { ...existing, arn, description: guard.description, kmsKeyId: guard.kmsKeyId, resourcePolicy: guard.resourcePolicy });
    return { arn };
  }

  async storeAccessKey(name: string, key: NewAccessKey): Promise<{ arn: string }> {
    await this.faults.enter('storeAccessKey', [name, key.keyId]);
    const existing = this.secrets.get(name);
    if (!existing) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 'secretsmanager', 'PutSecretValue');
    if (existing.keyId !== undefined && (existing.keyId !== key.keyId || existing.secretAccessKey !== key.secretAccessKey)) {
      throw new AwsError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.", 'secretsmanager', 'PutSecretValue');
    }
    this.secrets.set(name, { ...existing, keyId: key.keyId, secretAccessKey: key.secretAccessKey });
    return { arn: existing.arn };
  }

  async findSecret(name: string): Promise<FoundSecret | undefined> {
    await this.faults.enter('findSecret', [name]);
    const secret = this.secrets.get(name);
    return secret && { arn: secret.arn, hasValue: secret.keyId !== undefined };
  }
}
