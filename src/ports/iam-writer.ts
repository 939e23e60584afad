import type { NewAccessKey, UserFootprint } from '../domain/action/iam-footprint.js';
import type { PolicyDocument } from '../domain/assessment/policy-document.js';

/** AWS's request id of a change, for the record (absent when AWS sent none). */
export type RequestId = string | undefined;

/**
 * IAM changes (each resolving to AWS's request id) and the reads that check them. Errors are `AwsError` with AWS's code
 * (NoSuchEntity, LimitExceeded, DeleteConflict, AccessDenied, Throttling …).
 */
export interface IamWriter {
  setAccessKeyStatus(userName: string, keyId: string, status: 'Active' | 'Inactive'): Promise<RequestId>;
  deleteAccessKey(userName: string, keyId: string): Promise<RequestId>;
  /** Creates a key; the caller must store the secret at once and drop it. */
  createAccessKey(userName: string): Promise<NewAccessKey>;
  putUserPolicy(userName: string, policyName: string, document: PolicyDocument): Promise<RequestId>;
  /** The inline policy's document, or undefined when the user has no such policy. */
  getUserPolicy(userName: string, policyName: string): Promise<PolicyDocument | undefined>;
  deleteUserPolicy(userName: string, policyName: string): Promise<RequestId>;
  attachUserPolicy(userName: string, policyArn: string): Promise<RequestId>;
  detachUserPolicy(userName: string, policyArn: string): Promise<RequestId>;
  listAttachedUserPolicyArns(userName: string): Promise<string[]>;
  /** Everything that blocks DeleteUser; NoSuchEntity when the user does not exist. */
  getUserFootprint(userName: string): Promise<UserFootprint>;
  deleteLoginProfile(userName: string): Promise<RequestId>;
  deleteSigningCertificate(userName: string, certificateId: string): Promise<RequestId>;
  deleteSshPublicKey(userName: string, sshPublicKeyId: string): Promise<RequestId>;
  deleteServiceSpecificCredential(userName: string, credentialId: string): Promise<RequestId>;
  deactivateMfaDevice(userName: string, serialNumber: string): Promise<RequestId>;
  deleteVirtualMfaDevice(serialNumber: string): Promise<RequestId>;
  removeUserFromGroup(userName: string, groupName: string): Promise<RequestId>;
  /** Role changes, for cutting a role's sessions (AWS's "revoke active sessions" on a role). */
  putRolePolicy(roleName: string, policyName: string, document: PolicyDocument): Promise<RequestId>;
  /** The role's inline policy, or undefined when the role has no such policy. */
  getRolePolicy(roleName: string, policyName: string): Promise<PolicyDocument | undefined>;
  deleteRolePolicy(roleName: string, policyName: string): Promise<RequestId>;
  /** Whether the role exists (GetRole). */
  roleExists(roleName: string): Promise<boolean>;
  detachRolePolicy(roleName: string, policyArn: string): Promise<RequestId>;
  listAttachedRolePolicyArns(roleName: string): Promise<string[]>;
  deleteUser(userName: string): Promise<RequestId>;
}
