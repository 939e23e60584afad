/**
 * `ActionRepository` on the incident table: the action item (`INC#…`/`ACT#…`), the
 * one-pending-proposal guard per subject (`INC#…`/`PENDING#…`), and a marker per executing
 * action (`EXECUTING`/`INC#…#ACT#…`) so a restarted process finds what a crash left running,
 * and the newest approved decision per target (`TARGET#…`/`DECISION`) that fences older ones.
 * Every transition is one conditional transaction with its timeline events; a proposal and the
 * approval that starts executing also check, in that transaction, that the incident item is
 * open or contained, so neither lands after the incident is recorded resolved.
 */
import { GetCommand, paginateQuery, type DynamoDBDocumentClient, type TransactWriteItem } from '@aws-sdk/lib-dynamodb';
import { type Action, ActionStatus, type Attempt, FINAL_STATUSES } from '../../domain/action/lifecycle.js';
import { ACTING_STATUSES } from '../../domain/action/approval-policy.js';
import { decisionTarget, FencedOutError } from '../../domain/action/attempt.js';
import { ActionAlreadyPendingError, IncidentNotActiveError, StaleActionError } from '../../domain/errors.js';
import type { TimelineEvent } from '../../domain/incident/incident.js';
import type { ActionRepository } from '../../ports/action-repository.js';
import { actionKey, decisionTargetKey, EXECUTING_PK, executingMarkerKey, incidentKey, incidentPk, pendingActionKey, SortKeyPrefix } from './keys.js';
import {
  actionRef, fromActionItem, fromExecutingMarkerItem, fromPendingActionItem, toActionItem, toDecisionTargetItem, toExecutingMarkerItem,
  toPendingActionItem,
} from './action-mapper.js';
import { toEventItem } from './mapper.js';
import { CONDITION_FAILED, type ExtraCondition, hasConflict, newItemPut, putIfVersion, transact } from './transactions.js';

/** Tries of a fence that meets only transaction conflicts (another writer on the same items at that instant). */
const FENCE_TRIES = 3;

