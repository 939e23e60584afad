/**
 * `IamWriter` over the AWS SDK: one IAM call per change, resolving to AWS's request id; errors as `AwsError` with IAM's own code (NoSuchEntity, DeleteConflict, LimitExceeded …).
 */
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteRolePolicyCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AwsError } from '../../domain/errors.js';
import type { NewAccessKey } from '../../domain/action/iam-footprint.js';
import type { PolicyDocument } from '../../domain/assessment/policy-document.js';
import type { IamWriter, RequestId } from '../../ports/iam-writer.js';
import { callIam, changeIam, IAM_SERVICE } from './iam-calls.js';

/** IAM writes on an injected client; construct once per process like `SdkIamReader`. */
export class SdkIamWriter implements IamWriter {
  constructor(private readonly iam: IAMClient) {}

  async setAccessKeyStatus(userName: string, keyId: string, status: 'Active' | 'Inactive'): Promise<RequestId> {
    return changeIam('UpdateAccessKey', () =>
      this.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: keyId, Status: status })),
    );
  }

  async deleteAccessKey(userName: string, keyId: string): Promise<RequestId> {
    return changeIam('DeleteAccessKey', () => this.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: keyId })));
  }

  /** The new key straight from IAM's answer; nothing here keeps or logs the secret. */
  async createAccessKey(userName: string): Promise<NewAccessKey> {
    const operation = 'CreateAccessKey';
    const { AccessKey: key } = await callIam(operation, () => this.iam.send(new CreateAccessKeyCommand({ UserName: userName })));
    if (!key?.AccessKeyId || !key.SecretAccessKey) {
      throw new AwsError('MissingAccessKey', `IAM ${operation} returned no complete key for ${userName}`, IAM_SERVICE, operation);
    }
    const createdAt = (key.CreateDate ?? new Date()).toISOString();
    return { keyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, createdAt };
  }

  async putUserPolicy(userName: string, policyName: string, document: PolicyDocument): Promise<RequestId> {
    const PolicyDocument = JSON.stringify(document);
    return changeIam('PutUserPolicy', () =>
      this.iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument })),
    );
  }

  async deleteUserPolicy(userName: string, policyName: string): Promise<RequestId> {
    return changeIam('DeleteUserPolicy', () =>
      this.iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: policyName })),
    );
  }

  async attachUserPolicy(userName: string, policyArn: string): Promise<RequestId> {
    return changeIam('AttachUserPolicy', () =>
      this.iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn })),
    );
  }

  async detachUserPolicy(userName: string, policyArn: string): Promise<RequestId> {
    return changeIam('DetachUserPolicy', () =>
      this.iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn })),
    );
  }

  async detachRolePolicy(roleName: string, policyArn: string): Promise<RequestId> {
    return changeIam('DetachRolePolicy', () =>
      this.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })),
    );
  }

  async deleteLoginProfile(userName: string): Promise<RequestId> {
    return changeIam('DeleteLoginProfile', () => this.iam.send(new DeleteLoginProfileCommand({ UserName: userName })));
  }

  async deleteSigningCertificate(userName: string, certificateId: string): Promise<RequestId> {
    return changeIam('DeleteSigningCertificate', () =>
      this.iam.send(new DeleteSigningCertificateCommand({ UserName: userName, CertificateId: certificateId })),
    );
  }

  async deleteSshPublicKey(userName: string, sshPublicKeyId: string): Promise<RequestId> {
    return changeIam('DeleteSSHPublicKey', () =>
      this.iam.send(new DeleteSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyId: sshPublicKeyId })),
    );
  }

  async deleteServiceSpecificCredential(userName: string, credentialId: string): Promise<RequestId> {
    return changeIam('DeleteServiceSpecificCredential', () =>
      this.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId })),
    );
  }

  async deactivateMfaDevice(userName: string, serialNumber: string): Promise<RequestId> {
    return changeIam('DeactivateMFADevice', () =>
      this.iam.send(new DeactivateMFADeviceCommand({ UserName: userName, SerialNumber: serialNumber })),
    );
  }

  async deleteVirtualMfaDevice(serialNumber: string): Promise<RequestId> {
    return changeIam('DeleteVirtualMFADevice', () =>
      this.iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serialNumber })),
    );
  }

  async removeUserFromGroup(userName: string, groupName: string): Promise<RequestId> {
    return changeIam('RemoveUserFromGroup', () =>
      this.iam.send(new RemoveUserFromGroupCommand({ UserName: userName, GroupName: groupName })),
    );
  }

  async putRolePolicy(roleName: string, policyName: string, document: PolicyDocument): Promise<RequestId> {
    const PolicyDocument = JSON.stringify(document);
    return changeIam('PutRolePolicy', () =>
      this.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument })),
    );
  }

  async deleteRolePolicy(roleName: string, policyName: string): Promise<RequestId> {
    return changeIam('DeleteRolePolicy', () =>
      this.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
    );
  }

  async deleteUser(userName: string): Promise<RequestId> {
    return changeIam('DeleteUser', () => this.iam.send(new DeleteUserCommand({ UserName: userName })));
  }
}
