import { BatchWriteCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory, ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoIncidentRepository } from '../../src/adapters/dynamodb/dynamo-incident-repository.js';
import { toEventItem } from '../../src/adapters/dynamodb/mapper.js';
import { AccessLevel, RecommendedAction } from '../../src/domain/assessment/assessment.js';
import {
  IncidentAlreadyOpenError,
  IncidentIdTakenError,
  IncidentNotFoundError,
  StaleIncidentError,
} from '../../src/domain/errors.js';
import { IncidentStatus, TimelineEventType, type Incident, type TimelineEvent } from '../../src/domain/incident/incident.js';
import { createTestTable, type TestTable } from '../support/dynamodb.js';
import { aKeyId, anEvent, anIncident } from '../support/incident-builders.js';

let table: TestTable;
let repository: DynamoIncidentRepository;

beforeAll(async () => {
  table = await createTestTable('incident-repository');
  repository = new DynamoIncidentRepository(table.client, table.tableName);
});
afterAll(() => table?.dispose());

describe('DynamoIncidentRepository.create', () => {
  it('stores an incident that get returns unchanged, assessment included', async () => {
    // Every optional field set: a field the mapper forgot would be missing from `get`.
    const incident = anIncident({
      note: 'found in a public gist',
      teamId: 'T0TEAM',
      rootTs: '1740823200.000100',
      rootClaimedAt: '2025-03-01T10:00:00.500Z',
      assessment: {
        account: { accountId: '111122223333', botAccountId: undefined, sameAccount: true },
        owner: { userName: 'ci-deployer', otherKeys: [{ keyId: aKeyId(), status: 'Inactive' }], lastUsed: null },
        permissions: {
          level: AccessLevel.Write,
          summary: 'write to s3 on prod-data',
          quarantinePolicies: [],
          sources: [{ kind: 'managed', name: 'S3Writer', level: AccessLevel.Write, summary: 'write to s3' }],
        },
        recommendation: { action: RecommendedAction.DisableNow, headline: 'Disable now', reason: 'write', steps: ['a', 'b'] },
        problems: [{ stage: 'owner', code: 'AccessDenied', message: 'no iam:ListAccessKeys' }],
        complete: true,
      },
    });
    const opened = anEvent(incident, { details: { keyId: incident.keyId, nested: { list: [1, 'two', null] } } });

    await repository.create(incident, opened);

    expect(await repository.get(incident.id)).toEqual(incident);
    expect(await repository.findOpenByKey(incident.keyId)).toEqual(incident);
    expect(await repository.events(incident.id)).toEqual([opened]);
  });

  it('writes exactly the incident, its key guard and entry, its first event and its open-incidents entry', async () => {
    const own = await createTestTable('exact-items');
    try {
      const incident = anIncident();
      const opened = anEvent(incident);
      await new DynamoIncidentRepository(own.client, own.tableName).create(incident, opened);

      const { Items = [] } = await own.client.send(new ScanCommand({ TableName: own.tableName }));
      const summary = Items.map((item) => [item.pk, item.sk, item.entity, item.schemaVersion]).sort();
      expect(summary).toEqual([
        [`INC#${incident.id}`, `EV#2025-03-01T10:00:00.000Z#${opened.id}`, 'timeline-event', 1],
        [`INC#${incident.id}`, 'META', 'incident', 1],
        [`KEY#${incident.keyId}`, `INC#2025-03-01T10:00:00.000Z#${incident.id}`, 'key-incident-entry', 1],
        [`KEY#${incident.keyId}`, 'OPEN', 'open-key-guard', 1],
        ['OPEN_INCIDENTS', `INC#${incident.id}`, 'open-incident-entry', 1],
      ]);
      expect(Items.find((item) => item.sk === 'OPEN')?.incidentId).toBe(incident.id);
    } finally {
      await own.dispose();
    }
  });

  it('refuses a second incident for an open key and names the first', async () => {
    const first = anIncident();
    await repository.create(first, anEvent(first));
    const second = anIncident({ keyId: first.keyId });

    const error = await repository.create(second, anEvent(second)).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(IncidentAlreadyOpenError);
    expect(error).toMatchObject({ keyId: first.keyId, existingIncidentId: first.id });
    expect(await repository.get(second.id)).toBeUndefined();
    expect(await repository.events(second.id)).toEqual([]);
  });

  it('lets exactly one of 20 concurrent creates for one key win, across two clients', async () => {
    const repositories = [repository, new DynamoIncidentRepository(table.connect(), table.tableName)];
    const key = aKeyId();
    const contenders = Array.from({ length: 20 }, () => anIncident({ keyId: key }));

    const results = await Promise.allSettled(
      contenders.map((incident, i) => repositories[i % 2]!.create(incident, anEvent(incident))),
    );

    const winners = contenders.filter((_, i) => results[i]!.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const losers = results.filter((result) => result.status === 'rejected');
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser.reason).toBeInstanceOf(IncidentAlreadyOpenError);
      expect(loser.reason).toMatchObject({ existingIncidentId: winners[0]!.id });
    }
    expect((await repository.findOpenByKey(key))?.id).toBe(winners[0]!.id);
  });

  it('refuses an incident id that is taken and leaves the new key unguarded', async () => {
    const first = anIncident();
    await repository.create(first, anEvent(first));
    const clash = anIncident({ id: first.id });

    await expect(repository.create(clash, anEvent(clash))).rejects.toBeInstanceOf(IncidentIdTakenError);
    expect(await repository.findOpenByKey(clash.keyId)).toBeUndefined();
    expect(await repository.get(first.id)).toEqual(first);
  });

  it('refuses an incident too large for one DynamoDB item before writing anything', async () => {
    const incident = anIncident({ note: 'x'.repeat(410 * 1024) });

    await expect(repository.create(incident, anEvent(incident))).rejects.toMatchObject({ code: 'item_too_large' });
    expect(await repository.findOpenByKey(incident.keyId)).toBeUndefined();
  });
});

