/**
 * Seeding the fake: small chainable builders over the state.
 *
 *   aws.user('alice').key(keyId, { lastUsed: { at, service: 's3', region: 'eu-west-1' } })
 *     .inline('deploy', doc).attach('arn:aws:iam::aws:policy/ReadOnlyAccess').memberOf('devs');
 *   aws.user('bob').loginProfile().signingCertificate().sshPublicKey().serviceCredential()
 *     .mfa().mfa({ hardware: true });          // bob.mfaSerials, bob.sshPublicKeyIds …
 *   aws.group('devs').inline('g', doc).attach(arn);
 *   aws.role('deployer', { path: '/ci/', trust }).inline('r', doc).attach(arn);   // .arn, .id
 *   aws.account('444455556666').role('responder', { trust: trustAccount(aws.botArn, { externalId: 'x' }) });
 *   const custom = aws.policy('custom', doc).version(doc2);   // custom.arn
 */
import { keyIdForAccount } from './access-key-id.js';
import { CredentialIds, type CredentialStatus } from './credential-state.js';
import {
  SEED_TIME,
  documentText,
  type AccountState,
  type GroupState,
  type KeyStatus,
  type ManagedPolicyState,
  type RoleState,
  type UserState,
} from './state.js';

export type PolicyDocumentInput = string | object;

export interface KeySeed {
  readonly status?: KeyStatus;
  readonly createdAt?: Date | string;
  /** Absent: never used (IAM answers "N/A"). */
  readonly lastUsed?: { readonly at: Date | string; readonly service: string; readonly region: string };
}

export interface PathSeed {
  readonly path?: string;
}

/** A certificate, SSH key or service credential: id (fresh by default) and status (Active). */
export interface CredentialSeed {
  readonly id?: string;
  readonly status?: CredentialStatus;
}

export interface MfaSeed {
  /** A hardware device (serial like `GAHT12345678`) instead of a virtual one (serial = ARN). */
  readonly hardware?: boolean;
  /** Virtual: the device name in `arn:aws:iam::<account>:mfa/<name>` (default: the user's name). */
  readonly deviceName?: string;
  /** Hardware: the serial number (default: a fresh one). */
  readonly serialNumber?: string;
}

export class UserBuilder {
  constructor(
    private readonly account: AccountState,
    readonly state: UserState,
  ) {}

  get name(): string {
    return this.state.name;
  }

  get arn(): string {
    return this.state.arn;
  }

  get keyIds(): string[] {
    return this.state.keys.map((k) => k.id);
  }

  /** Adds an access key; without an id, a fresh one that decodes to the user's account. */
  key(idOrSeed?: string | KeySeed, seed: KeySeed = {}): this {
    const id = typeof idOrSeed === 'string' ? idOrSeed : keyIdForAccount(this.account.id);
    const options = typeof idOrSeed === 'object' ? idOrSeed : seed;
    const lastUsed = options.lastUsed && { ...options.lastUsed, at: new Date(options.lastUsed.at) };
    this.state.keys.push({
      id,
      status: options.status ?? 'Active',
      createdAt: new Date(options.createdAt ?? SEED_TIME),
      ...(lastUsed ? { lastUsed } : {}),
    });
    return this;
  }

  get signingCertificateIds(): string[] {
    return this.state.signingCertificates.map((c) => c.id);
  }

  get sshPublicKeyIds(): string[] {
    return this.state.sshPublicKeys.map((k) => k.id);
  }

  get serviceCredentialIds(): string[] {
    return this.state.serviceCredentials.map((c) => c.id);
  }

  /** Serial numbers of the user's MFA devices (ARNs for virtual ones). */
  get mfaSerials(): string[] {
    return this.state.mfaDevices.map((d) => d.serialNumber);
  }

  inline(name: string, document: PolicyDocumentInput): this {
    this.state.inline.set(name, documentText(document));
    return this;
  }

  attach(...policyArns: string[]): this {
    this.state.attached.push(...policyArns);
    return this;
  }

  /** Gives the user a console password. */
  loginProfile({ passwordResetRequired = false }: { passwordResetRequired?: boolean } = {}): this {
    this.state.loginProfile = { createdAt: SEED_TIME, passwordResetRequired };
    return this;
  }

  signingCertificate({ id = CredentialIds.certificate(), status = 'Active' }: CredentialSeed = {}): this {
    const body = `-----BEGIN CERTIFICATE-----\nMIIC${id}\n-----END CERTIFICATE-----`;
    this.state.signingCertificates.push({ id, body, status, uploadedAt: SEED_TIME });
    return this;
  }

  sshPublicKey({ id = CredentialIds.sshPublicKey(), status = 'Active' }: CredentialSeed = {}): this {
    this.state.sshPublicKeys.push({ id, body: `ssh-rsa AAAAB3NzaC1yc2E${id} ${this.name}`, status, uploadedAt: SEED_TIME });
    return this;
  }

