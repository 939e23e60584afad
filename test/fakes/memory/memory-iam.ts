/**
 * One in-memory IAM account implementing both `IamReader` and `IamWriter`, with IAM's rules:
 * two keys per user (LimitExceeded), NoSuchEntity for what is missing, DeleteConflict for a
 * user that still has anything attached or an MFA device still assigned, and a request id per
 * change. Failures and holds are planned per method through `faults`.
 */
import type { NewAccessKey, UserFootprint } from '../../../src/domain/action/iam-footprint.js';
import type { AccessKeyMeta, LastUse } from '../../../src/domain/assessment/assessment.js';
import type { PolicyDocument, UserAccess } from '../../../src/domain/assessment/policy-document.js';
import { AwsError } from '../../../src/domain/errors.js';
import type { IamReader } from '../../../src/ports/iam-reader.js';
import type { IamWriter, RequestId } from '../../../src/ports/iam-writer.js';
import { Faults } from './faults.js';
import { IamWorldState, inlineOf, noSuchEntity } from './iam-world-state.js';
import { copy } from './memory-table.js';

export type IamMethod = (keyof IamReader | keyof IamWriter) & string;

/** The methods that change IAM (a dry run calls none of them). */
export const IAM_WRITE_METHODS: readonly IamMethod[] = [
  'setAccessKeyStatus', 'deleteAccessKey', 'createAccessKey', 'putUserPolicy', 'deleteUserPolicy', 'attachUserPolicy',
  'detachUserPolicy', 'deleteLoginProfile', 'deleteSigningCertificate', 'deleteSshPublicKey', 'deleteServiceSpecificCredential',
  'deactivateMfaDevice', 'deleteVirtualMfaDevice', 'removeUserFromGroup', 'putRolePolicy', 'deleteRolePolicy', 'detachRolePolicy', 'deleteUser',
];

const ACCESS_KEYS_PER_USER = 2;

export class MemoryIam extends IamWorldState implements IamReader, IamWriter {
  readonly faults = new Faults<IamMethod>();

  /** Calls of methods that change IAM, in order. */
  get writes(): ReadonlyArray<{ method: IamMethod; args: readonly unknown[] }> {
    return this.faults.calls.filter((c) => IAM_WRITE_METHODS.includes(c.method));
  }

  async getAccessKeyLastUsed(keyId: string): Promise<{ userName: string; lastUsed: LastUse | null }> {
    await this.faults.enter('getAccessKeyLastUsed', [keyId]);
    const found = this.findKey(keyId);
    // IAM answers a key it does not know (or another account's) with AccessDenied, never NoSuchEntity.
    if (!found) throw new AwsError('AccessDenied', `Not authorized to perform iam:GetAccessKeyLastUsed on resource: access key ${keyId}`, 'iam', 'GetAccessKeyLastUsed');
    return { userName: found.user.name, lastUsed: copy(found.key.lastUsed) };
  }

  async listAccessKeys(userName: string): Promise<AccessKeyMeta[]> {
    await this.faults.enter('listAccessKeys', [userName]);
    return this.user(userName, 'ListAccessKeys').keys.map((k) => ({ keyId: k.keyId, status: k.status, createdAt: k.createdAt }));
  }

  async getUserAccess(userName: string): Promise<UserAccess> {
    await this.faults.enter('getUserAccess', [userName]);
    const user = this.user(userName, 'GetUser');
    const groups = user.groups.map((name) => {
      const group = this.groups.get(name)!;
      return { name, inline: inlineOf(group), attached: group.attached.map((arn) => this.namedManaged(arn)) };
    });
    const access = { userName, userArn: user.arn, inline: inlineOf(user), attached: user.attached.map((arn) => this.namedManaged(arn)), groups };
    return user.boundaryArn ? { ...access, boundary: this.namedManaged(user.boundaryArn) } : access;
  }

  async setAccessKeyStatus(userName: string, keyId: string, status: 'Active' | 'Inactive'): Promise<RequestId> {
    await this.faults.enter('setAccessKeyStatus', [userName, keyId, status]);
    this.keyOf(userName, keyId, 'UpdateAccessKey').status = status;
    return this.requestId();
  }

  async deleteAccessKey(userName: string, keyId: string): Promise<RequestId> {
    await this.faults.enter('deleteAccessKey', [userName, keyId]);
    const user = this.user(userName, 'DeleteAccessKey');
    this.keyOf(userName, keyId, 'DeleteAccessKey');
    user.keys = user.keys.filter((k) => k.keyId !== keyId);
    return this.requestId();
  }