describe('DynamoIncidentRepository.update', () => {
  async function opened(): Promise<Incident> {
    const incident = anIncident();
    await repository.create(incident, anEvent(incident));
    return incident;
  }

  it('stores the next version and its events when the version matches', async () => {
    const incident = await opened();
    const noted = anEvent(incident, { at: '2025-03-01T10:05:00.000Z', type: TimelineEventType.AssessmentCompleted });

    const stored = await repository.update({ ...incident, rootTs: '1700000000.000100' }, [noted]);

    expect(stored).toEqual({ ...incident, rootTs: '1700000000.000100', version: 2 });
    expect(await repository.get(incident.id)).toEqual(stored);
    expect((await repository.events(incident.id)).map((event) => event.id)).toContain(noted.id);
  });

  it('removes an optional field that the new version leaves out', async () => {
    const incident = anIncident({ rootClaimedAt: '2025-03-01T10:00:00.500Z' });
    await repository.create(incident, anEvent(incident));

    await repository.update({ ...incident, rootClaimedAt: undefined }, []);

    const stored = await repository.get(incident.id);
    expect(stored).toEqual({ ...incident, rootClaimedAt: undefined, version: 2 });
    expect(stored).not.toHaveProperty('rootClaimedAt');
  });

  it('rejects a stale version and writes none of its events', async () => {
    const incident = await opened();
    await repository.update(incident, []);
    const late = anEvent(incident, { at: '2025-03-01T11:00:00.000Z' });

    const error = await repository.update({ ...incident, note: 'late' }, [late]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(StaleIncidentError);
    expect(error).toMatchObject({ incidentId: incident.id, expectedVersion: 1 });
    expect((await repository.get(incident.id))?.version).toBe(2);
    expect((await repository.events(incident.id)).map((event) => event.id)).not.toContain(late.id);
  });

  it('lets exactly one of 10 concurrent updates of the same version win', async () => {
    const incident = await opened();
    const other = new DynamoIncidentRepository(table.connect(), table.tableName);

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? repository : other).update({ ...incident, note: `writer ${i}` }, [anEvent(incident)]),
      ),
    );

    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected')) {
      expect(result.reason).toBeInstanceOf(StaleIncidentError);
    }
    expect(await repository.get(incident.id)).toEqual(won[0]!.value);
    expect(await repository.events(incident.id)).toHaveLength(2);
  });

  it('reports an incident that was never created as not found', async () => {
    await expect(repository.update(anIncident(), [])).rejects.toBeInstanceOf(IncidentNotFoundError);
  });

  it('releases the key on resolve, and a later update of the old incident keeps the new guard', async () => {
    const old = await opened();
    const resolved = await repository.update({ ...old, status: IncidentStatus.Resolved }, []);
    expect(await repository.findOpenByKey(old.keyId)).toBeUndefined();

    const next = anIncident({ keyId: old.keyId });
    await repository.create(next, anEvent(next));
    await repository.update({ ...resolved, note: 'postmortem written' }, []);

    expect((await repository.findOpenByKey(old.keyId))?.id).toBe(next.id);
    expect((await repository.get(old.id))?.version).toBe(3);
  });
});

