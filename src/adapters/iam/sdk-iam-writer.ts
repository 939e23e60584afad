/**
 * `IamWriter` over the AWS SDK: one IAM call per change, every list followed across pages,
 * errors as `AwsError` with IAM's own code (NoSuchEntity, DeleteConflict, LimitExceeded …).
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
  GetLoginProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListServiceSpecificCredentialsCommand,
  paginateListAccessKeys,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
  paginateListUserPolicies,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
  type ServiceSpecificCredentialMetadata,
} from '@aws-sdk/client-iam';
import { AwsError } from '../../domain/errors.js';
import type { NewAccessKey, UserFootprint } from '../../domain/action/iam-footprint.js';
import type { PolicyDocument } from '../../domain/assessment/policy-document.js';
import type { IamWriter, RequestId } from '../../ports/iam-writer.js';
import { callAws } from '../aws-errors.js';
import { decodePolicyDocument } from './policy-document-codec.js';

const SERVICE = 'iam';

/** IAM writes on an injected client; construct once per process like `SdkIamReader`. */
export class SdkIamWriter implements IamWriter {
  private readonly paging: { readonly client: IAMClient };

  constructor(private readonly iam: IAMClient) {
    this.paging = { client: iam };
  }

  async setAccessKeyStatus(userName: string, keyId: string, status: 'Active' | 'Inactive'): Promise<RequestId> {
    return this.change('UpdateAccessKey', () =>
      this.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: keyId, Status: status })),
    );
  }

  async deleteAccessKey(userName: string, keyId: string): Promise<RequestId> {
    return this.change('DeleteAccessKey', () => this.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: keyId })));
  }

  /** The new key straight from IAM's answer; nothing here keeps or logs the secret. */
  async createAccessKey(userName: string): Promise<NewAccessKey> {
    const operation = 'CreateAccessKey';
    const { AccessKey: key } = await this.call(operation, () => this.iam.send(new CreateAccessKeyCommand({ UserName: userName })));
    if (!key?.AccessKeyId || !key.SecretAccessKey) {
      throw new AwsError('MissingAccessKey', `IAM ${operation} returned no complete key for ${userName}`, SERVICE, operation);
    }
    const createdAt = (key.CreateDate ?? new Date()).toISOString();
    return { keyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, createdAt };
  }

  async putUserPolicy(userName: string, policyName: string, document: PolicyDocument): Promise<RequestId> {
    const PolicyDocument = JSON.stringify(document);
    return this.change('PutUserPolicy', () =>
      this.iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument })),
    );
  }

  /** Undefined when IAM answers NoSuchEntity (no such policy — or no such user). */
  async getUserPolicy(userName: string, policyName: string): Promise<PolicyDocument | undefined> {
    const operation = 'GetUserPolicy';
    const output = await this.absentIfNoSuchEntity(operation, () =>
      this.iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName })),
    );
    return output && decodePolicyDocument(output.PolicyDocument, operation);
  }

  async deleteUserPolicy(userName: string, policyName: string): Promise<RequestId> {
    return this.change('DeleteUserPolicy', () =>
      this.iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: policyName })),
    );
  }

  async attachUserPolicy(userName: string, policyArn: string): Promise<RequestId> {
    return this.change('AttachUserPolicy', () =>
      this.iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn })),
    );
  }

  async detachUserPolicy(userName: string, policyArn: string): Promise<RequestId> {
    return this.change('DetachUserPolicy', () =>
      this.iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn })),
    );
  }

  async detachRolePolicy(roleName: string, policyArn: string): Promise<RequestId> {
    return this.change('DetachRolePolicy', () =>
      this.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })),
    );
  }

  async listAttachedRolePolicyArns(roleName: string): Promise<string[]> {
    const pages = paginateListAttachedRolePolicies(this.paging, { RoleName: roleName });
    const attached = await this.collect('ListAttachedRolePolicies', pages, (page) => page.AttachedPolicies);
    return present(attached.map((p) => p.PolicyArn));
  }

  async listAttachedUserPolicyArns(userName: string): Promise<string[]> {
    const pages = paginateListAttachedUserPolicies(this.paging, { UserName: userName });
    const attached = await this.collect('ListAttachedUserPolicies', pages, (page) => page.AttachedPolicies);
    return present(attached.map((p) => p.PolicyArn));
  }

  /**
   * Every list DeleteUser cares about, all pages. A missing user fails the lists with
   * NoSuchEntity; a missing login profile is the same code from GetLoginProfile, so the
   * profile's NoSuchEntity counts as "none" only because the lists prove the user exists.
   */
  async getUserFootprint(userName: string): Promise<UserFootprint> {
    const user = { UserName: userName };
    const [keys, certificates, sshKeys, serviceCredentials, mfaDevices, inline, attached, groups, loginProfile] =
      await Promise.all([
        this.collect('ListAccessKeys', paginateListAccessKeys(this.paging, user), (p) => p.AccessKeyMetadata),
        this.collect('ListSigningCertificates', paginateListSigningCertificates(this.paging, user), (p) => p.Certificates),
        this.collect('ListSSHPublicKeys', paginateListSSHPublicKeys(this.paging, user), (p) => p.SSHPublicKeys),
        this.serviceSpecificCredentials(userName),
        this.collect('ListMFADevices', paginateListMFADevices(this.paging, user), (p) => p.MFADevices),
        this.collect('ListUserPolicies', paginateListUserPolicies(this.paging, user), (p) => p.PolicyNames),
        this.listAttachedUserPolicyArns(userName),
        this.collect('ListGroupsForUser', paginateListGroupsForUser(this.paging, user), (p) => p.Groups),
        this.absentIfNoSuchEntity('GetLoginProfile', () => this.iam.send(new GetLoginProfileCommand(user))),
      ]);
    return {
      userName,
      loginProfile: loginProfile?.LoginProfile !== undefined,
      accessKeyIds: present(keys.map((k) => k.AccessKeyId)),
      signingCertificateIds: present(certificates.map((c) => c.CertificateId)),
      sshPublicKeyIds: present(sshKeys.map((k) => k.SSHPublicKeyId)),
      serviceSpecificCredentialIds: present(serviceCredentials.map((c) => c.ServiceSpecificCredentialId)),
      mfaDevices: present(mfaDevices.map((d) => d.SerialNumber)).map((serialNumber) => ({
        serialNumber,
        virtual: serialNumber.startsWith('arn:'),
      })),
      inlinePolicyNames: inline,
      attachedPolicyArns: attached,
      groupNames: present(groups.map((g) => g.GroupName)),
    };
  }

  async deleteLoginProfile(userName: string): Promise<RequestId> {
    return this.change('DeleteLoginProfile', () => this.iam.send(new DeleteLoginProfileCommand({ UserName: userName })));
  }

  async deleteSigningCertificate(userName: string, certificateId: string): Promise<RequestId> {
    return this.change('DeleteSigningCertificate', () =>
      this.iam.send(new DeleteSigningCertificateCommand({ UserName: userName, CertificateId: certificateId })),
    );
  }

  async deleteSshPublicKey(userName: string, sshPublicKeyId: string): Promise<RequestId> {
    return this.change('DeleteSSHPublicKey', () =>
      this.iam.send(new DeleteSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyId: sshPublicKeyId })),
    );
  }

  async deleteServiceSpecificCredential(userName: string, credentialId: string): Promise<RequestId> {
    return this.change('DeleteServiceSpecificCredential', () =>
      this.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: credentialId })),
    );
  }

  async deactivateMfaDevice(userName: string, serialNumber: string): Promise<RequestId> {
    return this.change('DeactivateMFADevice', () =>
      this.iam.send(new DeactivateMFADeviceCommand({ UserName: userName, SerialNumber: serialNumber })),
    );
  }

  async deleteVirtualMfaDevice(serialNumber: string): Promise<RequestId> {
    return this.change('DeleteVirtualMFADevice', () =>
      this.iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serialNumber })),
    );
  }

  async removeUserFromGroup(userName: string, groupName: string): Promise<RequestId> {
    return this.change('RemoveUserFromGroup', () =>
      this.iam.send(new RemoveUserFromGroupCommand({ UserName: userName, GroupName: groupName })),
    );
  }

  async putRolePolicy(roleName: string, policyName: string, document: PolicyDocument): Promise<RequestId> {
    const PolicyDocument = JSON.stringify(document);
    return this.change('PutRolePolicy', () =>
      this.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument })),
    );
  }

  /** Undefined when IAM answers NoSuchEntity (no such policy — or no such role). */
  async getRolePolicy(roleName: string, policyName: string): Promise<PolicyDocument | undefined> {
    const operation = 'GetRolePolicy';
    const output = await this.absentIfNoSuchEntity(operation, () =>
      this.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
    );
    return output && decodePolicyDocument(output.PolicyDocument, operation);
  }

  async deleteRolePolicy(roleName: string, policyName: string): Promise<RequestId> {
    return this.change('DeleteRolePolicy', () =>
      this.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
    );
  }

  /** GetRole: false on NoSuchEntity, any other failure thrown. */
  async roleExists(roleName: string): Promise<boolean> {
    const output = await this.absentIfNoSuchEntity('GetRole', () => this.iam.send(new GetRoleCommand({ RoleName: roleName })));
    return output !== undefined;
  }

  async deleteUser(userName: string): Promise<RequestId> {
    return this.change('DeleteUser', () => this.iam.send(new DeleteUserCommand({ UserName: userName })));
  }

  /** The SDK has no paginator for this list; Marker and IsTruncated work as for the others. */
  private serviceSpecificCredentials(userName: string): Promise<ServiceSpecificCredentialMetadata[]> {
    return this.call('ListServiceSpecificCredentials', async () => {
      const all: ServiceSpecificCredentialMetadata[] = [];
      let marker: string | undefined;
      do {
        const page = await this.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: userName, Marker: marker }));
        all.push(...(page.ServiceSpecificCredentials ?? []));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      return all;
    });
  }

  /** The call's output, or undefined when IAM answers NoSuchEntity. */
  private async absentIfNoSuchEntity<T>(operation: string, send: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(operation, send);
    } catch (error) {
      if (error instanceof AwsError && error.code === 'NoSuchEntity') return undefined;
      throw error;
    }
  }

  private call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return callAws(SERVICE, operation, send);
  }

  /** A change, resolving to AWS's request id for the record. */
  private async change(operation: string, send: () => Promise<{ $metadata: { requestId?: string } }>): Promise<RequestId> {
    return (await this.call(operation, send)).$metadata.requestId;
  }

  /** Every item of every page, as one list. */
  private collect<P, T>(operation: string, pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
    return this.call(operation, async () => {
      const all: T[] = [];
      for await (const page of pages) all.push(...(items(page) ?? []));
      return all;
    });
  }
}

function present(values: readonly (string | undefined)[]): string[] {
  return values.filter((v): v is string => v !== undefined && v !== '');
}
