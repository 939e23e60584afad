/**
 * The reads of `DynamoIncidentRepository`: the incident, its timeline, the open and resolved
 * incident lists, the root-message index and each key's partition. All strongly consistent, so that a read followed
 * by a conditional write works on the latest version.
 */
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IncidentStatus, type Incident, type TimelineEvent } from '../../domain/incident/incident.js';
import { removesUndefinedValues } from './document-client.js';
import {
  healthCheckKey, incidentKey, incidentPk, keyPk, OPEN_INCIDENTS_PK, openKeyGuardKey, RESOLVED_INCIDENTS_PK, rootIndexKey, SortKeyPrefix, sortableTime,
} from './keys.js';
import {
  fromEventItem, fromIncidentItem, fromKeyPartitionItem, fromOpenIndexItem, fromOpenKeyGuardItem, fromResolvedIndexItem, fromRootIndexItem,
} from './mapper.js';

/** The incident table's reads, shared by the repository's writes (which extend it). */
export abstract class DynamoIncidentReads {
  /** `client` must drop undefined values: build it with `createDocumentClient`. */
  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {
    if (!removesUndefinedValues(client)) {
      throw new TypeError('DynamoIncidentRepository needs a document client made by createDocumentClient()');
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

  async findLatestByKey(keyId: string): Promise<Incident | undefined> {
    // Newest first, one item: the guard when the key is open (`OPEN` sorts last), else the newest entry.
    const { Items } = await this.client.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keyPk(keyId) },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }));
    const item = Items?.[0];
    return item === undefined ? undefined : this.get(fromKeyPartitionItem(item));
  }

  async listRecentlyResolved(since: string, limit: number): Promise<Incident[]> {
    const found: Incident[] = [];
    const pages = paginateQuery({ client: this.client, pageSize: limit }, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ExpressionAttributeValues: { ':pk': RESOLVED_INCIDENTS_PK, ':since': sortableTime(since) },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    for await (const page of pages) {
      const entries = (page.Items ?? []).map(fromResolvedIndexItem);
      const incidents = await Promise.all(entries.map((entry) => this.get(entry.incidentId)));
      // An entry left by a resolution that was since reopened (or resolved again later) is stale.
      found.push(...incidents.filter((i, n): i is Incident => i?.status === IncidentStatus.Resolved && i.resolvedAt === entries[n]!.resolvedAt));
      if (found.length >= limit) break;
    }
    return found.slice(0, limit);
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

  async findByRoot(channelId: string, ts: string): Promise<Incident | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: rootIndexKey(channelId, ts), ConsistentRead: true }));
    return Item === undefined ? undefined : this.get(fromRootIndexItem(Item));
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

  async ping(): Promise<void> {
    // Reading a key that never exists costs half a read unit and proves table and permissions.
    await this.client.send(new GetCommand({ TableName: this.tableName, Key: healthCheckKey() }));
  }

  /** The incident id holding `keyId` open: from the cancellation's old item, else a read. */
  protected async guardOwner(keyId: string, reason?: CancellationReason): Promise<string | undefined> {
    const returned = reason?.Item?.incidentId?.S;
    if (returned !== undefined) return returned;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: openKeyGuardKey(keyId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromOpenKeyGuardItem(Item);
  }
}
