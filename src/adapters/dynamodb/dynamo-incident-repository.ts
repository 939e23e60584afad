import { setTimeout as delay } from 'node:timers/promises';
import { PutCommand, type DynamoDBDocumentClient, type PutCommandInput, type TransactWriteItem, type TransactWritePut } from '@aws-sdk/lib-dynamodb';
import {
  IncidentAlreadyOpenError,
  IncidentIdTakenError,
  IncidentNotFoundError,
  KeyIncidentError,
  StaleIncidentError,
} from '../../domain/errors.js';
import { IncidentStatus, type Incident, type TimelineEvent } from '../../domain/incident/incident.js';
import type { IncidentRepository } from '../../ports/incident-repository.js';
import { DynamoIncidentReads } from './dynamo-incident-reads.js';
import { type Cancelled, CONDITION_FAILED, errorName, hasConflict, newItemPut, putIfVersion, transact } from './transactions.js';
import { type ItemKey, openIndexKey, openKeyGuardKey } from './keys.js';
import {
  toEventItem, toIncidentItem, toKeyIncidentItem, toOpenIndexItem, toOpenKeyGuardItem, toResolvedIndexItem, toRootIndexItem,
} from './mapper.js';

/** Tuning knobs; the defaults suit production. */
export interface DynamoIncidentRepositoryOptions {
  /** Attempts of `create`/`append` when DynamoDB reports a transaction conflict (default 5). */
  readonly conflictAttempts?: number;
}

/**
 * DynamoDB allows 100 items per transaction; a resolving `update` also needs the META put, the
 * guard's release and the move from the open list to the resolved one.
 */
export const MAX_EVENTS_PER_UPDATE = 96;

/** Positions of the items in `create`'s transaction. */
const CREATE = { meta: 0, guard: 1, event: 2, index: 3, keyEntry: 4 } as const;

/**
 * `IncidentRepository` on one DynamoDB table (keys in `keys.ts`, item shapes in `mapper.ts`):
 * the writes here, the reads in `DynamoIncidentReads`.
 *
 * Transaction conflicts (another transaction touching the same item at the same moment) are
 * retried with jittered backoff by `create` and `append`: their conditions make a retry
 * harmless, and the retry then reports the real outcome (usually `IncidentAlreadyOpenError`).
 * `update` reports any conflict as `StaleIncidentError`, because a concurrent writer of the
 * incident is about to change its version anyway; the caller re-reads and decides again.
 *
 * Resolving an incident (`update` with status `resolved`) also deletes the key's guard, so
 * the key can be opened again later, and moves it from the open list to the resolved one;
 * `reopen` moves it back.
 */
export class DynamoIncidentRepository extends DynamoIncidentReads implements IncidentRepository {
  private readonly conflictAttempts: number;

  /** `client` must drop undefined values: build it with `createDocumentClient`. */
  constructor(client: DynamoDBDocumentClient, tableName: string, options: DynamoIncidentRepositoryOptions = {}) {
    super(client, tableName);
    this.conflictAttempts = Math.max(1, options.conflictAttempts ?? 5);
  }

  async create(incident: Incident, firstEvent: TimelineEvent): Promise<void> {
    assertEventsBelong(incident, [firstEvent]);
    const items: TransactWriteItem[] = [];
    items[CREATE.meta] = this.putNew(toIncidentItem(incident));
    items[CREATE.guard] = this.putNew(toOpenKeyGuardItem(incident));
    items[CREATE.event] = this.putNew(toEventItem(firstEvent));
    items[CREATE.index] = this.put(toOpenIndexItem(incident));
    // Found by its key id for good, resolved or not: the entry outlives the guard.
    items[CREATE.keyEntry] = this.put(toKeyIncidentItem(incident));
    for (let attempt = 1; ; attempt += 1) {
      const cancelled = await this.transact(items);
      if (cancelled === undefined) return;
      const { reasons } = cancelled;
      if (reasons[CREATE.guard]?.Code === CONDITION_FAILED) {
        const owner = await this.guardOwner(incident.keyId, reasons[CREATE.guard]);
        // The guard vanished between the cancellation and our read: the key was just released.
        if (owner !== undefined) throw new IncidentAlreadyOpenError(incident.keyId, owner);
      } else if (reasons[CREATE.meta]?.Code === CONDITION_FAILED) {
        throw new IncidentIdTakenError(incident.id);
      } else if (reasons[CREATE.event]?.Code === CONDITION_FAILED) {
        throw eventAlreadyRecorded(firstEvent, cancelled.error);
      } else if (!hasConflict(reasons)) {
        throw cancelled.error;
      }
      await this.backOffOrThrow(attempt, cancelled.error);
    }
  }

  async update(incident: Incident, events: readonly TimelineEvent[]): Promise<Incident> {
    assertEventsBelong(incident, events);
    if (events.length > MAX_EVENTS_PER_UPDATE) {
      throw new RangeError(`update takes at most ${MAX_EVENTS_PER_UPDATE} events, got ${events.length}`);
    }
    const stored: Incident = { ...incident, version: incident.version + 1 };
    return this.writeUpdate(stored, events, stored.status === IncidentStatus.Resolved);
  }

