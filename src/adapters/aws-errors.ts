/**
 * Turns whatever an AWS SDK call throws into `AwsError`, keeping AWS's own error code
 * (AccessDenied, NoSuchEntity, Throttling …) and request id. Shared by every AWS adapter.
 */
import { AwsError } from '../domain/errors.js';

/** Codes AWS uses for throttling; the SDK's standard retry treats these as retryable. */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);

/** Node network failures: the request may not have reached AWS, so trying again is safe. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/** What the SDK's service exceptions and network errors carry, all optional. */
interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly Code?: unknown;
  readonly Error?: { readonly Code?: unknown };
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

/** `error` as an `AwsError` for `service` (`iam`, `sts` …) and `operation` (`GetUser` …). */
export function toAwsError(error: unknown, service: string, operation: string): AwsError {
  if (error instanceof AwsError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error : {};
  const code = errorCode(shape);
  const status = shape.$metadata?.httpStatusCode;
  const message = typeof shape.message === 'string' && shape.message !== '' ? shape.message : code;
  return new AwsError(code, message, service, operation, shape.$metadata?.requestId, isRetryable(code, status), {
    cause: error,
  });
}

/** Runs one SDK call, rethrowing any failure as `AwsError`. */
export async function callAws<T>(service: string, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsError(error, service, operation);
  }
}

/**
 * AWS's code as sent on the wire. Query-protocol exceptions are named after the model
 * (`NoSuchEntityException`) while `Code` keeps what AWS said (`NoSuchEntity`).
 */
function errorCode(shape: SdkErrorShape): string {
  const candidates = [shape.Error?.Code, shape.Code, shape.code, shape.name];
  const found = candidates.find((c): c is string => typeof c === 'string' && c !== '' && c !== 'Error');
  return found ?? 'Unknown';
}

function isRetryable(code: string, status: number | undefined): boolean {
  if (THROTTLING_CODES.has(code) || NETWORK_CODES.has(code)) return true;
  return status !== undefined && (status === 429 || status >= 500);
}
