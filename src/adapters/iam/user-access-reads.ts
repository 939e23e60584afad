/**
 * What a user may do, as IAM stores it: inline, attached, group and boundary policies with
 * decoded documents. Managed policies go GetPolicy → DefaultVersionId → GetPolicyVersion.
 */
import {
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  paginateListAttachedGroupPolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupPolicies,
  paginateListGroupsForUser,
  paginateListUserPolicies,
  type AttachedPolicy,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AwsError } from '../../domain/errors.js';
import type { GroupAccess, NamedPolicy, PolicyDocument, UserAccess } from '../../domain/assessment/policy-document.js';
import { callIam, collectPages, IAM_SERVICE } from './iam-calls.js';
import { decodePolicyDocument } from './policy-document-codec.js';
import type { PolicyVersionCache } from './policy-version-cache.js';

/** Policy fetches in flight at once per list, to stay clear of IAM's rate limits. */
const FETCH_CONCURRENCY = 4;

/** Reads a user's policies on an injected client, sharing `cache` for managed policy versions. */
export class UserAccessReads {
  private readonly paging: { readonly client: IAMClient };

  constructor(
    private readonly iam: IAMClient,
    private readonly cache: PolicyVersionCache,
  ) {
    this.paging = { client: iam };
  }

  /**
   * Inline, attached, group and boundary policies of a user, with decoded documents. GetUser
   * and every list start at once; only the boundary's documents wait for GetUser.
   */
  async read(userName: string): Promise<UserAccess> {
    const user = callIam('GetUser', () => this.iam.send(new GetUserCommand({ UserName: userName }))).then(({ User }) => {
      if (!User?.Arn) throw new AwsError('MissingUser', `IAM GetUser returned no user ${userName}`, IAM_SERVICE, 'GetUser');
      return User;
    });
    const boundary = user.then((u) => {
      const boundaryArn = u.PermissionsBoundary?.PermissionsBoundaryArn;
      return boundaryArn ? this.managedPolicy(boundaryArn) : undefined;
    });
    const lists = Promise.all([this.userInlinePolicies(userName), this.userAttachedPolicies(userName), this.groupsOf(userName)]);
    // Awaited below; marked handled now so a failure there while GetUser is awaited is not reported as unhandled.
    lists.catch(() => undefined);
    // GetUser's failure is the one reported, as when it was asked first.
    const [found, boundaryPolicy] = await Promise.all([user, boundary]);
    const [inline, attached, groups] = await lists;
    const access = { userName, userArn: found.Arn!, inline, attached, groups };
    return boundaryPolicy ? { ...access, boundary: boundaryPolicy } : access;
  }

  private async userInlinePolicies(userName: string): Promise<NamedPolicy[]> {
    const pages = paginateListUserPolicies(this.paging, { UserName: userName });
    const names = await collectPages('ListUserPolicies', pages, (page) => page.PolicyNames);
    return inlinePolicies(names, 'GetUserPolicy', (name) =>
      this.iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name })),
    );
  }

  private async userAttachedPolicies(userName: string): Promise<NamedPolicy[]> {
    const pages = paginateListAttachedUserPolicies(this.paging, { UserName: userName });
    return this.managedPolicies(await collectPages('ListAttachedUserPolicies', pages, (page) => page.AttachedPolicies));
  }

  private async groupsOf(userName: string): Promise<GroupAccess[]> {
    const pages = paginateListGroupsForUser(this.paging, { UserName: userName });
    const groups = await collectPages('ListGroupsForUser', pages, (page) => page.Groups);
    const names = groups.flatMap((group) => (group.GroupName ? [group.GroupName] : []));
    return Promise.all(names.map((name) => this.groupAccess(name)));
  }

  private async groupAccess(groupName: string): Promise<GroupAccess> {
    const [inline, attached] = await Promise.all([
      this.groupInlinePolicies(groupName),
      this.groupAttachedPolicies(groupName),
    ]);
    return { name: groupName, inline, attached };
  }

  private async groupInlinePolicies(groupName: string): Promise<NamedPolicy[]> {
    const pages = paginateListGroupPolicies(this.paging, { GroupName: groupName });
    const names = await collectPages('ListGroupPolicies', pages, (page) => page.PolicyNames);
    return inlinePolicies(names, 'GetGroupPolicy', (name) =>
      this.iam.send(new GetGroupPolicyCommand({ GroupName: groupName, PolicyName: name })),
    );
  }

  private async groupAttachedPolicies(groupName: string): Promise<NamedPolicy[]> {
    const pages = paginateListAttachedGroupPolicies(this.paging, { GroupName: groupName });
    return this.managedPolicies(await collectPages('ListAttachedGroupPolicies', pages, (page) => page.AttachedPolicies));
  }

  private managedPolicies(attached: readonly AttachedPolicy[]): Promise<NamedPolicy[]> {
    const arns = attached.flatMap((policy) => (policy.PolicyArn ? [policy.PolicyArn] : []));
    return mapLimited(arns, (arn) => this.managedPolicy(arn));
  }

  /** GetPolicy every time (the default version may have moved), the version's document once. */
  private async managedPolicy(arn: string): Promise<NamedPolicy> {
    const operation = 'GetPolicy';
    const { Policy: policy } = await callIam(operation, () => this.iam.send(new GetPolicyCommand({ PolicyArn: arn })));
    const versionId = policy?.DefaultVersionId;
    if (!versionId) throw new AwsError('MissingDefaultVersion', `No default version for ${arn}`, IAM_SERVICE, operation);
    const name = policy.PolicyName ?? arn.slice(arn.lastIndexOf('/') + 1);
    return { name, arn, document: await this.policyVersionDocument(arn, versionId) };
  }

  private async policyVersionDocument(arn: string, versionId: string): Promise<PolicyDocument> {
    const cached = this.cache.get(arn, versionId);
    if (cached) return cached;
    const operation = 'GetPolicyVersion';
    const output = await callIam(operation, () =>
      this.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })),
    );
    const document = decodePolicyDocument(output.PolicyVersion?.Document, operation);
    this.cache.set(arn, versionId, document);
    return document;
  }
}

/** Each named inline policy with its decoded document, fetched with `get`. */
function inlinePolicies(
  names: readonly string[],
  operation: string,
  get: (name: string) => Promise<{ PolicyDocument?: string | undefined }>,
): Promise<NamedPolicy[]> {
  return mapLimited(names, async (name) => {
    const output = await callIam(operation, () => get(name));
    return { name, document: decodePolicyDocument(output.PolicyDocument, operation) };
  });
}

/** `fn` over `items`, at most FETCH_CONCURRENCY at a time, results in input order. */
async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, items.length) }, worker));
  return results;
}