  async append(event: TimelineEvent): Promise<void> {
    const put = this.newItemPut(toEventItem(event));
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(new PutCommand(put));
        return;
      } catch (error) {
        if (errorName(error) === 'ConditionalCheckFailedException') throw eventAlreadyRecorded(event, error);
        // A transaction is writing this very item right now: retry, the condition keeps it safe.
        if (errorName(error) !== 'TransactionConflictException') throw error;
        await this.backOffOrThrow(attempt, error);
      }
    }
  }

  async indexRoot(incident: Incident): Promise<void> {
    if (!incident.rootTs) return;
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: toRootIndexItem(incident, incident.rootTs) }));
  }

  async reopen(incident: Incident, events: readonly TimelineEvent[]): Promise<Incident> {
    assertEventsBelong(incident, events);
    const stored: Incident = { ...incident, version: incident.version + 1 };
    // The resolved-list entry is keyed by the resolution time, which reopening clears.
    const current = await this.get(incident.id);
    const resolvedEntry = current?.version === incident.version ? toResolvedIndexItem(current) : undefined;
    const items: TransactWriteItem[] = [
      this.putIfVersion(stored, incident.version),
      // Reopening takes the key back: only when no other incident holds it now.
      this.putNew(toOpenKeyGuardItem(stored)),
      this.put(toOpenIndexItem(stored)),
      ...events.map((event) => this.putNew(toEventItem(event))),
      ...(resolvedEntry ? [this.delete(resolvedEntry)] : []),
    ];
    const cancelled = await this.transact(items);
    if (cancelled === undefined) return stored;
    const [meta, guard] = cancelled.reasons;
    if (meta?.Code === CONDITION_FAILED || hasConflict(cancelled.reasons)) throw new StaleIncidentError(stored.id, incident.version);
    if (guard?.Code === CONDITION_FAILED) {
      const owner = await this.guardOwner(stored.keyId, guard);
      throw new IncidentAlreadyOpenError(stored.keyId, owner ?? 'another incident');
    }
    throw cancelled.error;
  }

  private async writeUpdate(stored: Incident, events: readonly TimelineEvent[], releaseGuard: boolean): Promise<Incident> {
    const expectedVersion = stored.version - 1;
    const items = [this.putIfVersion(stored, expectedVersion), ...events.map((event) => this.putNew(toEventItem(event))), ...this.listResolved(stored)];
    // Last, so that its cancellation reason is the last one.
    if (releaseGuard) items.push(this.releaseGuard(stored));
    const cancelled = await this.transact(items);
    if (cancelled === undefined) return stored;
    const [meta, ...rest] = cancelled.reasons;
    if (meta?.Code === CONDITION_FAILED && meta.Item === undefined) throw new IncidentNotFoundError(stored.id);
    if (meta?.Code === CONDITION_FAILED || hasConflict(cancelled.reasons)) {
      throw new StaleIncidentError(stored.id, expectedVersion);
    }
    const failedEvent = rest.slice(0, events.length).findIndex((reason) => reason.Code === CONDITION_FAILED);
    if (failedEvent >= 0) throw eventAlreadyRecorded(events[failedEvent]!, cancelled.error);
    // The guard belongs to a newer incident of the same key: nothing of ours to release.
    if (releaseGuard && rest.at(-1)?.Code === CONDITION_FAILED) return this.writeUpdate(stored, events, false);
    throw cancelled.error;
  }

  /** A resolved incident leaves the open list and enters the resolved one (rewriting the same entry is harmless). */
  private listResolved(incident: Incident): TransactWriteItem[] {
    if (incident.status !== IncidentStatus.Resolved) return [];
    const entry = toResolvedIndexItem(incident);
    return [this.delete(openIndexKey(incident.id)), ...(entry ? [this.put(entry)] : [])];
  }

  private put(item: object): TransactWriteItem {
    return { Put: { TableName: this.tableName, Item: { ...item } } };
  }

  private delete(item: ItemKey): TransactWriteItem {
    return { Delete: { TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } } };
  }

  private putNew(item: object): TransactWriteItem {
    return { Put: this.newItemPut(item) };
  }

  private newItemPut(item: object): PutCommandInput & TransactWritePut {
    return newItemPut(this.tableName, item);
  }

  private putIfVersion(incident: Incident, expectedVersion: number): TransactWriteItem {
    return putIfVersion(this.tableName, toIncidentItem(incident), expectedVersion);
  }

  private releaseGuard(incident: Incident): TransactWriteItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: openKeyGuardKey(incident.keyId),
        // Release only our own hold; a later incident of the same key keeps its guard.
        ConditionExpression: 'attribute_not_exists(pk) OR incidentId = :incidentId',
        ExpressionAttributeValues: { ':incidentId': incident.id },
      },
    };
  }

  private transact(items: TransactWriteItem[]): Promise<Cancelled | undefined> {
    return transact(this.client, items);
  }

  private async backOffOrThrow(attempt: number, error: unknown): Promise<void> {
    if (attempt >= this.conflictAttempts) throw error;
    // Full jitter so that the processes that collided do not collide again.
    await delay(Math.random() * 25 * 2 ** attempt);
  }
}

function assertEventsBelong(incident: Incident, events: readonly TimelineEvent[]): void {
  const stray = events.find((event) => event.incidentId !== incident.id);
  if (stray !== undefined) {
    throw new RangeError(`Event ${stray.id} belongs to ${stray.incidentId}, not ${incident.id}`);
  }
}

function eventAlreadyRecorded(event: TimelineEvent, cause: unknown): KeyIncidentError {
  return new KeyIncidentError(
    'event_already_recorded',
    `Event ${event.id} of incident ${event.incidentId} is already recorded`,
    { cause },
  );
}

