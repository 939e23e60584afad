/** Item ↔ domain object conversion for the action repository: actions, pending guards and executing markers. */
import type { Action } from '../../domain/action/lifecycle.js';
import { decisionTarget } from '../../domain/action/attempt.js';
import { checkHeader, Entity, type FieldKind, header, type Item, type ItemHeader, pick, read, text } from './item-codec.js';
import { assertItemFits } from './item-size.js';
import { actionKey, decisionTargetKey, executingMarkerKey, pendingActionKey } from './keys.js';

const ACTION_FIELDS = {
  incidentId: 'text',
  id: 'text',
  kind: 'text',
  target: 'map',
  status: 'text',
  approvalsRequired: 'integer',
  attachment: 'optionalMap',
  approvals: 'list',
  proposedBy: 'text',
  proposedAt: 'text',
  expiresAt: 'text',
  deniedBy: 'optionalText',
  expiredBecause: 'optionalText',
  startedAt: 'optionalText',
  finishedAt: 'optionalText',
  outcome: 'optionalMap',
  messageTs: 'optionalText',
  undoOf: 'optionalText',
  accountId: 'optionalText',
  attempt: 'optionalMap',
  version: 'integer',
} as const satisfies Record<keyof Action, FieldKind>;

/** A proposed action as stored (`INC#<id>` / `ACT#<action id>`). */
export type ActionItem = ItemHeader & Action;

/** Throws `KeyIncidentError('item_too_large')` when the action would not fit in one item. */
export function toActionItem(action: Action): ActionItem {
  const item = { ...header(actionKey(action.incidentId, action.id), Entity.Action), ...pick(action, ACTION_FIELDS) } as ActionItem;
  assertItemFits(item, `Action ${action.id} of ${action.incidentId}`);
  return item;
}

/** Reads an action item; throws when the item is not one this code understands. */
export function fromActionItem(item: Item): Action {
  checkHeader(item, Entity.Action);
  return read(item, ACTION_FIELDS) as unknown as Action;
}

/** The guard saying `action` is the pending proposal for its subject. */
export function toPendingActionItem(action: Action, subject: string): Item {
  return { ...header(pendingActionKey(action.incidentId, subject), Entity.PendingAction), actionId: action.id };
}

/** The action a pending guard names. */
export function fromPendingActionItem(item: Item): string {
  checkHeader(item, Entity.PendingAction);
  return text(item, 'actionId');
}

/** The marker that says `action` is executing (found again after a crash). */
export function toExecutingMarkerItem(action: Action): Item {
  return {
    ...header(executingMarkerKey(action.incidentId, action.id), Entity.ExecutingMarker),
    incidentId: action.incidentId,
    actionId: action.id,
    startedAt: action.startedAt,
  };
}

/** The action an executing marker names. */
export function fromExecutingMarkerItem(item: Item): { incidentId: string; actionId: string } {
  checkHeader(item, Entity.ExecutingMarker);
  return { incidentId: text(item, 'incidentId'), actionId: text(item, 'actionId') };
}

/** `incidentId#actionId`: how a decision target names the action that holds it. */
export const actionRef = (a: Pick<Action, 'incidentId' | 'id'>): string => `${a.incidentId}#${a.id}`;

/** The item saying `action` is the newest approved decision on its target. */
export function toDecisionTargetItem(action: Action): Item {
  return {
    ...header(decisionTargetKey(decisionTarget(action.kind, action.target)), Entity.DecisionTarget),
    actionRef: actionRef(action),
    approvedAt: action.startedAt,
  };
}
