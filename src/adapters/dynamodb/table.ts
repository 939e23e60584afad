/** Creating and describing the single table. */
import {
  CreateTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { PK, SK } from './keys.js';

/** What a health check or an operator needs to know about the table. */
export interface TableInfo {
  readonly name: string;
  readonly status: string;
  readonly billingMode: string;
  readonly keySchema: readonly string[];
  readonly itemCount?: number;
}

/** How long `ensureTable` waits for a new table to become ACTIVE. */
const ACTIVE_WAIT_SECONDS = 120;

/**
 * Creates the table if it is missing (on-demand billing, string `pk`/`sk`) and resolves once it
 * is ACTIVE. Safe to call on every start and from several processes at once: a creation that
 * loses the race (`ResourceInUseException`) just waits for the winner's table. Throws when an
 * existing table has a different key schema.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<TableInfo> {
  const existing = await findTable(client, tableName);
  if (existing === undefined) await createTable(client, tableName);
  else assertKeySchema(existing);
  if (existing?.TableStatus !== 'ACTIVE') {
    await waitUntilTableExists(
      { client, maxWaitTime: ACTIVE_WAIT_SECONDS, minDelay: 1, maxDelay: 5 },
      { TableName: tableName },
    );
  }
  return describeTable(client, tableName);
}

/** The table's status, billing mode and key schema; throws `ResourceNotFoundException`. */
export async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableInfo> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  return toTableInfo(tableName, Table);
}

async function findTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: PK, AttributeType: 'S' },
          { AttributeName: SK, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: PK, KeyType: 'HASH' },
          { AttributeName: SK, KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (error) {
    // Another process created it between our DescribeTable and CreateTable: theirs will do.
    if (errorName(error) !== 'ResourceInUseException') throw error;
  }
}

function assertKeySchema(table: TableDescription): void {
  const schema = keySchemaOf(table);
  if (schema.join(',') !== `${PK} HASH,${SK} RANGE`) {
    throw new Error(`Table ${table.TableName} has key schema [${schema.join(', ')}]; expected [${PK} HASH, ${SK} RANGE]`);
  }
}

function toTableInfo(tableName: string, table: TableDescription | undefined): TableInfo {
  return {
    name: table?.TableName ?? tableName,
    status: table?.TableStatus ?? 'UNKNOWN',
    // Tables created on demand report it here; DescribeTable omits it for provisioned ones.
    billingMode: table?.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
    keySchema: table === undefined ? [] : keySchemaOf(table),
    ...(table?.ItemCount === undefined ? {} : { itemCount: table.ItemCount }),
  };
}

const keySchemaOf = (table: TableDescription): string[] =>
  (table.KeySchema ?? []).map((key) => `${key.AttributeName} ${key.KeyType}`);

const errorName = (error: unknown): string | undefined =>
  error instanceof Error ? error.name : undefined;
