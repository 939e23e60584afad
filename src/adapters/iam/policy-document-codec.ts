/**
 * IAM returns policy documents URL-encoded (RFC 3986) JSON text; the SDK does not decode them.
 */
import { AwsError } from '../../domain/errors.js';
import type { PolicyDocument } from '../../domain/assessment/policy-document.js';

/** The document IAM sent for `operation`, decoded and parsed. Throws `AwsError` when unreadable. */
export function decodePolicyDocument(encoded: string | undefined, operation: string): PolicyDocument {
  if (encoded === undefined) throw unreadable(operation, 'no document in the response');
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeURIComponent(encoded));
  } catch (cause) {
    throw unreadable(operation, 'not URL-encoded JSON', cause);
  }
  if (!isPolicyDocument(parsed)) throw unreadable(operation, 'no Statement');
  return parsed;
}

function isPolicyDocument(value: unknown): value is PolicyDocument {
  if (typeof value !== 'object' || value === null) return false;
  const statement = (value as { Statement?: unknown }).Statement;
  return typeof statement === 'object' && statement !== null;
}

function unreadable(operation: string, reason: string, cause?: unknown): AwsError {
  return new AwsError(
    'MalformedPolicyDocument',
    `IAM ${operation} returned a policy document the bot cannot read: ${reason}`,
    'iam',
    operation,
    undefined,
    false,
    { cause },
  );
}
