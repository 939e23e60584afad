/** Incidents stored before lookups by key id existed, found by key id once the backfill ran. */
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillLookupEntries } from '../../src/adapters/dynamodb/backfill-lookup-entries.js';
import { DynamoIncidentRepository } from '../../src/adapters/dynamodb/dynamo-incident-repository.js';
import { toEventItem, toIncidentItem, toOpenIndexItem, toOpenKeyGuardItem } from '../../src/adapters/dynamodb/mapper.js';
import { type Incident, IncidentStatus } from '../../src/domain/incident/incident.js';
import { createTestTable, type TestTable } from '../support/dynamodb.js';
import { anEvent, anIncident } from '../support/incident-builders.js';

let table: TestTable;
let repo: DynamoIncidentRepository;

beforeAll(async () => {
  table = await createTestTable('backfill');
  repo = new DynamoIncidentRepository(table.client, table.tableName);
});
afterAll(() => table?.dispose());

/** The items the repository wrote for an incident before key entries and the resolved list. */
async function storeAsBefore(incident: Incident): Promise<void> {
  const open = incident.status !== IncidentStatus.Resolved;
  const items = [toIncidentItem(incident), toEventItem(anEvent(incident)), ...(open ? [toOpenKeyGuardItem(incident), toOpenIndexItem(incident)] : [])];
  for (const item of items) await table.client.send(new PutCommand({ TableName: table.tableName, Item: { ...item } }));
}

const itemCount = async () => (await table.client.send(new ScanCommand({ TableName: table.tableName, Select: 'COUNT' }))).Count;

describe('the lookup entries backfill', () => {
  const resolved = anIncident({ status: IncidentStatus.Resolved, openedAt: '2024-05-01T08:00:00.000Z', resolvedAt: '2033-05-02T08:00:00.000Z' });
  const open = anIncident({ openedAt: '2024-06-01T08:00:00.000Z' });

  it('gives incidents stored before it their entries, once', async () => {
    await storeAsBefore(resolved);
    await storeAsBefore(open);
    expect(await repo.findLatestByKey(resolved.keyId)).toBeUndefined();
    expect(await repo.listRecentlyResolved('2033-05-01T00:00:00.000Z', 5)).toEqual([]);

    expect(await backfillLookupEntries(table.client, table.tableName)).toBe(2);

    expect(await repo.findLatestByKey(resolved.keyId)).toEqual(resolved);
    expect(await repo.findLatestByKey(open.keyId)).toEqual(open);
    expect((await repo.listRecentlyResolved('2033-05-01T00:00:00.000Z', 5)).map((i) => i.id)).toEqual([resolved.id]);
    const after = await itemCount();
    expect(await backfillLookupEntries(table.client, table.tableName)).toBe(0);
    expect(await itemCount()).toBe(after);
  });

  it('leaves the key to its newest incident: a later one of the same key, stored after the backfill, wins', async () => {
    const next = anIncident({ keyId: resolved.keyId, openedAt: '2025-01-01T08:00:00.000Z' });
    await repo.create(next, anEvent(next));
    expect((await repo.findLatestByKey(resolved.keyId))?.id).toBe(next.id);
  });
});
