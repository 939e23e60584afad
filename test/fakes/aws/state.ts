/**
 * What the fake AWS knows: accounts → users (keys, inline policies, attached ARNs, groups,
 * boundary, other credentials), groups (inline, attached), roles (trust policy, inline,
 * attached), customer managed policies with versions, virtual MFA devices. Handlers read and change it; the builders seed it. Policy
 * documents are kept as the text IAM was given.
 */
import { createHash } from 'node:crypto';
import type {
  LoginProfileState,
  MfaDeviceState,
  ServiceCredentialState,
  SigningCertificateState,
  SshPublicKeyState,
  VirtualMfaDeviceState,
} from './credential-state.js';

export type KeyStatus = 'Active' | 'Inactive' | 'Expired';

export interface KeyLastUse {
  readonly at: Date;
  readonly service: string;
  readonly region: string;
}

export interface AccessKeyState {
  readonly id: string;
  status: KeyStatus;
  readonly createdAt: Date;
  lastUsed?: KeyLastUse;
  /** Only for keys made by CreateAccessKey: the secret IAM handed out once. */
  readonly secret?: string;
}

export interface UserState {
  readonly name: string;
  readonly path: string;
  readonly id: string;
  readonly arn: string;
  readonly createdAt: Date;
  readonly keys: AccessKeyState[];
  /** Policy name → document text. */
  readonly inline: Map<string, string>;
  readonly attached: string[];
  readonly groups: string[];
  boundaryArn?: string;
  loginProfile?: LoginProfileState;
  readonly signingCertificates: SigningCertificateState[];
  readonly sshPublicKeys: SshPublicKeyState[];
  readonly serviceCredentials: ServiceCredentialState[];
  readonly mfaDevices: MfaDeviceState[];
}

export interface GroupState {
  readonly name: string;
  readonly path: string;
  readonly id: string;
  readonly arn: string;
  readonly createdAt: Date;
  readonly inline: Map<string, string>;
  readonly attached: string[];
}

export interface RoleState {
  readonly name: string;
  readonly path: string;
  readonly id: string;
  readonly arn: string;
  readonly createdAt: Date;
  /** The trust policy, as text. */
  readonly assumeRolePolicy: string;
  /** Longest session AssumeRole grants, in seconds (3600 to 43200). */
  readonly maxSessionDuration: number;
  /** Policy name → document text. */
  readonly inline: Map<string, string>;
  readonly attached: string[];
}

/** What a role trusts when the test does not say: EC2, as for an instance profile. */
export const DEFAULT_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** IAM's default MaxSessionDuration for a role: one hour (a role may allow up to 12). */
export const DEFAULT_MAX_SESSION_DURATION = 3600;

export interface PolicyVersionState {
  readonly id: string;
  readonly document: string;
  readonly createdAt: Date;
}

export interface ManagedPolicyState {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly id: string;
  readonly createdAt: Date;
  updatedAt: Date;
  defaultVersionId: string;
  readonly versions: Map<string, PolicyVersionState>;
  readonly description?: string;
}

/** A fixed instant, so seeded data and answers are stable. */
export const SEED_TIME = new Date('2024-01-15T09:30:00Z');

/** One AWS account's IAM. */
export class AccountState {
  readonly users = new Map<string, UserState>();
  readonly groups = new Map<string, GroupState>();
  readonly roles = new Map<string, RoleState>();
  /** Customer managed policies by ARN. */
  readonly policies = new Map<string, ManagedPolicyState>();
  /** Virtual MFA devices by serial number (their ARN). */
  readonly virtualMfaDevices = new Map<string, VirtualMfaDeviceState>();

  constructor(readonly id: string) {}

  addUser(name: string, path = '/'): UserState {
    const existing = this.users.get(name);
    if (existing) return existing;
    const user: UserState = {
      name,
      path,
      id: uniqueId('AIDA', `${this.id}/user/${name}`),
      arn: `arn:aws:iam::${this.id}:user${path}${name}`,
      createdAt: SEED_TIME,
      keys: [],
      inline: new Map(),
      attached: [],
      groups: [],
      signingCertificates: [],
      sshPublicKeys: [],
      serviceCredentials: [],
      mfaDevices: [],
    };
    this.users.set(name, user);
    return user;
  }

  addGroup(name: string, path = '/'): GroupState {
    const existing = this.groups.get(name);
    if (existing) return existing;
    const group: GroupState = {
      name,
      path,
      id: uniqueId('AGPA', `${this.id}/group/${name}`),
      arn: `arn:aws:iam::${this.id}:group${path}${name}`,
      createdAt: SEED_TIME,
      inline: new Map(),
      attached: [],
    };
    this.groups.set(name, group);
    return group;
  }

  addRole(name: string, path = '/', assumeRolePolicy = DEFAULT_TRUST_POLICY, maxSessionDuration = DEFAULT_MAX_SESSION_DURATION): RoleState {
    const existing = this.roles.get(name);
    if (existing) return existing;
    const role: RoleState = {
      name,
      path,
      id: uniqueId('AROA', `${this.id}/role/${name}`),
      arn: `arn:aws:iam::${this.id}:role${path}${name}`,
      createdAt: SEED_TIME,
      assumeRolePolicy,
      maxSessionDuration,
      inline: new Map(),
      attached: [],
    };
    this.roles.set(name, role);
    return role;
  }

  addPolicy(name: string, document: string, path = '/', description?: string): ManagedPolicyState {
    const arn = `arn:aws:iam::${this.id}:policy${path}${name}`;
    const policy: ManagedPolicyState = {
      name,
      path,
      arn,
      id: uniqueId('ANPA', arn),
      createdAt: SEED_TIME,
      updatedAt: SEED_TIME,
      defaultVersionId: 'v1',
      versions: new Map([['v1', { id: 'v1', document, createdAt: SEED_TIME }]]),
      ...(description === undefined ? {} : { description }),
    };
    this.policies.set(arn, policy);
    return policy;
  }

  findKey(keyId: string): { user: UserState; key: AccessKeyState } | undefined {
    for (const user of this.users.values()) {
      const key = user.keys.find((k) => k.id === keyId);
      if (key) return { user, key };
    }
    return undefined;
  }

  /** How many users, groups and roles of this account have `arn` attached. */
  attachmentCount(arn: string): number {
    const holders = [...this.users.values(), ...this.groups.values(), ...this.roles.values()];
    return holders.filter((h) => h.attached.includes(arn)).length;
  }

  boundaryUsageCount(arn: string): number {
    return [...this.users.values()].filter((u) => u.boundaryArn === arn).length;
  }
}

/** A stable IAM-style unique id (`AIDA…`, `AGPA…`, `AROA…`, `ANPA…`) derived from `seed`. */
export function uniqueId(prefix: string, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = prefix;
  for (let i = 0; i < 17; i += 1) id += alphabet[digest[i]! % 32];
  return id;
}

/** Policy text as IAM keeps it: strings verbatim, objects as indented JSON. */
export function documentText(document: string | object): string {
  return typeof document === 'string' ? document : JSON.stringify(document, null, 4);
}
