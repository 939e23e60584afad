import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The document client the repository expects: optional fields that are `undefined` (an
 * incident without `rootTs`, an assessment finding without `botAccountId`) are left out of the
 * item instead of failing the marshalling. Class instances such as `Date` still fail loudly
 * rather than being stored as empty maps.
 */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** Whether `client` drops `undefined` values, which the repository relies on. */
export function removesUndefinedValues(client: DynamoDBDocumentClient): boolean {
  return client.config.translateConfig?.marshallOptions?.removeUndefinedValues === true;
}
