import type { NewAccessKey } from '../domain/action/iam-footprint.js';
import type { PolicyDocument } from '../domain/assessment/policy-document.js';

/** AWS's request id of a change, for the record (absent when AWS sent none). */
export type RequestId = string | undefined;

/**
 * IAM changes, each resolving to AWS's request id; the reads that check them are `IamReader`'s.
 * Errors are `AwsError` with AWS's code (NoSuchEntity, LimitExceeded, DeleteConflict, AccessDenied, Throttling …).
 */
export interface IamWriter {
  setAccessKeyStatus(userName: string, keyId: string, status: 'Active' | 'Inactive'): Promise<RequestId>;
  deleteAccessKey(userName: string, keyId: string): Promise<RequestId>;
  /** Creates a key; the caller must store the secret at once and drop it. */
  createAccessKey(userName: string): Promise<NewAccessKey>;
  putUserPolicy(userName: string, policyName: string, document: PolicyDocument): Promise<RequestId>;
  deleteUserPolicy(userName: string, policyName: string): Promise<RequestId>;
  attachUserPolicy(userName: string, policyArn: string): Promise<RequestId>;
  detachUserPolicy(userName: string, policyArn: string): Promise<RequestId>;
  deleteLoginProfile(userName: string): Promise<RequestId>;
  deleteSigningCertificate(userName: string, certificateId: string): Promise<RequestId>;
  deleteSshPublicKey(userName: string, sshPublicKeyId: string): Promise<RequestId>;
  deleteServiceSpecificCredential(userName: string, credentialId: string): Promise<RequestId>;
  deactivateMfaDevice(userName: string, serialNumber: string): Promise<RequestId>;
  deleteVirtualMfaDevice(serialNumber: string): Promise<RequestId>;
  removeUserFromGroup(userName: string, groupName: string): Promise<RequestId>;
  /** Role changes, for cutting a role's sessions (AWS's "revoke active sessions" on a role). */
  putRolePolicy(roleName: string, policyName: string, document: PolicyDocument): Promise<RequestId>;
  deleteRolePolicy(roleName: string, policyName: string): Promise<RequestId>;
  detachRolePolicy(roleName: string, policyArn: string): Promise<RequestId>;
  deleteUser(userName: string): Promise<RequestId>;
}
