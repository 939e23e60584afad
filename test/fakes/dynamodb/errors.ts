/**
 * DynamoDB's error answers as they come over the wire (JSON 1.0): HTTP 400, a `__type` naming
 * the exception in DynamoDB's namespace and a message, `x-amzn-RequestId` and `x-amz-crc32`
 * headers. Shapes and wording from the DynamoDB API reference ("Error handling with DynamoDB"
 * and TransactWriteItems' cancellation reasons):
 *
 * - `ThrottlingException` and `ProvisionedThroughputExceededException` carry `message`;
 * - `TransactionCanceledException` carries `Message` and `CancellationReasons`, one per item of
 *   the transaction in order, `{"Code":"None"}` for the items that were not the cause and
 *   `{"Code":"TransactionConflict","Message":"Transaction is ongoing for the item."}` for the
 *   one another transaction was writing.
 */
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

const NAMESPACE = 'com.amazonaws.dynamodb.v20120810';

/** The faults the proxy can answer with. */
export const DynamoFault = {
  Throttling: 'ThrottlingException',
  ProvisionedThroughput: 'ProvisionedThroughputExceededException',
  TransactionConflict: 'TransactionConflict',
} as const;
export type DynamoFault = (typeof DynamoFault)[keyof typeof DynamoFault];

const MESSAGES: Readonly<Record<string, string>> = {
  [DynamoFault.Throttling]: 'Rate of requests exceeds the allowed throughput.',
  [DynamoFault.ProvisionedThroughput]:
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
};

/** An answer to send instead of DynamoDB's. */
export interface ErrorAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly body: Buffer;
}

/** DynamoDB's request ids: 52 upper-case letters and digits. */
function requestId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(52)].map((b) => alphabet[b % alphabet.length]).join('');
}

function answer(payload: object): ErrorAnswer {
  const body = Buffer.from(JSON.stringify(payload));
  return {
    status: 400,
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'x-amzn-RequestId': requestId(),
      'x-amz-crc32': crc32(body),
      'Content-Length': body.length,
    },
    body,
  };
}

/** A throttling answer (either exception). */
export function throttled(fault: typeof DynamoFault.Throttling | typeof DynamoFault.ProvisionedThroughput): ErrorAnswer {
  return answer({ __type: `${NAMESPACE}#${fault}`, message: MESSAGES[fault] });
}

/** A TransactWriteItems of `items` items cancelled because item `conflicting` was in another transaction. */
export function transactionConflict(items: number, conflicting: number): ErrorAnswer {
  const codes = Array.from({ length: items }, (_, i) => (i === conflicting ? DynamoFault.TransactionConflict : 'None'));
  return answer({
    __type: `${NAMESPACE}#TransactionCanceledException`,
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    CancellationReasons: codes.map((Code) => (Code === 'None' ? { Code } : { Code, Message: 'Transaction is ongoing for the item.' })),
  });
}