describe('DynamoIncidentRepository timeline', () => {
  it('orders events by time, then by ULID when times are equal', async () => {
    const incident = anIncident();
    const next = monotonicFactory();
    const first = anEvent(incident, { id: next(), at: '2025-03-01T10:00:00.000Z' });
    const tiedA = anEvent(incident, { id: next(), at: '2025-03-01T10:00:01.000Z' });
    const tiedB = anEvent(incident, { id: next(), at: '2025-03-01T10:00:01.000Z' });
    const tiedC = anEvent(incident, { id: next(), at: '2025-03-01T10:00:01.000Z' });
    // Drawn first, so its ULID is the smallest of all, but it happened last.
    const last = anEvent(incident, { id: ulid(Date.parse('2000-01-01')), at: '2025-03-01T11:00:00.000Z' });
    // 09:59 UTC written with an offset: ordered by the instant, not by the text.
    const offset = anEvent(incident, { id: next(), at: '2025-03-01T11:59:00+02:00' });

    await repository.create(incident, first);
    for (const event of [tiedC, last, offset, tiedA, tiedB]) await repository.append(event);

    expect((await repository.events(incident.id)).map((event) => event.id)).toEqual(
      [offset, first, tiedA, tiedB, tiedC, last].map((event) => event.id),
    );
  });

  it('reads every page of a 1,500-event timeline in order', async () => {
    const incident = anIncident();
    const next = monotonicFactory();
    const padding = 'p'.repeat(1_000); // 1.5 MB in all: more than one 1 MB query page
    const events = Array.from({ length: 1_500 }, (_, i) =>
      anEvent(incident, { id: next(), at: new Date(Date.UTC(2025, 2, 1, 10, 0, Math.floor(i / 7))).toISOString(), details: { padding } }),
    );
    await batchWrite(table.client, table.tableName, events);
    const send = vi.spyOn(table.client, 'send');

    const read = await repository.events(incident.id);

    expect(read.map((event) => event.id)).toEqual(events.map((event) => event.id));
    expect(send.mock.calls.filter(([command]) => command instanceof QueryCommand).length).toBeGreaterThan(1);
    send.mockRestore();
  });

  it('rejects appending an event that is already recorded and keeps the original', async () => {
    const incident = anIncident();
    const opened = anEvent(incident);
    await repository.create(incident, opened);

    await expect(repository.append({ ...opened, summary: 'rewritten' })).rejects.toMatchObject({
      code: 'event_already_recorded',
    });
    expect(await repository.events(incident.id)).toEqual([opened]);
  });
});

describe('DynamoIncidentRepository reads', () => {
  it('finds no open incident for a key that never had one', async () => {
    expect(await repository.findOpenByKey(aKeyId())).toBeUndefined();
  });

  it('finds an incident by its root message once indexed, through a root-index item', async () => {
    const incident = anIncident({ channelId: 'C0ROOTS', rootTs: '1740823200.000200' });
    await repository.create(incident, anEvent(incident));

    await repository.indexRoot(incident);

    expect(await repository.findByRoot('C0ROOTS', '1740823200.000200')).toEqual(incident);
    const { Items = [] } = await table.client.send(new QueryCommand({
      TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'ROOT#C0ROOTS' },
    }));
    expect(Items).toEqual([{ pk: 'ROOT#C0ROOTS', sk: '1740823200.000200', entity: 'root-index', schemaVersion: 1, incidentId: incident.id }]);
  });

  it('finds nothing for an unknown root message, and indexes nothing without a root', async () => {
    const rootless = anIncident({ channelId: 'C0NOROOT' });
    await repository.indexRoot(rootless);

    expect(await repository.findByRoot('C0NOROOT', '1740823200.000300')).toBeUndefined();
  });

  it('pings a readable table and fails on a missing one', async () => {
    await expect(repository.ping()).resolves.toBeUndefined();
    const missing = new DynamoIncidentRepository(table.client, 'no-such-table');
    await expect(missing.ping()).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

async function batchWrite(client: DynamoDBDocumentClient, tableName: string, events: TimelineEvent[]): Promise<void> {
  const batches = Array.from({ length: Math.ceil(events.length / 25) }, (_, i) => events.slice(i * 25, i * 25 + 25));
  await Promise.all(
    batches.map(async (batch) => {
      let requests = batch.map((event) => ({ PutRequest: { Item: { ...toEventItem(event) } } }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }),
  );
}