  /** A service-specific credential, CodeCommit's by default. */
  serviceCredential({ id = CredentialIds.serviceCredential(), status = 'Active', serviceName = 'codecommit.amazonaws.com' }: CredentialSeed & { serviceName?: string } = {}): this {
    const serviceUserName = `${this.name}-at-${this.account.id}`;
    this.state.serviceCredentials.push({ id, serviceName, serviceUserName, status, createdAt: SEED_TIME });
    return this;
  }

  /** Enables an MFA device for the user: a virtual one (also registered in the account) by default. */
  mfa({ hardware = false, deviceName, serialNumber }: MfaSeed = {}): this {
    const serial = hardware
      ? (serialNumber ?? CredentialIds.hardwareMfaSerial())
      : `arn:aws:iam::${this.account.id}:mfa/${deviceName ?? this.name}`;
    if (!hardware) this.account.virtualMfaDevices.set(serial, { serialNumber: serial, createdAt: SEED_TIME, userName: this.name });
    this.state.mfaDevices.push({ serialNumber: serial, enabledAt: SEED_TIME });
    return this;
  }

  boundary(policyArn: string): this {
    this.state.boundaryArn = policyArn;
    return this;
  }

  /** Puts the user in these groups, creating empty ones that do not exist yet. */
  memberOf(...groupNames: string[]): this {
    for (const name of groupNames) {
      this.account.addGroup(name);
      if (!this.state.groups.includes(name)) this.state.groups.push(name);
    }
    return this;
  }
}

export class GroupBuilder {
  constructor(readonly state: GroupState) {}

  get arn(): string {
    return this.state.arn;
  }

  inline(name: string, document: PolicyDocumentInput): this {
    this.state.inline.set(name, documentText(document));
    return this;
  }

  attach(...policyArns: string[]): this {
    this.state.attached.push(...policyArns);
    return this;
  }
}

export interface RoleSeed extends PathSeed {
  /** The trust (assume-role) policy; default: EC2 may assume the role. See `trustAccount`. */
  readonly trust?: PolicyDocumentInput;
  /** Longest session AssumeRole grants, in seconds (IAM's default: 3600). */
  readonly maxSessionDuration?: number;
}

/**
 * A trust policy letting `principal` assume the role: an account id, `arn:aws:iam::<id>:root`
 * or a user's or role's ARN. With `externalId`, only callers passing that ExternalId, as a
 * third party is told to require:
 *
 *   aws.account('444455556666').role('KeyIncidentResponder', { trust: trustAccount(aws.botArn, { externalId }) });
 */
export function trustAccount(principal: string, { externalId }: { externalId?: string } = {}): object {
  const condition = externalId === undefined ? {} : { Condition: { StringEquals: { 'sts:ExternalId': externalId } } };
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', ...condition }],
  };
}

export class RoleBuilder {
  constructor(readonly state: RoleState) {}

  get arn(): string {
    return this.state.arn;
  }

  /** The role's unique id (`AROA…`). */
  get id(): string {
    return this.state.id;
  }

  inline(name: string, document: PolicyDocumentInput): this {
    this.state.inline.set(name, documentText(document));
    return this;
  }

  attach(...policyArns: string[]): this {
    this.state.attached.push(...policyArns);
    return this;
  }
}

export class PolicyBuilder {
  constructor(readonly state: ManagedPolicyState) {}

  get arn(): string {
    return this.state.arn;
  }

  /** Adds the next version (v2, v3 …), by default making it the default version. */
  version(document: PolicyDocumentInput, { setAsDefault = true }: { setAsDefault?: boolean } = {}): this {
    const id = `v${this.state.versions.size + 1}`;
    this.state.versions.set(id, { id, document: documentText(document), createdAt: SEED_TIME });
    if (setAsDefault) this.state.defaultVersionId = id;
    return this;
  }
}

/** Seeds one account's IAM. */
export class AccountSeeder {
  constructor(readonly state: AccountState) {}

  get id(): string {
    return this.state.id;
  }

  user(name: string, { path }: PathSeed = {}): UserBuilder {
    return new UserBuilder(this.state, this.state.addUser(name, path));
  }

  group(name: string, { path }: PathSeed = {}): GroupBuilder {
    return new GroupBuilder(this.state.addGroup(name, path));
  }

  role(name: string, { path, trust, maxSessionDuration }: RoleSeed = {}): RoleBuilder {
    return new RoleBuilder(this.state.addRole(name, path, trust === undefined ? undefined : documentText(trust), maxSessionDuration));
  }

  /** A virtual MFA device assigned to nobody; returns its serial number (ARN). */
  virtualMfaDevice(deviceName: string): string {
    const serialNumber = `arn:aws:iam::${this.state.id}:mfa/${deviceName}`;
    this.state.virtualMfaDevices.set(serialNumber, { serialNumber, createdAt: SEED_TIME });
    return serialNumber;
  }

  /** A customer managed policy (version v1 = `document`). */
  policy(name: string, document: PolicyDocumentInput, options: PathSeed & { description?: string } = {}): PolicyBuilder {
    return new PolicyBuilder(this.state.addPolicy(name, documentText(document), options.path, options.description));
  }
}
