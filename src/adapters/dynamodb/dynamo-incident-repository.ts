import { setTimeout as delay } from 'node:timers/promises';
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  paginateQuery,
  PutCommand,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type TransactWriteItem,
  type TransactWritePut,
} from '@aws-sdk/lib-dynamodb';
import {
  IncidentAlreadyOpenError,
  IncidentIdTakenError,
  IncidentNotFoundError,
  KeyIncidentError,
  StaleIncidentError,
} from '../../domain/errors.js';
import { IncidentStatus, type Incident, type TimelineEvent } from '../../domain/incident/incident.js';
import type { IncidentRepository } from '../../ports/incident-repository.js';
import { removesUndefinedValues } from './document-client.js';
import { type Cancelled, CONDITION_FAILED, errorName, hasConflict, newItemPut, putIfVersion, transact } from './transactions.js';
import { healthCheckKey, incidentKey, incidentPk, OPEN_INCIDENTS_PK, openIndexKey, openKeyGuardKey, rootIndexKey, SortKeyPrefix } from './keys.js';
import {
  fromEventItem,
  fromIncidentItem,
  fromOpenIndexItem,
  fromOpenKeyGuardItem,
  toEventItem,
  toIncidentItem,
  toOpenIndexItem,
  toOpenKeyGuardItem,
} from './mapper.js';

/** Tuning knobs; the defaults suit production. */
export interface DynamoIncidentRepositoryOptions {
  /** Attempts of `create`/`append` when DynamoDB reports a transaction conflict (default 5). */
  readonly conflictAttempts?: number;
}

/** DynamoDB allows 100 items per transaction; `update` also needs the META put and the guard. */
export const MAX_EVENTS_PER_UPDATE = 98;

/** Positions of the items in `create`'s transaction. */
const CREATE = { meta: 0, guard: 1, event: 2, index: 3 } as const;

/**
 * `IncidentRepository` on one DynamoDB table (keys in `keys.ts`, item shapes in `mapper.ts`).
 *
 * Transaction conflicts (another transaction touching the same item at the same moment) are
 * retried with jittered backoff by `create` and `append`: their conditions make a retry
 * harmless, and the retry then reports the real outcome (usually `IncidentAlreadyOpenError`).
 * `update` reports any conflict as `StaleIncidentError`, because a concurrent writer of the
 * incident is about to change its version anyway; the caller re-reads and decides again.
 *
 * Resolving an incident (`update` with status `resolved`) also deletes the key's guard, so
 * the key can be opened again later. Reads are strongly consistent so that a read followed by
 * `update` works on the latest version.
 */
export class DynamoIncidentRepository implements IncidentRepository {
  private readonly conflictAttempts: number;

