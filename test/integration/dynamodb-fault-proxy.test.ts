/**
 * The fault proxy the fault-injection suite puts in front of DynamoDB Local: it must be
 * invisible when it injects nothing (bytes and headers through unchanged, both ways), and what
 * it injects must reach the SDK as DynamoDB's own errors do.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFault, DynamoFaultProxy } from '../fakes/dynamodb/fault-proxy.js';
import { createTestTable, type TestTable } from '../support/dynamodb.js';

let table: TestTable;
let proxy: DynamoFaultProxy;
const clients: DynamoDBClient[] = [];

beforeAll(async () => {
  table = await createTestTable('fault-proxy');
  proxy = await DynamoFaultProxy.start(table.endpoint);
});
afterEach(() => {
  proxy.reset();
  for (const client of clients.splice(0)) client.destroy();
});
afterAll(async () => {
  await proxy.close();
  await table.dispose();
});

/** A document client through the proxy, as a process with `AWS_SDK_UA_APP_ID=<agent>` makes it. */
function through(agent: string, maxAttempts = 3): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ endpoint: proxy.url, userAgentAppId: agent, maxAttempts });
  clients.push(client);
  return DynamoDBDocumentClient.from(client);
}

const put = (pk: string) => new PutCommand({ TableName: table.tableName, Item: { pk, sk: 'X' } });
const stored = async (pk: string) => (await table.client.send(new GetCommand({ TableName: table.tableName, Key: { pk, sk: 'X' }, ConsistentRead: true }))).Item;
const transaction = (...pks: string[]) => new TransactWriteCommand({ TransactItems: pks.map((pk) => ({ Put: { TableName: table.tableName, Item: { pk, sk: 'X' } } })) });