  async createAccessKey(userName: string): Promise<NewAccessKey> {
    await this.faults.enter('createAccessKey', [userName]);
    const user = this.user(userName, 'CreateAccessKey');
    // Inactive keys count too: IAM allows two per user.
    if (user.keys.length >= ACCESS_KEYS_PER_USER) {
      throw new AwsError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`, 'iam', 'CreateAccessKey');
    }
    const keyId = this.addKey(userName);
    const createdAt = user.keys.find((k) => k.keyId === keyId)!.createdAt;
    return { keyId, secretAccessKey: `secret/${keyId}/${'x'.repeat(16)}`, createdAt };
  }

  async putUserPolicy(userName: string, policyName: string, document: PolicyDocument): Promise<RequestId> {
    await this.faults.enter('putUserPolicy', [userName, policyName, document]);
    this.user(userName, 'PutUserPolicy').inline.set(policyName, copy(document));
    return this.requestId();
  }

  async getUserPolicy(userName: string, policyName: string): Promise<PolicyDocument | undefined> {
    await this.faults.enter('getUserPolicy', [userName, policyName]);
    const document = this.users.get(userName)?.inline.get(policyName);
    return document && copy(document);
  }

  async deleteUserPolicy(userName: string, policyName: string): Promise<RequestId> {
    await this.faults.enter('deleteUserPolicy', [userName, policyName]);
    return this.deleteInline(this.user(userName, 'DeleteUserPolicy'), policyName, 'DeleteUserPolicy');
  }

  async attachUserPolicy(userName: string, policyArn: string): Promise<RequestId> {
    await this.faults.enter('attachUserPolicy', [userName, policyArn]);
    const user = this.user(userName, 'AttachUserPolicy');
    this.managed(policyArn, 'AttachUserPolicy');
    // Attaching an attached policy changes nothing.
    if (!user.attached.includes(policyArn)) user.attached.push(policyArn);
    return this.requestId();
  }

  async detachUserPolicy(userName: string, policyArn: string): Promise<RequestId> {
    await this.faults.enter('detachUserPolicy', [userName, policyArn]);
    return this.detach(this.user(userName, 'DetachUserPolicy'), policyArn, 'DetachUserPolicy');
  }

  async listAttachedUserPolicyArns(userName: string): Promise<string[]> {
    await this.faults.enter('listAttachedUserPolicyArns', [userName]);
    return [...this.user(userName, 'ListAttachedUserPolicies').attached];
  }

  async getUserFootprint(userName: string): Promise<UserFootprint> {
    await this.faults.enter('getUserFootprint', [userName]);
    const u = this.user(userName, 'ListAccessKeys');
    return copy({
      userName, loginProfile: u.loginProfile, accessKeyIds: u.keys.map((k) => k.keyId), signingCertificateIds: u.signingCertificateIds,
      sshPublicKeyIds: u.sshPublicKeyIds, serviceSpecificCredentialIds: u.serviceSpecificCredentialIds, mfaDevices: u.mfaDevices,
      inlinePolicyNames: [...u.inline.keys()], attachedPolicyArns: u.attached, groupNames: u.groups,
    });
  }

  async deleteLoginProfile(userName: string): Promise<RequestId> {
    await this.faults.enter('deleteLoginProfile', [userName]);
    const user = this.user(userName, 'DeleteLoginProfile');
    if (!user.loginProfile) throw noSuchEntity('DeleteLoginProfile', `Login Profile for User ${userName} cannot be found.`);
    user.loginProfile = false;
    return this.requestId();
  }

  async deleteSigningCertificate(userName: string, certificateId: string): Promise<RequestId> {
    await this.faults.enter('deleteSigningCertificate', [userName, certificateId]);
    const user = this.user(userName, 'DeleteSigningCertificate');
    user.signingCertificateIds = this.without(user.signingCertificateIds, certificateId, 'DeleteSigningCertificate');
    return this.requestId();
  }

  async deleteSshPublicKey(userName: string, sshPublicKeyId: string): Promise<RequestId> {
    await this.faults.enter('deleteSshPublicKey', [userName, sshPublicKeyId]);
    const user = this.user(userName, 'DeleteSSHPublicKey');
    user.sshPublicKeyIds = this.without(user.sshPublicKeyIds, sshPublicKeyId, 'DeleteSSHPublicKey');
    return this.requestId();
  }

  async deleteServiceSpecificCredential(userName: string, credentialId: string): Promise<RequestId> {
    await this.faults.enter('deleteServiceSpecificCredential', [userName, credentialId]);
    const user = this.user(userName, 'DeleteServiceSpecificCredential');
    user.serviceSpecificCredentialIds = this.without(user.serviceSpecificCredentialIds, credentialId, 'DeleteServiceSpecificCredential');
    return this.requestId();
  }

  async deactivateMfaDevice(userName: string, serialNumber: string): Promise<RequestId> {
    await this.faults.enter('deactivateMfaDevice', [userName, serialNumber]);
    const user = this.user(userName, 'DeactivateMFADevice');
    const serials = this.without(user.mfaDevices.map((d) => d.serialNumber), serialNumber, 'DeactivateMFADevice');
    user.mfaDevices = user.mfaDevices.filter((d) => serials.includes(d.serialNumber));
    if (this.virtualMfaDevices.has(serialNumber)) this.virtualMfaDevices.set(serialNumber, undefined);
    return this.requestId();
  }

  async deleteVirtualMfaDevice(serialNumber: string): Promise<RequestId> {
    await this.faults.enter('deleteVirtualMfaDevice', [serialNumber]);
    if (!this.virtualMfaDevices.has(serialNumber)) throw noSuchEntity('DeleteVirtualMFADevice', `VirtualMFADevice with serial number ${serialNumber} doesn't exist.`);
    if (this.virtualMfaDevices.get(serialNumber) !== undefined) throw new AwsError('DeleteConflict', 'MFA Device is in use by a user.', 'iam', 'DeleteVirtualMFADevice');
    this.virtualMfaDevices.delete(serialNumber);
    return this.requestId();
  }

  async removeUserFromGroup(userName: string, groupName: string): Promise<RequestId> {
    await this.faults.enter('removeUserFromGroup', [userName, groupName]);
    const user = this.user(userName, 'RemoveUserFromGroup');
    if (!this.groups.has(groupName)) throw noSuchEntity('RemoveUserFromGroup', `The group with name ${groupName} cannot be found.`);
    // Removing a user from a group they are not in succeeds.
    user.groups.splice(0, user.groups.length, ...user.groups.filter((g) => g !== groupName));
    return this.requestId();
  }

  async putRolePolicy(roleName: string, policyName: string, document: PolicyDocument): Promise<RequestId> {
    await this.faults.enter('putRolePolicy', [roleName, policyName, document]);
    this.role(roleName, 'PutRolePolicy').inline.set(policyName, copy(document));
    return this.requestId();
  }

  async getRolePolicy(roleName: string, policyName: string): Promise<PolicyDocument | undefined> {
    await this.faults.enter('getRolePolicy', [roleName, policyName]);
    const document = this.roles.get(roleName)?.inline.get(policyName);
    return document && copy(document);
  }

  async deleteRolePolicy(roleName: string, policyName: string): Promise<RequestId> {
    await this.faults.enter('deleteRolePolicy', [roleName, policyName]);
    return this.deleteInline(this.role(roleName, 'DeleteRolePolicy'), policyName, 'DeleteRolePolicy');
  }

  async roleExists(roleName: string): Promise<boolean> {
    await this.faults.enter('roleExists', [roleName]);
    return this.roles.has(roleName);
  }

  async detachRolePolicy(roleName: string, policyArn: string): Promise<RequestId> {
    await this.faults.enter('detachRolePolicy', [roleName, policyArn]);
    return this.detach(this.role(roleName, 'DetachRolePolicy'), policyArn, 'DetachRolePolicy');
  }

  async listAttachedRolePolicyArns(roleName: string): Promise<string[]> {
    await this.faults.enter('listAttachedRolePolicyArns', [roleName]);
    return [...this.role(roleName, 'ListAttachedRolePolicies').attached];
  }

  async deleteUser(userName: string): Promise<RequestId> {
    await this.faults.enter('deleteUser', [userName]);
    const u = this.user(userName, 'DeleteUser');
    const left = [u.loginProfile, u.keys.length, u.signingCertificateIds.length, u.sshPublicKeyIds.length, u.serviceSpecificCredentialIds.length,
      u.mfaDevices.length, u.inline.size, u.attached.length, u.groups.length].some(Boolean);
    if (left) throw new AwsError('DeleteConflict', 'Cannot delete entity, must remove everything attached to the user first.', 'iam', 'DeleteUser');
    this.users.delete(userName);
    return this.requestId();
  }
}