  /** `client` must drop undefined values: build it with `createDocumentClient`. */
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoIncidentRepositoryOptions = {},
  ) {
    if (!removesUndefinedValues(client)) {
      throw new TypeError('DynamoIncidentRepository needs a document client made by createDocumentClient()');
    }
    this.conflictAttempts = Math.max(1, options.conflictAttempts ?? 5);
  }

  async create(incident: Incident, firstEvent: TimelineEvent): Promise<void> {
    assertEventsBelong(incident, [firstEvent]);
    const items: TransactWriteItem[] = [];
    items[CREATE.meta] = this.putNew(toIncidentItem(incident));
    items[CREATE.guard] = this.putNew(toOpenKeyGuardItem(incident));
    items[CREATE.event] = this.putNew(toEventItem(firstEvent));
    items[CREATE.index] = { Put: { TableName: this.tableName, Item: toOpenIndexItem(incident) } };
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

  async get(incidentId: string): Promise<Incident | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: incidentKey(incidentId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromIncidentItem(Item);
  }

  async findOpenByKey(keyId: string): Promise<Incident | undefined> {
    const incidentId = await this.guardOwner(keyId);
    if (incidentId === undefined) return undefined;
    const incident = await this.get(incidentId);
    return incident?.status === IncidentStatus.Resolved ? undefined : incident;
  }

  async update(incident: Incident, events: readonly TimelineEvent[]): Promise<Incident> {
    assertEventsBelong(incident, events);
    if (events.length > MAX_EVENTS_PER_UPDATE) {
      throw new RangeError(`update takes at most ${MAX_EVENTS_PER_UPDATE} events, got ${events.length}`);
    }
    const stored: Incident = { ...incident, version: incident.version + 1 };
    const releaseGuard = stored.status === IncidentStatus.Resolved;
    return this.writeUpdate(stored, events, releaseGuard);
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

  async *streamEvents(incidentId: string): AsyncIterable<TimelineEvent> {
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: { ':pk': incidentPk(incidentId), ':events': SortKeyPrefix.Event },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) yield fromEventItem(item);
  }

  async events(incidentId: string): Promise<TimelineEvent[]> {
    const events: TimelineEvent[] = [];
    for await (const event of this.streamEvents(incidentId)) events.push(event);
    return events;
  }

  async indexRoot(incident: Incident): Promise<void> {
    if (!incident.rootTs) return;
    const item = { ...rootIndexKey(incident.channelId, incident.rootTs), entity: 'root-index', schemaVersion: 1, incidentId: incident.id };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async findByRoot(channelId: string, ts: string): Promise<Incident | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: rootIndexKey(channelId, ts), ConsistentRead: true }));
    return typeof Item?.incidentId === 'string' ? this.get(Item.incidentId) : undefined;
  }

  async listOpen(): Promise<Incident[]> {
    const ids: string[] = [];
    const pages = paginateQuery(
      { client: this.client },
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': OPEN_INCIDENTS_PK }, ConsistentRead: true },
    );
    for await (const page of pages) for (const item of page.Items ?? []) ids.push(fromOpenIndexItem(item));
    const incidents = await Promise.all(ids.map((id) => this.get(id)));
    return incidents
      .filter((i): i is Incident => i !== undefined && i.status !== IncidentStatus.Resolved)
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  }

  async reopen(incident: Incident, events: readonly TimelineEvent[]): Promise<Incident> {
    assertEventsBelong(incident, events);
    const stored: Incident = { ...incident, version: incident.version + 1 };
    const items: TransactWriteItem[] = [
      this.putIfVersion(stored, incident.version),
      // Reopening takes the key back: only when no other incident holds it now.
      this.putNew(toOpenKeyGuardItem(stored)),
      { Put: { TableName: this.tableName, Item: toOpenIndexItem(stored) } },
      ...events.map((event) => this.putNew(toEventItem(event))),
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

  async ping(): Promise<void> {
    // Reading a key that never exists costs half a read unit and proves table and permissions.
    await this.client.send(new GetCommand({ TableName: this.tableName, Key: healthCheckKey() }));
  }

  private async writeUpdate(stored: Incident, events: readonly TimelineEvent[], releaseGuard: boolean): Promise<Incident> {
    const expectedVersion = stored.version - 1;
    const items = [this.putIfVersion(stored, expectedVersion), ...events.map((event) => this.putNew(toEventItem(event)))];
    if (releaseGuard) items.push(this.releaseGuard(stored), { Delete: { TableName: this.tableName, Key: openIndexKey(stored.id) } });
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
    if (releaseGuard && rest[events.length]?.Code === CONDITION_FAILED) return this.writeUpdate(stored, events, false);
    throw cancelled.error;
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

  /** The incident id holding `keyId` open: from the cancellation's old item, else a read. */
  private async guardOwner(keyId: string, reason?: CancellationReason): Promise<string | undefined> {
    const returned = reason?.Item?.incidentId?.S;
    if (returned !== undefined) return returned;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: openKeyGuardKey(keyId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromOpenKeyGuardItem(Item);
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

