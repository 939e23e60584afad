/**
 * IAM roles (2010-05-08): GetRole and the role's inline policies (put, get, delete, list),
 * as the API reference describes them:
 * - documents come back URL-encoded; a document that is not a JSON object is
 *   MalformedPolicyDocument;
 * - a role's inline policies together may hold 10,240 characters, whitespace not counted
 *   (LimitExceeded, 409);
 * - a missing role or policy is NoSuchEntity (404) in IAM's wording.
 */
import { FakeAwsFault, noSuchEntity } from './faults.js';
import { encodePolicyDocument, type HandlerContext, type HandlerTable } from './handlers.js';
import { attachedResult } from './iam-read-handlers.js';
import { isJsonObject } from './iam-write-handlers.js';
import { listResult } from './request.js';
import type { RoleState } from './state.js';
import type { XmlFields } from './xml.js';

const INLINE_POLICY_CHARS_PER_ROLE = 10_240;

/** The role named by the required `RoleName` (roles never default to the caller). */
function roleOf(ctx: HandlerContext): RoleState {
  const name = ctx.params.required('RoleName');
  const role = ctx.account.roles.get(name);
  if (!role) throw noSuchEntity('role', name);
  return role;
}

function getRole(ctx: HandlerContext): XmlFields {
  const role = roleOf(ctx);
  return {
    Role: {
      Path: role.path,
      RoleName: role.name,
      RoleId: role.id,
      Arn: role.arn,
      CreateDate: role.createdAt,
      AssumeRolePolicyDocument: encodePolicyDocument(role.assumeRolePolicy),
      MaxSessionDuration: role.maxSessionDuration,
      // IAM sends an empty RoleLastUsed for a role never used (the fake does not track use).
      RoleLastUsed: {},
    },
  };
}

/** Creates or replaces an inline policy; the text is kept as sent. */
function putRolePolicy(ctx: HandlerContext): undefined {
  const role = roleOf(ctx);
  const name = ctx.params.required('PolicyName');
  const text = ctx.params.required('PolicyDocument');
  if (!isJsonObject(text)) throw new FakeAwsFault('MalformedPolicyDocument', 'Syntax errors in policy.');
  const others = [...role.inline].filter(([n]) => n !== name).map(([, doc]) => doc);
  const size = [...others, text].reduce((sum, doc) => sum + doc.replace(/\s/g, '').length, 0);
  if (size > INLINE_POLICY_CHARS_PER_ROLE) {
    throw new FakeAwsFault('LimitExceeded', `Maximum policy size of ${INLINE_POLICY_CHARS_PER_ROLE} bytes exceeded for role ${role.name}`);
  }
  role.inline.set(name, text);
  return undefined;
}

function getRolePolicy(ctx: HandlerContext): XmlFields {
  const role = roleOf(ctx);
  const name = ctx.params.required('PolicyName');
  const text = role.inline.get(name);
  if (text === undefined) throw noSuchEntity('role policy', name);
  return { RoleName: role.name, PolicyName: name, PolicyDocument: encodePolicyDocument(text) };
}

function deleteRolePolicy(ctx: HandlerContext): undefined {
  const role = roleOf(ctx);
  const name = ctx.params.required('PolicyName');
  if (!role.inline.delete(name)) throw noSuchEntity('role policy', name);
  return undefined;
}

function listRolePolicies(ctx: HandlerContext): XmlFields {
  const names = [...roleOf(ctx).inline.keys()];
  return listResult('PolicyNames', names, { params: ctx.params, pageCap: ctx.world.pageCap }, (name) => name);
}

function listAttachedRolePolicies(ctx: HandlerContext): XmlFields {
  return attachedResult(roleOf(ctx).attached, ctx);
}

/** Detaching a policy the role does not have is NoSuchEntity, as for users. */
function detachRolePolicy(ctx: HandlerContext): undefined {
  const role = roleOf(ctx);
  const arn = ctx.params.required('PolicyArn');
  const index = role.attached.indexOf(arn);
  if (index < 0) throw new FakeAwsFault('NoSuchEntity', `Policy ${arn} was not found.`);
  role.attached.splice(index, 1);
  return undefined;
}

/** IAM role reads and inline-policy changes. */
export const iamRoleHandlers: HandlerTable = {
  GetRole: getRole,
  PutRolePolicy: putRolePolicy,
  GetRolePolicy: getRolePolicy,
  DeleteRolePolicy: deleteRolePolicy,
  ListRolePolicies: listRolePolicies,
  ListAttachedRolePolicies: listAttachedRolePolicies,
  DetachRolePolicy: detachRolePolicy,
};
