/**
 * Read-only copies of the fake's state for assertions: what a user or role has left, a secret's
 * metadata, the role sessions STS issued. Secret values are deliberately not here (see
 * `FakeAws.secretValue`), nor are sessions' secret keys and tokens (the fake does not keep them).
 */
import type { KeyStatus, RoleState, UserState } from './state.js';
import type { SecretState, SecretTag } from './secrets-state.js';
import type { RoleSession } from './session-state.js';

/** A user as IAM now has them. */
export interface UserSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly keys: readonly { readonly id: string; readonly status: KeyStatus }[];
  /** Inline policy name → document text as stored. */
  readonly inlinePolicies: Readonly<Record<string, string>>;
  readonly attachedPolicyArns: readonly string[];
  readonly groups: readonly string[];
  readonly loginProfile: boolean;
  readonly signingCertificateIds: readonly string[];
  readonly sshPublicKeyIds: readonly string[];
  readonly serviceSpecificCredentialIds: readonly string[];
  readonly mfaSerials: readonly string[];
}

/** A role as IAM now has it. */
export interface RoleSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly id: string;
  /** The trust policy text as stored. */
  readonly trustPolicy: string;
  /** Inline policy name → document text as stored. */
  readonly inlinePolicies: Readonly<Record<string, string>>;
  readonly attachedPolicyArns: readonly string[];
}

/** A secret without its value. */
export interface SecretSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly description: string | undefined;
  readonly tags: readonly SecretTag[];
  readonly versionIds: readonly string[];
  readonly kmsKeyId?: string;
  /** The resource policy, parsed. */
  readonly resourcePolicy?: unknown;
}

/** A role session AssumeRole issued: which role, to whom, under which key. */
export interface AssumedRoleSessionSnapshot {
  readonly roleArn: string;
  readonly sessionName: string;
  /** Only when the request carried one. */
  readonly externalId?: string;
  readonly accessKeyId: string;
  /** Who called AssumeRole. */
  readonly callerArn: string;
}

export function userSnapshot(user: UserState): UserSnapshot {
  return {
    name: user.name,
    arn: user.arn,
    keys: user.keys.map((k) => ({ id: k.id, status: k.status })),
    inlinePolicies: Object.fromEntries(user.inline),
    attachedPolicyArns: [...user.attached],
    groups: [...user.groups],
    loginProfile: user.loginProfile !== undefined,
    signingCertificateIds: user.signingCertificates.map((c) => c.id),
    sshPublicKeyIds: user.sshPublicKeys.map((k) => k.id),
    serviceSpecificCredentialIds: user.serviceCredentials.map((c) => c.id),
    mfaSerials: user.mfaDevices.map((d) => d.serialNumber),
  };
}

export function roleSnapshot(role: RoleState): RoleSnapshot {
  return {
    name: role.name,
    arn: role.arn,
    id: role.id,
    trustPolicy: role.assumeRolePolicy,
    inlinePolicies: Object.fromEntries(role.inline),
    attachedPolicyArns: [...role.attached],
  };
}

export function secretSnapshot(secret: SecretState): SecretSnapshot {
  return {
    name: secret.name,
    arn: secret.arn,
    region: secret.region,
    description: secret.description,
    tags: secret.tags.map((t) => ({ ...t })),
    versionIds: [...secret.versions.keys()],
    ...(secret.kmsKeyId === undefined ? {} : { kmsKeyId: secret.kmsKeyId }),
    ...(secret.resourcePolicy === undefined ? {} : { resourcePolicy: JSON.parse(secret.resourcePolicy) as unknown }),
  };
}

export function sessionSnapshot(session: RoleSession): AssumedRoleSessionSnapshot {
  const { roleArn, sessionName, externalId, accessKeyId, callerArn } = session;
  return { roleArn, sessionName, ...(externalId === undefined ? {} : { externalId }), accessKeyId, callerArn };
}
