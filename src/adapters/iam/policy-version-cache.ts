/**
 * Managed policy versions never change once created (a change is a new version), so their
 * documents can be kept for the life of the process, keyed by policy ARN and version id.
 */
import type { PolicyDocument } from '../../domain/assessment/policy-document.js';

const DEFAULT_CAPACITY = 500;

/** A bounded map of (ARN, version) → document; the oldest entry goes first when full. */
export class PolicyVersionCache {
  private readonly documents = new Map<string, PolicyDocument>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  get(arn: string, versionId: string): PolicyDocument | undefined {
    return this.documents.get(cacheKey(arn, versionId));
  }

  set(arn: string, versionId: string, document: PolicyDocument): void {
    const key = cacheKey(arn, versionId);
    this.documents.delete(key);
    this.documents.set(key, document);
    if (this.documents.size > this.capacity) {
      const oldest = this.documents.keys().next().value as string;
      this.documents.delete(oldest);
    }
  }
}

function cacheKey(arn: string, versionId: string): string {
  return `${arn}#${versionId}`;
}
