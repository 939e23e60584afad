/**
 * `IamReader` over the AWS SDK: follows every page, decodes policy documents, and fetches
 * managed policies through GetPolicy → DefaultVersionId → GetPolicyVersion.
 */
import {
  GetAccessKeyLastUsedCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  paginateListAccessKeys,
  paginateListAttachedGroupPolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupPolicies,
  paginateListGroupsForUser,
  paginateListUserPolicies,
  type AttachedPolicy,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { AccessKeyMeta, LastUse } from '../../domain/assessment/assessment.js';
import { AwsError } from '../../domain/errors.js';
import type { GroupAccess, NamedPolicy, PolicyDocument, UserAccess } from '../../domain/assessment/policy-document.js';
import type { IamReader } from '../../ports/iam-reader.js';
import { callAws } from '../aws-errors.js';
import { decodePolicyDocument } from './policy-document-codec.js';
import { PolicyVersionCache } from './policy-version-cache.js';

const SERVICE = 'iam';
/** Policy fetches in flight at once per list, to stay clear of IAM's rate limits. */
const FETCH_CONCURRENCY = 4;
const KEY_STATUSES: ReadonlySet<string> = new Set(['Active', 'Inactive', 'Expired']);

export interface SdkIamReaderOptions {
  /** Share one cache per process; defaults to a cache of this reader's own. */
  readonly policyVersionCache?: PolicyVersionCache;
}

export class SdkIamReader implements IamReader {
  private readonly cache: PolicyVersionCache;
  private readonly paging: { readonly client: IAMClient };

  constructor(
    private readonly iam: IAMClient,
    options: SdkIamReaderOptions = {},
  ) {
    this.cache = options.policyVersionCache ?? new PolicyVersionCache();
    this.paging = { client: iam };
  }

  async getAccessKeyLastUsed(keyId: string): Promise<{ userName: string; lastUsed: LastUse | null }> {
    const operation = 'GetAccessKeyLastUsed';
    const output = await this.call(operation, () =>
      this.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId })),
    );
    if (!output.UserName) throw new AwsError('MissingUserName', `IAM ${operation} named no owner`, SERVICE, operation);
    const used = output.AccessKeyLastUsed;
    // IAM leaves LastUsedDate out (and says "N/A" for service and region) for a key never used.
    const lastUsed = used?.LastUsedDate
      ? { at: used.LastUsedDate.toISOString(), service: used.ServiceName ?? 'N/A', region: used.Region ?? 'N/A' }
      : null;
    return { userName: output.UserName, lastUsed };
  }

  async listAccessKeys(userName: string): Promise<AccessKeyMeta[]> {
    const pages = paginateListAccessKeys(this.paging, { UserName: userName });
    const keys = await this.collect('ListAccessKeys', pages, (page) => page.AccessKeyMetadata);
    return keys.flatMap((key) => {
      if (!key.AccessKeyId || !key.Status || !KEY_STATUSES.has(key.Status)) return [];
      const meta = { keyId: key.AccessKeyId, status: key.Status as AccessKeyMeta['status'] };
      return [key.CreateDate ? { ...meta, createdAt: key.CreateDate.toISOString() } : meta];
    });
  }

  /** GetUser and every list start at once; only the boundary's documents wait for GetUser. */
  async getUserAccess(userName: string): Promise<UserAccess> {
    const user = this.call('GetUser', () => this.iam.send(new GetUserCommand({ UserName: userName }))).then(({ User }) => {
      if (!User?.Arn) throw new AwsError('MissingUser', `IAM GetUser returned no user ${userName}`, SERVICE, 'GetUser');
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
    const names = await this.collect('ListUserPolicies', pages, (page) => page.PolicyNames);
    return mapLimited(names, async (name) => {
      const operation = 'GetUserPolicy';
      const output = await this.call(operation, () =>
        this.iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name })),
      );
      return { name, document: decodePolicyDocument(output.PolicyDocument, operation) };
    });
  }

  private async userAttachedPolicies(userName: string): Promise<NamedPolicy[]> {
    const pages = paginateListAttachedUserPolicies(this.paging, { UserName: userName });
    return this.managedPolicies(await this.collect('ListAttachedUserPolicies', pages, (page) => page.AttachedPolicies));
  }

  private async groupsOf(userName: string): Promise<GroupAccess[]> {
    const pages = paginateListGroupsForUser(this.paging, { UserName: userName });
    const groups = await this.collect('ListGroupsForUser', pages, (page) => page.Groups);
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
    const names = await this.collect('ListGroupPolicies', pages, (page) => page.PolicyNames);
    return mapLimited(names, async (name) => {
      const operation = 'GetGroupPolicy';
      const output = await this.call(operation, () =>
        this.iam.send(new GetGroupPolicyCommand({ GroupName: groupName, PolicyName: name })),
      );
      return { name, document: decodePolicyDocument(output.PolicyDocument, operation) };
    });
  }

  private async groupAttachedPolicies(groupName: string): Promise<NamedPolicy[]> {
    const pages = paginateListAttachedGroupPolicies(this.paging, { GroupName: groupName });
    return this.managedPolicies(await this.collect('ListAttachedGroupPolicies', pages, (page) => page.AttachedPolicies));
  }

  private managedPolicies(attached: readonly AttachedPolicy[]): Promise<NamedPolicy[]> {
    const arns = attached.flatMap((policy) => (policy.PolicyArn ? [policy.PolicyArn] : []));
    return mapLimited(arns, (arn) => this.managedPolicy(arn));
  }

  /** GetPolicy every time (the default version may have moved), the version's document once. */
  private async managedPolicy(arn: string): Promise<NamedPolicy> {
    const operation = 'GetPolicy';
    const { Policy: policy } = await this.call(operation, () => this.iam.send(new GetPolicyCommand({ PolicyArn: arn })));
    const versionId = policy?.DefaultVersionId;
    if (!versionId) throw new AwsError('MissingDefaultVersion', `No default version for ${arn}`, SERVICE, operation);
    const name = policy.PolicyName ?? arn.slice(arn.lastIndexOf('/') + 1);
    return { name, arn, document: await this.policyVersionDocument(arn, versionId) };
  }

  private async policyVersionDocument(arn: string, versionId: string): Promise<PolicyDocument> {
    const cached = this.cache.get(arn, versionId);
    if (cached) return cached;
    const operation = 'GetPolicyVersion';
    const output = await this.call(operation, () =>
      this.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })),
    );
    const document = decodePolicyDocument(output.PolicyVersion?.Document, operation);
    this.cache.set(arn, versionId, document);
    return document;
  }

  private call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return callAws(SERVICE, operation, send);
  }

  /** Every item of every page, as one list. */
  private collect<P, T>(
    operation: string,
    pages: AsyncIterable<P>,
    items: (page: P) => readonly T[] | undefined,
  ): Promise<T[]> {
    return this.call(operation, async () => {
      const all: T[] = [];
      for await (const page of pages) all.push(...(items(page) ?? []));
      return all;
    });
  }
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
