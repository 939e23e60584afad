/**
 * Read-only IAM operations, in the shapes of the IAM API reference (2010-05-08).
 */
import { FakeAwsFault, noSuchEntity } from './faults.js';
import {
  encodePolicyDocument,
  groupOf,
  policyNameOf,
  policyOf,
  userOf,
  type HandlerContext,
  type HandlerTable,
} from './handlers.js';
import { listResult, type PageRequest } from './request.js';
import type { AccountState, GroupState, ManagedPolicyState, UserState } from './state.js';
import type { XmlFields } from './xml.js';

function pages(ctx: HandlerContext): PageRequest {
  return { params: ctx.params, pageCap: ctx.world.pageCap };
}

function getAccessKeyLastUsed(ctx: HandlerContext): XmlFields {
  const keyId = ctx.params.required('AccessKeyId');
  const found = ctx.account.findKey(keyId);
  // Real IAM answers a key it does not know, or one of another account, with AccessDenied
  // (403; note "perform iam:…" without the usual colon), never NoSuchEntity.
  if (!found) {
    const message = `User: ${ctx.caller.arn} is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key ${keyId}`;
    throw new FakeAwsFault('AccessDenied', message);
  }
  const { user, key } = found;
  const lastUsed = key.lastUsed;
  return {
    AccessKeyLastUsed: {
      Region: lastUsed?.region ?? 'N/A',
      LastUsedDate: lastUsed?.at,
      ServiceName: lastUsed?.service ?? 'N/A',
    },
    UserName: user.name,
  };
}

function listAccessKeys(ctx: HandlerContext): XmlFields {
  const user = userOf(ctx);
  return listResult('AccessKeyMetadata', user.keys, pages(ctx), (key) => ({
    UserName: user.name,
    AccessKeyId: key.id,
    Status: key.status,
    CreateDate: key.createdAt,
  }));
}

function getUser(ctx: HandlerContext): XmlFields {
  const user = userOf(ctx);
  const boundary = user.boundaryArn === undefined
    ? undefined
    : { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: user.boundaryArn };
  return { User: { ...userFields(user), PermissionsBoundary: boundary } };
}

/** The account's users whose path starts with PathPrefix (default `/`: all), paged; no boundary, as IAM lists them. */
function listUsers(ctx: HandlerContext): XmlFields {
  const prefix = ctx.params.optional('PathPrefix') ?? '/';
  const users = [...ctx.account.users.values()].filter((u) => u.path.startsWith(prefix));
  return listResult('Users', users, pages(ctx), userFields);
}

function userFields(user: UserState): XmlFields {
  return { Path: user.path, UserName: user.name, UserId: user.id, Arn: user.arn, CreateDate: user.createdAt };
}

function listUserPolicies(ctx: HandlerContext): XmlFields {
  return listResult('PolicyNames', [...userOf(ctx).inline.keys()], pages(ctx), (name) => name);
}

function getUserPolicy(ctx: HandlerContext): XmlFields {
  const user = userOf(ctx);
  const name = ctx.params.required('PolicyName');
  const text = user.inline.get(name);
  if (text === undefined) throw noSuchEntity('user policy', name);
  return { UserName: user.name, PolicyName: name, PolicyDocument: encodePolicyDocument(text) };
}

function listAttachedUserPolicies(ctx: HandlerContext): XmlFields {
  return attachedResult(userOf(ctx).attached, ctx);
}

function listGroupsForUser(ctx: HandlerContext): XmlFields {
  const groups = userOf(ctx).groups.map((name) => ctx.account.groups.get(name)!);
  return listResult('Groups', groups, pages(ctx), groupFields);
}

function groupFields(group: GroupState): XmlFields {
  return { Path: group.path, GroupName: group.name, GroupId: group.id, Arn: group.arn, CreateDate: group.createdAt };
}

function listGroupPolicies(ctx: HandlerContext): XmlFields {
  return listResult('PolicyNames', [...groupOf(ctx).inline.keys()], pages(ctx), (name) => name);
}

function getGroupPolicy(ctx: HandlerContext): XmlFields {
  const group = groupOf(ctx);
  const name = ctx.params.required('PolicyName');
  const text = group.inline.get(name);
  if (text === undefined) throw noSuchEntity('group policy', name);
  return { GroupName: group.name, PolicyName: name, PolicyDocument: encodePolicyDocument(text) };
}

function listAttachedGroupPolicies(ctx: HandlerContext): XmlFields {
  return attachedResult(groupOf(ctx).attached, ctx);
}

/** A ListAttached…Policies answer for `arns`, paged. */
export function attachedResult(arns: readonly string[], ctx: HandlerContext): XmlFields {
  return listResult('AttachedPolicies', arns, pages(ctx), (arn) => ({ PolicyName: policyNameOf(arn), PolicyArn: arn }));
}

async function getPolicy(ctx: HandlerContext): Promise<XmlFields> {
  return { Policy: policyFields(await policyOf(ctx), ctx.account) };
}

function policyFields(policy: ManagedPolicyState, account: AccountState): XmlFields {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: account.attachmentCount(policy.arn),
    PermissionsBoundaryUsageCount: account.boundaryUsageCount(policy.arn),
    IsAttachable: true,
    Description: policy.description,
    CreateDate: policy.createdAt,
    UpdateDate: policy.updatedAt,
  };
}

async function getPolicyVersion(ctx: HandlerContext): Promise<XmlFields> {
  const policy = await policyOf(ctx);
  const versionId = ctx.params.required('VersionId');
  const version = policy.versions.get(versionId);
  if (!version) {
    throw new FakeAwsFault('NoSuchEntity', `Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`);
  }
  return {
    PolicyVersion: {
      Document: encodePolicyDocument(version.document),
      VersionId: version.id,
      IsDefaultVersion: version.id === policy.defaultVersionId,
      CreateDate: version.createdAt,
    },
  };
}

/** IAM reads: the operations the assessment needs. */
export const iamReadHandlers: HandlerTable = {
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
  ListAccessKeys: listAccessKeys,
  GetUser: getUser,
  ListUsers: listUsers,
  ListUserPolicies: listUserPolicies,
  GetUserPolicy: getUserPolicy,
  ListAttachedUserPolicies: listAttachedUserPolicies,
  ListGroupsForUser: listGroupsForUser,
  ListGroupPolicies: listGroupPolicies,
  GetGroupPolicy: getGroupPolicy,
  ListAttachedGroupPolicies: listAttachedGroupPolicies,
  GetPolicy: getPolicy,
  GetPolicyVersion: getPolicyVersion,
};
