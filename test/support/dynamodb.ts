/**
 * Per-file DynamoDB tables on the run's DynamoDB Local (see dynamodb-local.global-setup.ts).
 * Clients are configured the way production configures them, through the SDK's standard
 * environment (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_REGION`, credentials), and refuse to send a
 * single request anywhere but the loopback interface.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient } from '../../src/adapters/dynamodb/document-client.js';
import { ensureTable } from '../../src/adapters/dynamodb/table.js';

/** A fresh table of this test file. */
export interface TestTable {
  /** Document client on the table's endpoint, as the repository wants it. */
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Another, independent client (own connection pool), e.g. to play a second process. */
  connect(): DynamoDBDocumentClient;
  /** Deletes the table and closes every client made here. */
  dispose(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Throws unless `endpoint` is an http(s) URL on the loopback interface. */
export function assertLocalEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`Refusing to run DynamoDB tests: ${JSON.stringify(endpoint)} is not a URL`);
  }
  if (!LOOPBACK_HOSTS.has(url.hostname) || !['http:', 'https:'].includes(url.protocol)) {
    throw new Error(`Refusing to run DynamoDB tests against ${endpoint}: only a local endpoint is allowed`);
  }
}

/**
 * Points the AWS SDK at the run's DynamoDB Local with dummy credentials, creates a uniquely
 * named table with the production `ensureTable`, and returns a client for it.
 */
export function createTestTable(label = 'test'): Promise<TestTable> {
  return createTableAt(inject('dynamodbEndpoint'), label);
}

/** `createTestTable` on a DynamoDB Local started some other way (a benchmark's). */
export async function createTableAt(endpoint: string, label: string): Promise<TestTable> {
  assertLocalEndpoint(endpoint);
  useLocalEnvironment(endpoint);
  const tableName = `ki-${label.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 40)}-${randomUUID().slice(0, 8)}`;
  const clients: DynamoDBClient[] = [];
  const connectRaw = (): DynamoDBClient => {
    const client = localOnly(new DynamoDBClient({}));
    clients.push(client);
    return client;
  };
  const admin = connectRaw();
  await ensureTable(admin, tableName);
  return {
    client: createDocumentClient(connectRaw()),
    tableName,
    endpoint,
    connect: () => createDocumentClient(connectRaw()),
    dispose: async () => {
      await admin.send(new DeleteTableCommand({ TableName: tableName }));
      for (const client of clients) client.destroy();
    },
  };
}

/** A raw client on the local endpoint, for table-level tests (`ensureTable` races). */
export function createLocalClient(): DynamoDBClient {
  const endpoint = inject('dynamodbEndpoint');
  assertLocalEndpoint(endpoint);
  useLocalEnvironment(endpoint);
  return localOnly(new DynamoDBClient({}));
}

function useLocalEnvironment(endpoint: string): void {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  // This switch would make the SDK ignore AWS_ENDPOINT_URL_DYNAMODB and call real AWS.
  delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
}

/** Fails every request whose host is not loopback, whatever the SDK resolved. */
function localOnly(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      const { hostname } = args.request as { hostname?: string };
      if (hostname === undefined || !LOOPBACK_HOSTS.has(hostname)) {
        throw new Error(`Refusing to send a DynamoDB request to ${String(hostname)}: tests only talk to DynamoDB Local`);
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'localEndpointOnly' },
  );
  return client;
}
