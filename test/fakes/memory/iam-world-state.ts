/**
 * The state of the in-memory IAM world: users (keys, inline, attached and group policies,
 * boundary, login profile, MFA devices, certificates, SSH keys, service credentials), groups,
 * roles, managed policies and virtual MFA devices, with seeding helpers for tests.
 */
import type { LastUse } from '../../../src/domain/assessment/assessment.js';
import type { NamedPolicy, PolicyDocument } from '../../../src/domain/assessment/policy-document.js';
import { AwsError } from '../../../src/domain/errors.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { RequestId } from '../../../src/ports/iam-writer.js';
import { copy } from './memory-table.js';

export interface KeyState {
  readonly keyId: string;
  status: 'Active' | 'Inactive';
  readonly createdAt: string;
  lastUsed: LastUse | null;
}

export interface UserState {
  readonly name: string;
  readonly arn: string;
  keys: KeyState[];
  readonly inline: Map<string, PolicyDocument>;
  readonly attached: string[];
  readonly groups: string[];
  boundaryArn?: string;
  loginProfile: boolean;
  mfaDevices: Array<{ serialNumber: string; virtual: boolean }>;
  signingCertificateIds: string[];
  sshPublicKeyIds: string[];
  serviceSpecificCredentialIds: string[];
}

export interface PolicyHolderState {
  readonly name: string;
  readonly inline: Map<string, PolicyDocument>;
  readonly attached: string[];
}

/** What a test may set on a new user; keys are added with `addKey`. */
export type UserSeed = Partial<Pick<UserState, 'boundaryArn' | 'loginProfile' | 'mfaDevices' | 'signingCertificateIds' | 'sshPublicKeyIds' | 'serviceSpecificCredentialIds'>> & {
  readonly inline?: Record<string, PolicyDocument>;
  readonly attached?: readonly string[];
  readonly groups?: readonly string[];
};

export interface KeySeed {
  readonly keyId?: string;
  readonly status?: 'Active' | 'Inactive';
  readonly createdAt?: string;
  readonly lastUsed?: LastUse | null;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The `n`th key id of the memory world: `AKIA` (or `ASIA`) and 16 base32 characters. */
export function memoryKeyId(n: number, prefix: 'AKIA' | 'ASIA' = 'AKIA'): string {
  let digits = '';
  for (let v = n; v > 0; v = Math.floor(v / 32)) digits = BASE32[v % 32] + digits;
  return `${prefix}MEM${digits.padStart(13, 'A')}`;
}

export const ALLOW_ALL: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

export class IamWorldState {
  readonly users = new Map<string, UserState>();
  readonly groups = new Map<string, PolicyHolderState>();
  readonly roles = new Map<string, PolicyHolderState>();
  readonly managedPolicies = new Map<string, { name: string; document: PolicyDocument }>();
  /** Virtual MFA devices of the account, by serial, with the user they are assigned to. */
  readonly virtualMfaDevices = new Map<string, string | undefined>();
  private keys = 0;
  private requests = 0;

