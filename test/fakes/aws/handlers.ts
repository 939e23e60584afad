/**
 * The shape of an operation handler and the lookups most IAM handlers share. A handler gets
 * the parsed parameters and the caller's account, returns the Result fields (or undefined for
 * operations without output) and throws `FakeAwsFault` for error answers.
 */
import { FakeAwsFault, noSuchEntity } from './faults.js';
import type { QueryParams } from './request.js';
import type { AccountState, GroupState, ManagedPolicyState, UserState } from './state.js';
import type { Caller, FakeAwsWorld } from './world.js';
import type { XmlFields } from './xml.js';

export interface HandlerContext {
  readonly params: QueryParams;
  readonly world: FakeAwsWorld;
  readonly caller: Caller;
  /** The caller's account: the one IAM operations act on. */
  readonly account: AccountState;
}

export type Handler = (ctx: HandlerContext) => XmlFields | undefined | Promise<XmlFields | undefined>;

/** Action name → handler. Add an operation by adding an entry. */
export type HandlerTable = Readonly<Record<string, Handler>>;

/** The user named by `UserName`, or by default the calling user, as IAM does. */
export function userOf(ctx: HandlerContext, parameter = 'UserName'): UserState {
  const name = ctx.params.optional(parameter) ?? ctx.caller.arn.slice(ctx.caller.arn.lastIndexOf('/') + 1);
  const user = ctx.account.users.get(name);
  if (!user) throw noSuchEntity('user', name);
  return user;
}

export function groupOf(ctx: HandlerContext): GroupState {
  const name = ctx.params.required('GroupName');
  const group = ctx.account.groups.get(name);
  if (!group) throw noSuchEntity('group', name);
  return group;
}

/** The managed policy named by `PolicyArn` (customer or AWS managed). */
export async function policyOf(ctx: HandlerContext): Promise<ManagedPolicyState> {
  const arn = ctx.params.required('PolicyArn');
  const policy = await ctx.world.policy(ctx.account, arn);
  if (!policy) throw new FakeAwsFault('NoSuchEntity', `Policy ${arn} was not found.`);
  return policy;
}

/** Policy text the way IAM returns it: URL-encoded per RFC 3986. */
export function encodePolicyDocument(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The name part of a policy ARN. */
export function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
