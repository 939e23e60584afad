/**
 * What the fake Secrets Manager knows: secrets per account and region, each with its
 * versions (id = the ClientRequestToken that created it) and staging labels.
 */
import { randomChars } from './credential-state.js';

/** A tag as Secrets Manager takes and returns it. */
export interface SecretTag {
  readonly Key: string;
  readonly Value: string;
}

/** One version of a secret; its id is the ClientRequestToken that made it. */
export interface SecretVersionState {
  readonly id: string;
  readonly secretString: string | undefined;
  readonly createdAt: Date;
  readonly stages: string[];
}

/** A secret: where it lives, its metadata and versions. */
export interface SecretState {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly description: string | undefined;
  /** TagResource adds to them. */
  tags: SecretTag[];
  /** The KMS key CreateSecret named (id, ARN or alias); undefined: the account's aws/secretsmanager key. */
  readonly kmsKeyId: string | undefined;
  /** The resource policy (JSON) PutResourcePolicy attached. */
  resourcePolicy?: string;
  readonly createdAt: Date;
  readonly versions: Map<string, SecretVersionState>;
}

/** What CreateSecret asks for. */
export interface NewSecret {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly description: string | undefined;
  readonly tags: readonly SecretTag[];
  readonly kmsKeyId?: string;
  /** The initial version, when the request carried a value. */
  readonly version?: { readonly id: string; readonly secretString: string };
}

const ARN_SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** All secrets, by account, region and name. */
export class SecretsState {
  private readonly secrets = new Map<string, SecretState>();

  /** The secret named `idOrArn`, or whose full ARN it is, in that account and region. */
  find(account: string, region: string, idOrArn: string): SecretState | undefined {
    const byName = this.secrets.get(key(account, region, idOrArn));
    if (byName) return byName;
    return [...this.secrets.values()].find((s) => s.arn === idOrArn && s.account === account && s.region === region);
  }

  /** Secrets with this name in any region of `account`, oldest first. */
  named(account: string, name: string): SecretState[] {
    return [...this.secrets.values()].filter((s) => s.account === account && s.name === name);
  }

  /**
   * Stores a new secret. Its ARN ends in `-` and six random characters, so a secret made again
   * under a deleted one's name gets a different ARN, as in Secrets Manager.
   */
  add(secret: NewSecret): SecretState {
    const now = new Date();
    const arn = `arn:aws:secretsmanager:${secret.region}:${secret.account}:secret:${secret.name}-${randomChars(6, ARN_SUFFIX_ALPHABET)}`;
    const versions = new Map<string, SecretVersionState>();
    if (secret.version) {
      const { id, secretString } = secret.version;
      versions.set(id, { id, secretString, createdAt: now, stages: ['AWSCURRENT'] });
    }
    const state: SecretState = {
      name: secret.name,
      arn,
      account: secret.account,
      region: secret.region,
      description: secret.description,
      tags: [...secret.tags],
      kmsKeyId: secret.kmsKeyId,
      createdAt: now,
      versions,
    };
    this.secrets.set(key(secret.account, secret.region, secret.name), state);
    return state;
  }

  clear(): void {
    this.secrets.clear();
  }
}

/** The version holding `stage` (AWSCURRENT by default). */
export function versionAt(secret: SecretState, stage = 'AWSCURRENT'): SecretVersionState | undefined {
  return [...secret.versions.values()].find((v) => v.stages.includes(stage));
}

function key(account: string, region: string, name: string): string {
  return `${account}|${region}|${name}`;
}
