/** The ways the IAM adapters call IAM: one call, every page of a list, a read that may find nothing, a change. */
import { AwsError } from '../../domain/errors.js';
import type { RequestId } from '../../ports/iam-writer.js';
import { callAws } from '../aws-errors.js';

/** The service name IAM errors carry. */
export const IAM_SERVICE = 'iam';

/** One IAM call, its failure as `AwsError`. */
export function callIam<T>(operation: string, send: () => Promise<T>): Promise<T> {
  return callAws(IAM_SERVICE, operation, send);
}

/** Every item of every page, as one list. */
export function collectPages<P, T>(operation: string, pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
  return callIam(operation, async () => {
    const all: T[] = [];
    for await (const page of pages) all.push(...(items(page) ?? []));
    return all;
  });
}

/** The call's output, or undefined when IAM answers NoSuchEntity. */
export async function absentIfNoSuchEntity<T>(operation: string, send: () => Promise<T>): Promise<T | undefined> {
  try {
    return await callIam(operation, send);
  } catch (error) {
    if (error instanceof AwsError && error.code === 'NoSuchEntity') return undefined;
    throw error;
  }
}

/** A change, resolving to AWS's request id for the record. */
export async function changeIam(operation: string, send: () => Promise<{ $metadata: { requestId?: string } }>): Promise<RequestId> {
  return (await callIam(operation, send)).$metadata.requestId;
}

/** The values IAM filled in, in order. */
export function present(values: readonly (string | undefined)[]): string[] {
  return values.filter((v): v is string => v !== undefined && v !== '');
}
