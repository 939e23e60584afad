/**
 * The roles, users and customer managed policies the reviewed key created, the evidence that
 * an attachment of them is the attacker's (`domain/action/attachment-origin.ts`). Only what
 * cannot be steered toward fewer approvers counts: a successful `Create…`, named as AWS
 * answered it (`responseElements`, which the caller does not write); a name the key also
 * deleted, compared without case as IAM does, is dropped (it existed before the key made it
 * again). Memory is bounded; past the bound nothing is claimed.
 */
import type { CreatedByKey, Creation } from '../action/attachment-origin.js';
import { at, obj, str } from './fields.js';
import { ruleKey } from './findings.js';
import type { TrailEvent } from './types.js';

/** Names tracked per kind at most; beyond it the key created too much to vouch for any of it. */
export const MAX_TRACKED = 1000;

type Entity = keyof CreatedByKey;

/** Where AWS's answer names what a call created. */
const CREATES: Readonly<Record<string, readonly [Entity, ...string[]]>> = {
  'iam:CreateRole': ['roles', 'role', 'roleName'],
  'iam:CreateUser': ['users', 'user', 'userName'],
  'iam:CreatePolicy': ['policies', 'policy', 'arn'],
};

/** Which request parameter names what a call deleted. */
const DELETES: Readonly<Record<string, readonly [Entity, string]>> = {
  'iam:DeleteRole': ['roles', 'roleName'],
  'iam:DeleteUser': ['users', 'userName'],
  'iam:DeletePolicy': ['policies', 'policyArn'],
};

const ENTITIES: readonly Entity[] = ['roles', 'users', 'policies'];

export class CreationTracker {
  private readonly made = new Map<Entity, Map<string, Creation>>(ENTITIES.map((e) => [e, new Map()]));
  private readonly gone = new Map<Entity, Set<string>>(ENTITIES.map((e) => [e, new Set()]));
  private overflowed = false;

  add(event: TrailEvent): void {
    if (!obj(event) || str(event.errorCode) !== undefined || this.overflowed) return;
    const key = ruleKey(event);
    const created = CREATES[key];
    if (created) {
      const [entity, ...path] = created;
      const name = str(at(event.responseElements, ...path));
      if (name !== undefined) this.remember(this.made.get(entity)!, name, { eventId: str(event.eventId) ?? '', eventTime: str(event.eventTime) ?? '' });
      return;
    }
    const deleted = DELETES[key];
    const name = deleted && str(at(event.requestParameters, deleted[1]));
    if (deleted && name !== undefined) this.remember(this.gone.get(deleted[0])!, name.toLowerCase());
  }

  /** What the key created and did not delete; nothing once the bound was passed. */
  created(): CreatedByKey {
    const kept = (entity: Entity) => new Map(this.overflowed
      ? []
      : [...this.made.get(entity)!].filter(([name]) => !this.gone.get(entity)!.has(name.toLowerCase())));
    return { roles: kept('roles'), users: kept('users'), policies: kept('policies') };
  }

  private remember(into: Map<string, Creation> | Set<string>, name: string, creation?: Creation): void {
    if (into.size >= MAX_TRACKED && !into.has(name)) {
      this.overflowed = true;
      return;
    }
    if (into instanceof Set) into.add(name);
    else if (!into.has(name)) into.set(name, creation!);
  }
}
