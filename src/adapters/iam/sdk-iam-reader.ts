/**
 * `IamReader` over the AWS SDK: follows every page, decodes policy documents, and answers
 * "absent" where IAM's NoSuchEntity means exactly that.
 */
import {
  GetAccessKeyLastUsedCommand,
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
  type IAMClient,
  type ServiceSpecificCredentialMetadata,
} from '@aws-sdk/client-iam';
import type { UserFootprint } from '../../domain/action/iam-footprint.js';
import type { AccessKeyMeta, LastUse } from '../../domain/assessment/assessment.js';
import { AwsError } from '../../domain/errors.js';
import type { PolicyDocument, UserAccess } from '../../domain/assessment/policy-document.js';
import type { IamReader } from '../../ports/iam-reader.js';
import { absentIfNoSuchEntity, callIam, collectPages, IAM_SERVICE, present } from './iam-calls.js';
import { decodePolicyDocument } from './policy-document-codec.js';
import { PolicyVersionCache } from './policy-version-cache.js';
import { UserAccessReads } from './user-access-reads.js';

const KEY_STATUSES: ReadonlySet<string> = new Set(['Active', 'Inactive', 'Expired']);

export interface SdkIamReaderOptions {
  /** Share one cache per process; defaults to a cache of this reader's own. */
  readonly policyVersionCache?: PolicyVersionCache;
}

/** IAM reads on an injected client; construct once per process like `SdkIamWriter`. */
export class SdkIamReader implements IamReader {
  private readonly access: UserAccessReads;
  private readonly paging: { readonly client: IAMClient };

  constructor(
    private readonly iam: IAMClient,
    options: SdkIamReaderOptions = {},
  ) {
    this.access = new UserAccessReads(iam, options.policyVersionCache ?? new PolicyVersionCache());
    this.paging = { client: iam };
  }

  async getAccessKeyLastUsed(keyId: string): Promise<{ userName: string; lastUsed: LastUse | null }> {
    const operation = 'GetAccessKeyLastUsed';
    const output = await callIam(operation, () =>
      this.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId })),
    );
    if (!output.UserName) throw new AwsError('MissingUserName', `IAM ${operation} named no owner`, IAM_SERVICE, operation);
    const used = output.AccessKeyLastUsed;
    // IAM leaves LastUsedDate out (and says "N/A" for service and region) for a key never used.
    const lastUsed = used?.LastUsedDate
      ? { at: used.LastUsedDate.toISOString(), service: used.ServiceName ?? 'N/A', region: used.Region ?? 'N/A' }
      : null;
    return { userName: output.UserName, lastUsed };
  }

  async listAccessKeys(userName: string): Promise<AccessKeyMeta[]> {
    const pages = paginateListAccessKeys(this.paging, { UserName: userName });
    const keys = await collectPages('ListAccessKeys', pages, (page) => page.AccessKeyMetadata);
    return keys.flatMap((key) => {
      if (!key.AccessKeyId || !key.Status || !KEY_STATUSES.has(key.Status)) return [];
      const meta = { keyId: key.AccessKeyId, status: key.Status as AccessKeyMeta['status'] };
      return [key.CreateDate ? { ...meta, createdAt: key.CreateDate.toISOString() } : meta];
    });
  }

  getUserAccess(userName: string): Promise<UserAccess> {
    return this.access.read(userName);
  }

  /** Undefined when IAM answers NoSuchEntity (no such policy — or no such user). */
  async getUserPolicy(userName: string, policyName: string): Promise<PolicyDocument | undefined> {
    const operation = 'GetUserPolicy';
    const output = await absentIfNoSuchEntity(operation, () =>
      this.iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName })),
    );
    return output && decodePolicyDocument(output.PolicyDocument, operation);
  }

  async listAttachedUserPolicyArns(userName: string): Promise<string[]> {
    const pages = paginateListAttachedUserPolicies(this.paging, { UserName: userName });
    const attached = await collectPages('ListAttachedUserPolicies', pages, (page) => page.AttachedPolicies);
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
        collectPages('ListAccessKeys', paginateListAccessKeys(this.paging, user), (p) => p.AccessKeyMetadata),
        collectPages('ListSigningCertificates', paginateListSigningCertificates(this.paging, user), (p) => p.Certificates),
        collectPages('ListSSHPublicKeys', paginateListSSHPublicKeys(this.paging, user), (p) => p.SSHPublicKeys),
        this.serviceSpecificCredentials(userName),
        collectPages('ListMFADevices', paginateListMFADevices(this.paging, user), (p) => p.MFADevices),
        collectPages('ListUserPolicies', paginateListUserPolicies(this.paging, user), (p) => p.PolicyNames),
        this.listAttachedUserPolicyArns(userName),
        collectPages('ListGroupsForUser', paginateListGroupsForUser(this.paging, user), (p) => p.Groups),
        absentIfNoSuchEntity('GetLoginProfile', () => this.iam.send(new GetLoginProfileCommand(user))),
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

  /** Undefined when IAM answers NoSuchEntity (no such policy — or no such role). */
  async getRolePolicy(roleName: string, policyName: string): Promise<PolicyDocument | undefined> {
    const operation = 'GetRolePolicy';
    const output = await absentIfNoSuchEntity(operation, () =>
      this.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
    );
    return output && decodePolicyDocument(output.PolicyDocument, operation);
  }

  /** GetRole: false on NoSuchEntity, any other failure thrown. */
  async roleExists(roleName: string): Promise<boolean> {
    const output = await absentIfNoSuchEntity('GetRole', () => this.iam.send(new GetRoleCommand({ RoleName: roleName })));
    return output !== undefined;
  }

  async listAttachedRolePolicyArns(roleName: string): Promise<string[]> {
    const pages = paginateListAttachedRolePolicies(this.paging, { RoleName: roleName });
    const attached = await collectPages('ListAttachedRolePolicies', pages, (page) => page.AttachedPolicies);
    return present(attached.map((p) => p.PolicyArn));
  }

  /** The SDK has no paginator for this list; Marker and IsTruncated work as for the others. */
  private serviceSpecificCredentials(userName: string): Promise<ServiceSpecificCredentialMetadata[]> {
    return callIam('ListServiceSpecificCredentials', async () => {
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
}