export class DynamoActionRepository implements ActionRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(action: Action, subject: string, events: readonly TimelineEvent[]): Promise<void> {
    const items: TransactWriteItem[] = [
      { Put: newItemPut(this.tableName, toPendingActionItem(action, subject)) },
      { Put: newItemPut(this.tableName, toActionItem(action)) },
      ...events.map((e) => ({ Put: newItemPut(this.tableName, toEventItem(e)) })),
      this.incidentActive(action.incidentId),
    ];
    const cancelled = await transact(this.client, items);
    if (!cancelled) return;
    if (cancelled.reasons.at(-1)?.Code === CONDITION_FAILED) throw new IncidentNotActiveError(action.incidentId);
    const guard = cancelled.reasons[0];
    if (guard?.Code === CONDITION_FAILED) {
      const pending = guard.Item?.actionId?.S ?? (await this.pendingFor(action.incidentId, subject));
      if (pending) throw new ActionAlreadyPendingError(action.incidentId, pending);
    }
    throw cancelled.error;
  }

  async get(incidentId: string, actionId: string): Promise<Action | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: actionKey(incidentId, actionId), ConsistentRead: true }));
    return Item === undefined ? undefined : fromActionItem(Item);
  }

  async list(incidentId: string): Promise<Action[]> {
    const actions: Action[] = [];
    for await (const page of this.query(incidentPk(incidentId), SortKeyPrefix.Action)) {
      for (const item of page.Items ?? []) actions.push(fromActionItem(item));
    }
    return actions.sort((a, b) => a.proposedAt.localeCompare(b.proposedAt) || a.id.localeCompare(b.id));
  }

  transition(current: Action, next: Action, subject: string, events: readonly TimelineEvent[]): Promise<Action> {
    return this.write(current, next, subject, events);
  }

  takeOver(current: Action, next: Action, subject: string, events: readonly TimelineEvent[], now: Date): Promise<Action> {
    // Only an attempt whose lease ran out may be replaced: a live one that renewed after our read keeps the action.
    return this.write(current, next, subject, events, {
      expression: 'attribute_not_exists(#attempt) OR #attempt.#lease <= :now',
      names: { '#attempt': 'attempt', '#lease': 'leaseUntil' },
      values: { ':now': now.toISOString() },
    });
  }

  async fence(action: Action, now: Date, leaseUntil: Date, progress: Pick<Attempt, 'newKeyId' | 'newKeyAt'> = {}): Promise<void> {
    if (!action.attempt) throw new FencedOutError('lease-lost', action.incidentId, action.id);
    const items = this.fenceItems(action, action.attempt.token, now, leaseUntil, progress);
    for (let n = 1; ; n++) {
      const cancelled = await transact(this.client, items);
      if (!cancelled) return;
      if (cancelled.reasons[0]?.Code === CONDITION_FAILED) throw new FencedOutError('lease-lost', action.incidentId, action.id);
      if (cancelled.reasons[1]?.Code === CONDITION_FAILED) throw new FencedOutError('superseded', action.incidentId, action.id);
      if (!hasConflict(cancelled.reasons) || n >= FENCE_TRIES) throw cancelled.error;
    }
  }

  private fenceItems(action: Action, token: string, now: Date, leaseUntil: Date, progress: Pick<Attempt, 'newKeyId' | 'newKeyAt'>): TransactWriteItem[] {
    const extra = Object.entries(progress).filter(([, v]) => v !== undefined);
    const sets = ['#attempt.#lease = :until', ...extra.map(([k]) => `#attempt.${k} = :${k}`)];
    return [
      {
        Update: {
          TableName: this.tableName,
          Key: actionKey(action.incidentId, action.id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          // Our attempt still holds it: same token, still executing, lease not yet run out.
          ConditionExpression: '#status = :executing AND #attempt.#token = :token AND #attempt.#lease > :now',
          ExpressionAttributeNames: { '#status': 'status', '#attempt': 'attempt', '#token': 'token', '#lease': 'leaseUntil' },
          ExpressionAttributeValues: {
            ':executing': ActionStatus.Executing, ':token': token, ':now': now.toISOString(), ':until': leaseUntil.toISOString(),
            ...Object.fromEntries(extra.map(([k, v]) => [`:${k}`, v])),
          },
        },
      },
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: decisionTargetKey(decisionTarget(action.kind, action.target)),
          // No newer decision on the target was approved (none recorded: an action from before targets were kept).
          ConditionExpression: 'attribute_not_exists(pk) OR actionRef = :ref',
          ExpressionAttributeValues: { ':ref': actionRef(action) },
        },
      },
    ];
  }

  private async write(current: Action, next: Action, subject: string, events: readonly TimelineEvent[], also?: ExtraCondition): Promise<Action> {
    const stored: Action = { ...next, version: current.version + 1 };
    const items: TransactWriteItem[] = [
      putIfVersion(this.tableName, toActionItem(stored), current.version, also),
      ...events.map((e) => ({ Put: newItemPut(this.tableName, toEventItem(e)) })),
    ];
    const wasExecuting = current.status === ActionStatus.Executing;
    const isExecuting = stored.status === ActionStatus.Executing;
    // The marker exists exactly while the action executes: written with the intent, removed with the result.
    if (!wasExecuting && isExecuting) {
      items.push({ Put: newItemPut(this.tableName, toExecutingMarkerItem(stored)) });
      // Approved now: the newest decision on its target, whatever was approved there before.
      items.push({ Put: { TableName: this.tableName, Item: toDecisionTargetItem(stored) } });
      // Only while the incident is open or contained: an approval racing `resolve` is refused here.
      items.push(this.incidentActive(stored.incidentId));
    }
    if (wasExecuting && !isExecuting) items.push({ Delete: { TableName: this.tableName, Key: executingMarkerKey(stored.incidentId, stored.id) } });
    // Released as the action ends; a later change beside it (its message's ts) leaves the guard alone.
    if (!FINAL_STATUSES.has(current.status) && FINAL_STATUSES.has(stored.status)) items.push(this.releasePending(stored, subject));
    const cancelled = await transact(this.client, items);
    if (!cancelled) return stored;
    if (cancelled.reasons[0]?.Code === CONDITION_FAILED || hasConflict(cancelled.reasons)) {
      throw new StaleActionError(stored.incidentId, stored.id);
    }
    const checked = items.findIndex((item) => item.ConditionCheck?.Key?.pk === incidentPk(stored.incidentId));
    if (checked >= 0 && cancelled.reasons[checked]?.Code === CONDITION_FAILED) throw new IncidentNotActiveError(stored.incidentId);
    throw cancelled.error;
  }

  async listExecuting(): Promise<Array<{ incidentId: string; actionId: string }>> {
    const found: Array<{ incidentId: string; actionId: string }> = [];
    for await (const page of this.query(EXECUTING_PK, undefined)) {
      for (const item of page.Items ?? []) found.push(fromExecutingMarkerItem(item));
    }
    return found;
  }

  /** The condition that the action's incident is still open or contained. */
  private incidentActive(incidentId: string): TransactWriteItem {
    const statuses = [...ACTING_STATUSES];
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: incidentKey(incidentId),
        ConditionExpression: `#status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: Object.fromEntries(statuses.map((s, i) => [`:s${i}`, s])),
      },
    };
  }

  private releasePending(action: Action, subject: string): TransactWriteItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: pendingActionKey(action.incidentId, subject),
        // Release only our own hold: a newer proposal of the same subject keeps its guard.
        ConditionExpression: 'attribute_not_exists(pk) OR actionId = :actionId',
        ExpressionAttributeValues: { ':actionId': action.id },
      },
    };
  }

  private async pendingFor(incidentId: string, subject: string): Promise<string | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: pendingActionKey(incidentId, subject), ConsistentRead: true }));
    return Item === undefined ? undefined : fromPendingActionItem(Item);
  }

  private query(pk: string, prefix: string | undefined) {
    return paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
        ConsistentRead: true,
      },
    );
  }
}
