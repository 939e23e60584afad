/**
 * A user's credentials besides access keys — what `DeleteUser` requires removed first — and the
 * account's virtual MFA devices, which outlive their user assignment until deleted.
 */
import { randomBytes } from 'node:crypto';

/** Active or Inactive, as IAM's StatusType for certificates, SSH keys and service credentials. */
export type CredentialStatus = 'Active' | 'Inactive';

/** A console password (IAM only says whether there is one, never what it is). */
export interface LoginProfileState {
  readonly createdAt: Date;
  readonly passwordResetRequired: boolean;
}

/** An X.509 signing certificate of the user. */
export interface SigningCertificateState {
  readonly id: string;
  readonly body: string;
  status: CredentialStatus;
  readonly uploadedAt: Date;
}

/** An SSH public key for CodeCommit. */
export interface SshPublicKeyState {
  readonly id: string;
  readonly body: string;
  status: CredentialStatus;
  readonly uploadedAt: Date;
}

/** Git (CodeCommit) or other service credentials. */
export interface ServiceCredentialState {
  readonly id: string;
  readonly serviceName: string;
  readonly serviceUserName: string;
  status: CredentialStatus;
  readonly createdAt: Date;
}

/** An MFA device enabled for a user; virtual ones have their ARN as serial number. */
export interface MfaDeviceState {
  readonly serialNumber: string;
  readonly enabledAt: Date;
}

/** A virtual MFA device of the account, assigned to a user or not. */
export interface VirtualMfaDeviceState {
  readonly serialNumber: string;
  readonly createdAt: Date;
  /** The user it is enabled for; unset once deactivated. */
  userName?: string;
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `length` random characters of `alphabet`. */
export function randomChars(length: number, alphabet = UPPER_ALNUM): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** Fresh ids in IAM's shapes: certificates 24 characters, SSH keys `APKA…`, service credentials `ACCA…`. */
export const CredentialIds = {
  certificate: (): string => randomChars(24),
  sshPublicKey: (): string => `APKA${randomChars(16)}`,
  serviceCredential: (): string => `ACCA${randomChars(16)}`,
  hardwareMfaSerial: (): string => `GAHT${randomChars(8, '0123456789')}`,
} as const;
