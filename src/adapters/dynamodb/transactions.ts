/** Transaction plumbing shared by the repositories. */
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type TransactWriteItem,
  type TransactWritePut,
} from '@aws-sdk/lib-dynamodb';

export const CONDITION_FAILED = 'ConditionalCheckFailed';
export const CONFLICT = 'TransactionConflict';

/** The transaction was cancelled; `reasons` line up with the transaction's items. */
export interface Cancelled {
  readonly error: Error;
  readonly reasons: readonly CancellationReason[];
}

export const hasConflict = (reasons: readonly CancellationReason[]): boolean =>
  reasons.some((reason) => reason.Code === CONFLICT);

export const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

/** Runs the transaction; resolves to the cancellation, if any, and rethrows anything else. */
export async function transact(client: DynamoDBDocumentClient, items: TransactWriteItem[]): Promise<Cancelled | undefined> {
  try {
    await client.send(new TransactWriteCommand({ TransactItems: items }));
    return undefined;
  } catch (error) {
    if (errorName(error) !== 'TransactionCanceledException') throw error;
    const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
    return { error: error as Error, reasons };
  }
}

/** A put that never overwrites: ids, guards and events are each written once. */
export function newItemPut(tableName: string, item: object): PutCommandInput & TransactWritePut {
  return {
    TableName: tableName,
    Item: { ...item },
    ConditionExpression: 'attribute_not_exists(pk)',
    // On failure DynamoDB hands back the item that was there (e.g. the guard's owner).
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/** A further condition a write must meet, with its names and values. */
export interface ExtraCondition {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/** A put replacing an item only when its stored `version` is `expectedVersion` (and `also` holds). */
export function putIfVersion(tableName: string, item: object, expectedVersion: number, also?: ExtraCondition): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...item },
      // Optimistic concurrency: only a writer that read the current version may replace it.
      ConditionExpression: also ? `#version = :expected AND (${also.expression})` : '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version', ...also?.names },
      ExpressionAttributeValues: { ':expected': expectedVersion, ...also?.values },
      // Tells "no such item" (no old item) from "someone wrote first".
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}
