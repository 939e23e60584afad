/** What stands between an IAM user and `DeleteUser`: everything IAM requires removed first. */
export interface UserFootprint {
  readonly userName: string;
  readonly loginProfile: boolean;
  readonly accessKeyIds: readonly string[];
  readonly signingCertificateIds: readonly string[];
  readonly sshPublicKeyIds: readonly string[];
  readonly serviceSpecificCredentialIds: readonly string[];
  /** MFA device serial numbers (ARNs for virtual devices). */
  readonly mfaDevices: readonly { readonly serialNumber: string; readonly virtual: boolean }[];
  readonly inlinePolicyNames: readonly string[];
  readonly attachedPolicyArns: readonly string[];
  readonly groupNames: readonly string[];
}

/** A newly created access key. The secret lives only in memory until it is in Secrets Manager. */
export interface NewAccessKey {
  readonly keyId: string;
  readonly secretAccessKey: string;
  /** ISO-8601. */
  readonly createdAt: string;
}
