/**
 * What the bot knows of who made a policy attachment a cleanup would remove. IAM keeps no
 * attachment date, and `AttachRolePolicy`/`AttachUserPolicy` succeed on a pair that is already
 * attached, so an attacker's call can point at an attachment production had long before.
 *
 * One kind of evidence counts, because the attacker cannot fake it for an attachment they did
 * not make: the reviewed key itself created the role, the user, or the customer managed policy
 * (a successful `Create…` in the reviewed history, its name as AWS answered it, not deleted by
 * the key). Nothing can have been attached to it before it existed. Anything else, including
 * the key detaching the pair before attaching it (then it was attached before), is unknown.
 */
import { ACTIONS, ActionKind, type ActionTarget } from './kinds.js';

/** A successful `Create…` call of the reviewed key. */
export interface Creation {
  readonly eventId: string;
  /** ISO-8601. */
  readonly eventTime: string;
}

/** What the reviewed key created in the reviewed history: roles and users by name, policies by ARN. */
export interface CreatedByKey {
  readonly roles: ReadonlyMap<string, Creation>;
  readonly users: ReadonlyMap<string, Creation>;
  readonly policies: ReadonlyMap<string, Creation>;
}

export type AttachmentOrigin =
  /** The key created `name` (the role, user or policy of the attachment) in event `eventId`. */
  | ({ readonly known: 'created-by-key'; readonly entity: 'role' | 'user' | 'policy'; readonly name: string } & Creation)
  /** It may have been attached before the incident. */
  | { readonly known: 'age-unknown' };

export const AGE_UNKNOWN: AttachmentOrigin = { known: 'age-unknown' };

/** Kinds that remove a managed policy attachment a CloudTrail finding pointed at. */
const REMOVES_ATTACHMENT: ReadonlySet<ActionKind> = new Set([ActionKind.DetachUserPolicy, ActionKind.DetachRolePolicy]);

export const removesAttachment = (kind: ActionKind): boolean => REMOVES_ATTACHMENT.has(kind);

/** The role or user holding the attachment `kind` removes from `target`. */
function holderOf(kind: ActionKind, target: ActionTarget): { entity: 'role' | 'user'; name: string | undefined } {
  return ACTIONS[kind].on === 'role' ? { entity: 'role', name: target.roleName } : { entity: 'user', name: target.userName };
}

/** Who made the attachment `kind` would remove from `target`; undefined for kinds that remove none. */
export function attachmentOrigin(kind: ActionKind, target: ActionTarget, created: CreatedByKey): AttachmentOrigin | undefined {
  if (!removesAttachment(kind)) return undefined;
  const holder = holderOf(kind, target);
  const byHolder = holder.name === undefined ? undefined : (holder.entity === 'role' ? created.roles : created.users).get(holder.name);
  if (byHolder) return { known: 'created-by-key', entity: holder.entity, name: holder.name!, ...byHolder };
  const byPolicy = target.policyArn === undefined ? undefined : created.policies.get(target.policyArn);
  if (byPolicy) return { known: 'created-by-key', entity: 'policy', name: target.policyArn!, ...byPolicy };
  return AGE_UNKNOWN;
}

/** Whether `origin` is evidence about this very attachment: its role or user, or its policy. */
export function namesAttachment(kind: ActionKind, target: ActionTarget, origin: AttachmentOrigin): boolean {
  if (origin.known !== 'created-by-key') return false;
  if (origin.entity === 'policy') return target.policyArn === origin.name;
  const holder = holderOf(kind, target);
  return holder.entity === origin.entity && holder.name === origin.name;
}
