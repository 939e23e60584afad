import type { TrailEvent } from '../domain/review/types.js';

/**
 * One CloudTrail lookup: iterate it once for pages of events, newest first as CloudTrail returns
 * them (empty pages are not yielded). The counters fill in as pages arrive.
 */
export interface TrailScan extends AsyncIterable<TrailEvent[]> {
  /** Records skipped so far because their `CloudTrailEvent` was not a readable record. */
  readonly skipped: number;
  /** Ids of the skipped records, when CloudTrail gave one. */
  readonly skippedEventIds: readonly string[];
  /** LookupEvents pages received so far (retries not counted, empty pages counted). */
  readonly pages: number;
  /** Whether another page remains after the last one yielded (CloudTrail gave a NextToken). */
  readonly more: boolean;
}

/** CloudTrail event history (LookupEvents, last 90 days). Errors are `AwsError`, thrown by the iteration. */
export interface CloudTrailReader {
  /**
   * Events made with `accessKeyId` in `region` between `start` and `end` (both inclusive).
   * Pages already yielded stay valid when a later page fails.
   */
  lookupByAccessKey(region: string, accessKeyId: string, start: Date, end: Date): TrailScan;
  /** Events named `eventName` (e.g. `AssumeRole`) in `region` between `start` and `end`. */
  lookupByEventName(region: string, eventName: string, start: Date, end: Date): TrailScan;
}