  constructor(readonly clock: Clock, readonly accountId = '111122223333') {
    this.addManagedPolicy('arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] });
    this.addManagedPolicy('arn:aws:iam::aws:policy/AdministratorAccess', ALLOW_ALL);
  }

  addUser(name: string, seed: UserSeed = {}): UserState {
    const user: UserState = {
      name, arn: `arn:aws:iam::${this.accountId}:user/${name}`, keys: [],
      inline: new Map(Object.entries(seed.inline ?? {})), attached: [...(seed.attached ?? [])], groups: [...(seed.groups ?? [])],
      loginProfile: seed.loginProfile ?? false, mfaDevices: [...(seed.mfaDevices ?? [])],
      signingCertificateIds: [...(seed.signingCertificateIds ?? [])], sshPublicKeyIds: [...(seed.sshPublicKeyIds ?? [])],
      serviceSpecificCredentialIds: [...(seed.serviceSpecificCredentialIds ?? [])],
      ...(seed.boundaryArn ? { boundaryArn: seed.boundaryArn } : {}),
    };
    for (const g of user.groups) if (!this.groups.has(g)) this.addGroup(g);
    for (const d of user.mfaDevices) if (d.virtual) this.virtualMfaDevices.set(d.serialNumber, name);
    this.users.set(name, user);
    return user;
  }

  /** Adds a key to `userName` (no quota check: seeding may set up any state); returns its id. */
  addKey(userName: string, seed: KeySeed = {}): string {
    const keyId = seed.keyId ?? this.nextKeyId();
    this.user(userName, 'ListAccessKeys').keys.push({
      keyId, status: seed.status ?? 'Active', createdAt: seed.createdAt ?? this.clock.now().toISOString(), lastUsed: seed.lastUsed ?? null,
    });
    return keyId;
  }

  addGroup(name: string, policies: { inline?: Record<string, PolicyDocument>; attached?: readonly string[] } = {}): void {
    this.groups.set(name, { name, inline: new Map(Object.entries(policies.inline ?? {})), attached: [...(policies.attached ?? [])] });
  }

  addRole(name: string, policies: { inline?: Record<string, PolicyDocument>; attached?: readonly string[] } = {}): void {
    this.roles.set(name, { name, inline: new Map(Object.entries(policies.inline ?? {})), attached: [...(policies.attached ?? [])] });
  }

  addManagedPolicy(arn: string, document: PolicyDocument): void {
    this.managedPolicies.set(arn, { name: arn.slice(arn.lastIndexOf('/') + 1), document });
  }

  /** The key and its user, wherever it is. */
  findKey(keyId: string): { user: UserState; key: KeyState } | undefined {
    for (const user of this.users.values()) {
      const key = user.keys.find((k) => k.keyId === keyId);
      if (key) return { user, key };
    }
    return undefined;
  }

  protected nextKeyId(): string {
    this.keys += 1;
    return memoryKeyId(this.keys);
  }

  protected requestId(): string {
    this.requests += 1;
    return `req-${this.requests.toString().padStart(6, '0')}`;
  }

  protected user(name: string, operation: string): UserState {
    const user = this.users.get(name);
    if (!user) throw noSuchEntity(operation, `The user with name ${name} cannot be found.`);
    return user;
  }

  protected role(name: string, operation: string): PolicyHolderState {
    const role = this.roles.get(name);
    if (!role) throw noSuchEntity(operation, `The role with name ${name} cannot be found.`);
    return role;
  }

  protected managed(arn: string, operation: string): { name: string; document: PolicyDocument } {
    const policy = this.managedPolicies.get(arn);
    if (!policy) throw noSuchEntity(operation, `Policy ${arn} does not exist or is not attachable.`);
    return policy;
  }

  protected keyOf(userName: string, keyId: string, operation: string): KeyState {
    const key = this.user(userName, operation).keys.find((k) => k.keyId === keyId);
    if (!key) throw noSuchEntity(operation, `The Access Key with id ${keyId} cannot be found.`);
    return key;
  }

  protected namedManaged(arn: string): NamedPolicy {
    const policy = this.managed(arn, 'GetPolicy');
    return { name: policy.name, arn, document: copy(policy.document) };
  }

  protected deleteInline(holder: PolicyHolderState, policyName: string, operation: string): RequestId {
    if (!holder.inline.delete(policyName)) throw noSuchEntity(operation, `The policy with name ${policyName} cannot be found.`);
    return this.requestId();
  }

  protected detach(holder: PolicyHolderState, policyArn: string, operation: string): RequestId {
    const index = holder.attached.indexOf(policyArn);
    // Detaching a policy that is not attached is NoSuchEntity.
    if (index < 0) throw noSuchEntity(operation, `Policy ${policyArn} was not found.`);
    holder.attached.splice(index, 1);
    return this.requestId();
  }

  protected without(ids: readonly string[], id: string, operation: string): string[] {
    if (!ids.includes(id)) throw noSuchEntity(operation, `${id} cannot be found.`);
    return ids.filter((x) => x !== id);
  }
}

export function noSuchEntity(operation: string, message: string): AwsError {
  return new AwsError('NoSuchEntity', message, 'iam', operation);
}

export function inlineOf(holder: PolicyHolderState): NamedPolicy[] {
  return [...holder.inline.entries()].map(([name, document]) => ({ name, document: copy(document) }));
}
