import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { describeTable, ensureTable } from '../../src/adapters/dynamodb/table.js';
import { assertLocalEndpoint, createLocalClient } from '../support/dynamodb.js';

const uniqueName = (label: string): string => `ki-${label}-${randomBytes(4).toString('hex')}`;
const notFound = (): ResourceNotFoundException =>
  new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} });

describe('ensureTable', () => {
  it('creates an on-demand table keyed by string pk and sk, and changes nothing when called again', async () => {
    const name = uniqueName('ensure');
    const admin = createLocalClient();

    const created = await ensureTable(admin, name);
    const again = await ensureTable(admin, name);

    expect(created).toMatchObject({ name, status: 'ACTIVE', billingMode: 'PAY_PER_REQUEST', keySchema: ['pk HASH', 'sk RANGE'] });
    expect(again).toEqual(created);
    await admin.send(new DeleteTableCommand({ TableName: name }));
  });

  it('succeeds for both of two callers racing to create the same table', async () => {
    const name = uniqueName('race');
    const [first, second] = [createLocalClient(), createLocalClient()];

    const results = await Promise.all([ensureTable(first, name), ensureTable(second, name)]);

    expect(results.map((info) => info.status)).toEqual(['ACTIVE', 'ACTIVE']);
    expect((await describeTable(first, name)).keySchema).toEqual(['pk HASH', 'sk RANGE']);
    await first.send(new DeleteTableCommand({ TableName: name }));
  });

  it('waits for the table when another process created it between its check and its create', async () => {
    const name = uniqueName('in-use');
    const [winner, loser] = [createLocalClient(), createLocalClient()];
    await ensureTable(winner, name);
    // The loser's check saw no table; its CreateTable then meets the winner's table.
    const send = vi.spyOn(loser, 'send').mockRejectedValueOnce(notFound());

    const info = await ensureTable(loser, name);

    expect(info.status).toBe('ACTIVE');
    const created = send.mock.calls.filter(([command]) => command instanceof CreateTableCommand);
    expect(created).toHaveLength(1);
    await expect(send.mock.results[1]!.value).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await winner.send(new DeleteTableCommand({ TableName: name }));
  });

  it('refuses an existing table with another key schema', async () => {
    const name = uniqueName('foreign');
    const admin = createLocalClient();
    await admin.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );

    await expect(ensureTable(admin, name)).rejects.toThrow(/expected \[pk HASH, sk RANGE\]/);
    await admin.send(new DeleteTableCommand({ TableName: name }));
  });
});

describe('the DynamoDB test helper', () => {
  it('refuses any endpoint that is not on this machine', () => {
    expect(() => assertLocalEndpoint('https://dynamodb.us-east-1.amazonaws.com')).toThrow(/only a local endpoint/);
    expect(() => assertLocalEndpoint('http://10.0.0.5:8000')).toThrow(/only a local endpoint/);
    expect(() => assertLocalEndpoint('http://127.0.0.1:8000')).not.toThrow();
  });
});
