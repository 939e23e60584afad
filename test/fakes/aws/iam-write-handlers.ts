/**
 * IAM changes to access keys, policies, group membership and users (2010-05-08), with the
 * quotas and conflicts real IAM enforces:
 * - two access keys per user, active or not ("Cannot exceed quota for AccessKeysPerUser: 2");
 * - ten managed policies per user; 2,048 characters of inline policy per user, whitespace
 *   not counted;
 * - attaching an attached policy changes nothing, detaching one that is not attached is
 *   NoSuchEntity, removing a user from a group they are not in succeeds;
 * - DeleteUser answers DeleteConflict (409) while anything in `deleteUserConflict` is left.
 */
import { randomBytes } from 'node:crypto';
import { keyIdForAccount } from './access-key-id.js';
import { FakeAwsFault, noSuchEntity, validationError } from './faults.js';
import { groupOf, userOf, type HandlerContext, type HandlerTable } from './handlers.js';
import type { AccessKeyState, UserState } from './state.js';
import type { XmlFields } from './xml.js';

const ACCESS_KEYS_PER_USER = 2;
const MANAGED_POLICIES_PER_USER = 10;
const INLINE_POLICY_CHARS_PER_USER = 2048;
const KEY_STATUSES: ReadonlySet<string> = new Set(['Active', 'Inactive']);

/** The user named by the required `UserName` (these operations do not default to the caller). */
function namedUser(ctx: HandlerContext): UserState {
  ctx.params.required('UserName');
  return userOf(ctx);
}

/** The user (named, or else the caller) and their key `AccessKeyId`. */
function keyOf(ctx: HandlerContext): { user: UserState; key: AccessKeyState } {
  const keyId = ctx.params.required('AccessKeyId');
  const user = userOf(ctx);
  const key = user.keys.find((k) => k.id === keyId);
  if (!key) throw new FakeAwsFault('NoSuchEntity', `The Access Key with id ${keyId} cannot be found.`);
  return { user, key };
}

function updateAccessKey(ctx: HandlerContext): undefined {
  const status = ctx.params.required('Status');
  if (!KEY_STATUSES.has(status)) {
    throw validationError(`Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]`);
  }
  keyOf(ctx).key.status = status as AccessKeyState['status'];
  return undefined;
}

function deleteAccessKey(ctx: HandlerContext): undefined {
  const { user, key } = keyOf(ctx);
  user.keys.splice(user.keys.indexOf(key), 1);
  return undefined;
}

/** A new Active key decoding to the account, with a 40-character secret shown this once. */
function createAccessKey(ctx: HandlerContext): XmlFields {
  const user = userOf(ctx);
  if (user.keys.length >= ACCESS_KEYS_PER_USER) {
    throw new FakeAwsFault('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
  }
  const key: AccessKeyState = {
    id: keyIdForAccount(ctx.account.id),
    status: 'Active',
    createdAt: wholeSeconds(new Date()),
    secret: randomBytes(30).toString('base64'),
  };
  user.keys.push(key);
  return {
    AccessKey: {
      UserName: user.name,
      AccessKeyId: key.id,
      Status: key.status,
      SecretAccessKey: key.secret,
      CreateDate: key.createdAt,
    },
  };
}

/** Creates or replaces an inline policy; the text is kept as sent. */
function putUserPolicy(ctx: HandlerContext): undefined {
  const user = namedUser(ctx);
  const name = ctx.params.required('PolicyName');
  const text = ctx.params.required('PolicyDocument');
  if (!isJsonObject(text)) throw new FakeAwsFault('MalformedPolicyDocument', 'Syntax errors in policy.');
  const others = [...user.inline].filter(([n]) => n !== name).map(([, doc]) => doc);
  const size = [...others, text].reduce((sum, doc) => sum + doc.replace(/\s/g, '').length, 0);
  if (size > INLINE_POLICY_CHARS_PER_USER) {
    throw new FakeAwsFault('LimitExceeded', `Maximum policy size of ${INLINE_POLICY_CHARS_PER_USER} bytes exceeded for user ${user.name}`);
  }
  user.inline.set(name, text);
  return undefined;
}

function deleteUserPolicy(ctx: HandlerContext): undefined {
  const user = namedUser(ctx);
  const name = ctx.params.required('PolicyName');
  if (!user.inline.delete(name)) throw noSuchEntity('user policy', name);
  return undefined;
}

/** Attaching a policy that is already attached succeeds and changes nothing. */
async function attachUserPolicy(ctx: HandlerContext): Promise<undefined> {
  const user = namedUser(ctx);
  const arn = ctx.params.required('PolicyArn');
  const policy = await ctx.world.policy(ctx.account, arn);
  if (!policy) throw new FakeAwsFault('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
  if (user.attached.includes(arn)) return undefined;
  if (user.attached.length >= MANAGED_POLICIES_PER_USER) {
    throw new FakeAwsFault('LimitExceeded', `Cannot exceed quota for PoliciesPerUser: ${MANAGED_POLICIES_PER_USER}`);
  }
  user.attached.push(arn);
  return undefined;
}

/** Detaching a policy that is not attached is NoSuchEntity (404). */
function detachUserPolicy(ctx: HandlerContext): undefined {
  const user = namedUser(ctx);
  const arn = ctx.params.required('PolicyArn');
  const index = user.attached.indexOf(arn);
  if (index < 0) throw new FakeAwsFault('NoSuchEntity', `Policy ${arn} was not found.`);
  user.attached.splice(index, 1);
  return undefined;
}

/** Removing a user from a group they are not in succeeds, as IAM does; unknown names are 404. */
function removeUserFromGroup(ctx: HandlerContext): undefined {
  const group = groupOf(ctx);
  const user = namedUser(ctx);
  const index = user.groups.indexOf(group.name);
  if (index >= 0) user.groups.splice(index, 1);
  return undefined;
}

function deleteUser(ctx: HandlerContext): undefined {
  const user = namedUser(ctx);
  const conflict = deleteUserConflict(user);
  if (conflict) throw new FakeAwsFault('DeleteConflict', `Cannot delete entity, must ${conflict} first.`);
  ctx.account.users.delete(user.name);
  return undefined;
}

/**
 * What still blocks DeleteUser, in IAM's words ("Cannot delete entity, must … first."), or
 * undefined. The wording of each is what IAM has been seen to answer; which one IAM names
 * when several are left is not documented (this checks in the API reference's order).
 */
export function deleteUserConflict(user: UserState): string | undefined {
  if (user.loginProfile) return 'delete login profile';
  if (user.keys.length > 0) return 'delete access keys';
  if (user.signingCertificates.length > 0) return 'delete certificates';
  if (user.sshPublicKeys.length > 0 || user.serviceCredentials.length > 0) return 'remove referenced objects';
  if (user.mfaDevices.length > 0) return 'delete MFA device';
  if (user.inline.size > 0) return 'delete policies';
  if (user.attached.length > 0) return 'detach all policies';
  if (user.groups.length > 0) return 'remove users from group';
  return undefined;
}

export function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** IAM reports times to the second. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** IAM writes on keys, policies, groups and users. */
export const iamWriteHandlers: HandlerTable = {
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
  CreateAccessKey: createAccessKey,
  PutUserPolicy: putUserPolicy,
  DeleteUserPolicy: deleteUserPolicy,
  AttachUserPolicy: attachUserPolicy,
  DetachUserPolicy: detachUserPolicy,
  RemoveUserFromGroup: removeUserFromGroup,
  DeleteUser: deleteUser,
};
