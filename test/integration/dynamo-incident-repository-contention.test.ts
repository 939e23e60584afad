/**
 * DynamoDB Local serialises transactions, so it never reports a TransactionConflict by
 * itself. These tests inject the exact errors real DynamoDB sends under contention, once,
 * in front of the real client, and check what the repository makes of them.
 */
import {
  TransactionCanceledException,
  TransactionConflictException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoIncidentRepository } from '../../src/adapters/dynamodb/dynamo-incident-repository.js';
import { IncidentAlreadyOpenError, StaleIncidentError } from '../../src/domain/errors.js';
import { createTestTable, type TestTable } from '../support/dynamodb.js';
import { anEvent, anIncident } from '../support/incident-builders.js';

const cancelled = (...codes: string[]): TransactionCanceledException =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code): CancellationReason => ({ Code })),
  });

let table: TestTable;
let client: DynamoDBDocumentClient;
let repository: DynamoIncidentRepository;

beforeAll(async () => {
  table = await createTestTable('contention');
  client = table.connect();
  repository = new DynamoIncidentRepository(client, table.tableName, { conflictAttempts: 3 });
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => table?.dispose());

const transactions = (send: { mock: { calls: unknown[][] } }): number =>
  send.mock.calls.filter(([command]) => command instanceof TransactWriteCommand).length;

describe('DynamoIncidentRepository under contention', () => {
  it('retries a create that met a transaction conflict, and stores it once', async () => {
    const incident = anIncident();
    const send = vi.spyOn(client, 'send').mockRejectedValueOnce(cancelled('None', 'TransactionConflict', 'None'));

    await repository.create(incident, anEvent(incident));

    expect(transactions(send)).toBe(2);
    expect(await repository.get(incident.id)).toEqual(incident);
  });

  it('gives up on create after the configured number of conflicts, with DynamoDB’s error', async () => {
    const incident = anIncident();
    const conflict = cancelled('TransactionConflict', 'None', 'None');
    const send = vi.spyOn(client, 'send');
    for (let i = 0; i < 3; i += 1) send.mockRejectedValueOnce(conflict);

    await expect(repository.create(incident, anEvent(incident))).rejects.toBe(conflict);
    expect(transactions(send)).toBe(3);
    expect(await repository.get(incident.id)).toBeUndefined();
  });

  it('names the open incident by reading the guard when DynamoDB returns no old item', async () => {
    const first = anIncident();
    await repository.create(first, anEvent(first));
    const second = anIncident({ keyId: first.keyId });
    vi.spyOn(client, 'send').mockRejectedValueOnce(cancelled('None', 'ConditionalCheckFailed', 'None'));

    const error = await repository.create(second, anEvent(second)).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(IncidentAlreadyOpenError);
    expect(error).toMatchObject({ existingIncidentId: first.id });
  });

  it('reports an update that met a transaction conflict as stale, without retrying', async () => {
    const incident = anIncident();
    await repository.create(incident, anEvent(incident));
    const send = vi.spyOn(client, 'send').mockRejectedValueOnce(cancelled('TransactionConflict', 'None'));

    await expect(repository.update(incident, [anEvent(incident)])).rejects.toBeInstanceOf(StaleIncidentError);
    expect(transactions(send)).toBe(1);
    expect((await repository.get(incident.id))?.version).toBe(1);
  });

  it('retries an append that met a transaction writing the same item', async () => {
    const incident = anIncident();
    await repository.create(incident, anEvent(incident));
    const event = anEvent(incident, { at: '2025-03-01T10:01:00.000Z' });
    const send = vi
      .spyOn(client, 'send')
      .mockRejectedValueOnce(new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} }));

    await repository.append(event);

    expect(send).toHaveBeenCalledTimes(2);
    expect((await repository.events(incident.id)).map((stored) => stored.id)).toContain(event.id);
  });
});