describe('forwarding', () => {
  it('sends the request and the answer through byte for byte, headers (Host included) in their order', async () => {
    const seen: { rawHeaders: string[]; body: Buffer }[] = [];
    const upstream = await recordingServer(seen, Buffer.from('{"answer":"\u00e9t\u00e9"}'), ['x-amzn-RequestId', 'R1', 'X-Odd-Case', 'kept', 'Content-Type', 'application/x-amz-json-1.0']);
    const via = await DynamoFaultProxy.start(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    try {
      const body = Buffer.from('{"TableName":"t","Key":{"pk":{"S":"caf\u00e9"}}}');
      const headers = ['Host', 'dynamodb.example:443', 'X-Amz-Target', 'DynamoDB_20120810.GetItem', 'Authorization', 'AWS4-HMAC-SHA256 Credential=AKID/x', 'Content-Length', String(body.length)];
      const answer = await rawPost(via.url, headers, body);

      expect(seen).toHaveLength(1);
      expect(seen[0]!.body.equals(body)).toBe(true);
      expect(pairsOf(seen[0]!.rawHeaders).slice(0, 4)).toEqual(pairsOf(headers));
      expect(answer.body.toString('utf8')).toBe('{"answer":"\u00e9t\u00e9"}');
      expect(pairsOf(answer.rawHeaders)).toEqual(expect.arrayContaining([['x-amzn-RequestId', 'R1'], ['X-Odd-Case', 'kept']]));
    } finally {
      await via.close();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });

  it('lets the SDK work on DynamoDB Local through it, and tells processes apart by their user agent', async () => {
    await through('ki-p7').send(put('forwarded'));
    expect(await stored('forwarded')).toEqual({ pk: 'forwarded', sk: 'X' });
    expect(proxy.seen).toEqual([{ operation: 'PutItem', agent: 'ki-p7' }]);
    expect(proxy.forwarded).toBe(1);
  });
});

describe('injected faults, as the SDK sees them', () => {
  it.each([DynamoFault.Throttling, DynamoFault.ProvisionedThroughput])('%s is retried by the SDK as throttling, and the write lands once', async (fault) => {
    proxy.failNext('PutItem', fault, 2);
    const out = await through('ki-p1').send(put(`throttled-${fault}`));
    expect(out.$metadata.attempts).toBe(3);
    expect(proxy.injected[fault]).toBe(2);
    expect(await stored(`throttled-${fault}`)).toBeDefined();
  });

  it('ThrottlingException past the retries reaches the app with DynamoDB’s name, status and message', async () => {
    proxy.failNext('PutItem', DynamoFault.Throttling, 3);
    const err = await failure(through('ki-p1').send(put('never')));
    expect(err).toMatchObject({ name: 'ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.', $metadata: { httpStatusCode: 400, attempts: 3 } });
    expect(await stored('never')).toBeUndefined();
  });

  it('a transaction conflict is a TransactionCanceledException with one reason per item, not retried, nothing written', async () => {
    proxy.failNext('TransactWriteItems', DynamoFault.TransactionConflict);
    const err = await failure(through('ki-p1').send(transaction('tx-a', 'tx-b')));
    expect(err.name).toBe('TransactionCanceledException');
    expect(err.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect(err.CancellationReasons).toEqual([{ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item.' }, { Code: 'None' }]);
    expect(err.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None]');
    expect(await stored('tx-a')).toBeUndefined();
  });

  it('has the shape of DynamoDB Local’s own TransactionCanceledException', async () => {
    const condition = new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: table.tableName, Item: { pk: 'cond', sk: 'X' }, ConditionExpression: 'attribute_exists(pk)' } }],
    });
    const real = await failure(through('ki-p1').send(condition));
    proxy.failNext('TransactWriteItems', DynamoFault.TransactionConflict);
    const ours = await failure(through('ki-p1').send(transaction('cond')));
    const shape = (e: Record<string, unknown>) => ({ name: e.name, status: (e.$metadata as { httpStatusCode: number }).httpStatusCode, keys: Object.keys(e).sort() });
    expect(shape(ours)).toEqual(shape(real));
  });
});

describe('traps', () => {
  it('before forwarding: the sender loses its connection and DynamoDB never sees the write', async () => {
    let fired = 0;
    const trap = proxy.trap((r) => r.operation === 'PutItem' && r.agent === 'ki-victim', 'request', () => void fired++);
    await expect(through('ki-victim', 1).send(put('dropped'))).rejects.toThrow();
    await trap.fired;
    expect(fired).toBe(1);
    expect(await stored('dropped')).toBeUndefined();
  });

  it('once DynamoDB answered: the write landed, its sender never hears so', async () => {
    const trap = proxy.trap((r) => r.operation === 'PutItem', 'answer', () => undefined);
    await expect(through('ki-victim', 1).send(put('landed'))).rejects.toThrow();
    expect((await trap.fired).agent).toBe('ki-victim');
    expect(await stored('landed')).toEqual({ pk: 'landed', sk: 'X' });
  });

  it('once DynamoDB answered, only a write that landed: a refused one is answered and the trap waits for the next', async () => {
    const trap = proxy.trap((r) => r.operation === 'TransactWriteItems', 'answer', () => undefined);
    const refused = new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: table.tableName, Item: { pk: 'refused', sk: 'X' }, ConditionExpression: 'attribute_exists(pk)' } }],
    });
    expect((await failure(through('ki-p1', 1).send(refused))).name).toBe('TransactionCanceledException');
    await expect(through('ki-p1', 1).send(transaction('second'))).rejects.toThrow();
    await trap.fired;
    expect(await stored('second')).toBeDefined();
  });

  it('can deliver the answer after firing, for a process that was only stopped', async () => {
    let fired = 0;
    proxy.trap((r) => r.operation === 'PutItem', 'answer', () => void fired++, 'deliver');
    await through('ki-p1', 1).send(put('delivered'));
    expect(fired).toBe(1);
  });

  it('can hold a request back until `fire` is done, then forward it', async () => {
    const order: string[] = [];
    proxy.trap((r) => r.operation === 'PutItem' && r.agent === 'ki-late', 'request', async () => {
      await through('ki-other').send(put('first'));
      order.push('fired');
    }, 'deliver');
    await through('ki-late').send(put('second'));
    order.push('answered');
    expect(order).toEqual(['fired', 'answered']);
    expect(await stored('second')).toBeDefined();
  });

  it('a withdrawn trap never fires', async () => {
    const trap = proxy.trap(() => true, 'request', () => undefined);
    trap.cancel();
    await through('ki-p1').send(put('untrapped'));
    expect(await stored('untrapped')).toBeDefined();
  });
});

/** The error a request failed with, as the SDK threw it. */
async function failure(sent: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await sent;
  } catch (err) {
    return err as Record<string, unknown>;
  }
  throw new Error('the request succeeded');
}

/** An upstream that records what arrives and answers `body` with `headers`. */
async function recordingServer(seen: { rawHeaders: string[]; body: Buffer }[], body: Buffer, headers: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    void readAll(req).then((data) => {
      seen.push({ rawHeaders: req.rawHeaders, body: data });
      res.writeHead(200, [...headers, 'Content-Length', String(body.length)]);
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function rawPost(url: string, headers: string[], body: Buffer): Promise<{ rawHeaders: string[]; body: Buffer }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method: 'POST', path: '/', headers, setHost: false }, (res) => {
      void readAll(res).then((data) => resolve({ rawHeaders: res.rawHeaders, body: data }), reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function pairsOf(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}
