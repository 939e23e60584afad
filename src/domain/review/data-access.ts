/**
 * Bulk S3 downloads. GetObject is a data event: LookupEvents never returns it, so this only
 * sees it when records come from a trail that logs S3 data events. Counts are kept per bucket
 * and UTC hour, so memory grows with buckets × hours, not with objects read.
 */
import { callerKey, clean, consoleUrl, obj, str, timeMs } from './fields.js';
import { FindingCategory, type FindingGroup, type TrailEvent } from './types.js';

export interface DataAccessOptions {
  /** Least successful GetObject calls on one bucket within two adjacent UTC hours to make a finding. */
  readonly minObjectsPerHour?: number;
  /** Buckets tracked; reads from later new buckets are counted in `untrackedReads` only. */
  readonly maxBuckets?: number;
}

const HOUR = 3_600_000;

interface Evidence {
  readonly ms: number;
  readonly eventId: string;
  readonly eventTime: string;
  readonly region: string;
  readonly sourceIPAddress?: string;
  readonly accessKeyId?: string;
}

interface BucketReads {
  total: number;
  readonly perHour: Map<number, number>;
  /** The earliest read: the finding's evidence. */
  first: Evidence;
  /** ISO-8601 time of the latest read. */
  last: { readonly ms: number; readonly time: string };
}

/**
 * Counts successful S3 GetObject calls as they stream in, in any order. A bucket becomes a
 * finding when two adjacent UTC hours hold at least `minObjectsPerHour` (default 100) of them:
 * any 60-minute burst falls within two adjacent clock hours, even across an hour boundary.
 */
export class DataAccessTracker {
  private readonly buckets = new Map<string, BucketReads>();
  private readonly minPerHour: number;
  private readonly maxBuckets: number;
  private untracked = 0;

  constructor(options: DataAccessOptions = {}) {
    this.minPerHour = options.minObjectsPerHour ?? 100;
    this.maxBuckets = options.maxBuckets ?? 1_000;
  }

  /** Counts the event if it is a successful S3 GetObject with a bucket name and a time. */
  add(event: TrailEvent): void {
    if (!obj(event) || event.eventName !== 'GetObject' || event.eventSource !== 's3.amazonaws.com') return;
    if (str(event.errorCode) !== undefined) return;
    const bucket = str(obj(event.requestParameters)?.bucketName);
    const ms = timeMs(event.eventTime);
    if (bucket === undefined || ms === undefined) return;
    const evidence: Evidence = {
      ms,
      eventTime: event.eventTime,
      eventId: str(event.eventId) ?? '',
      region: str(event.awsRegion) ?? '',
      sourceIPAddress: str(event.sourceIPAddress),
      accessKeyId: callerKey(event),
    };
    this.count(bucket, evidence);
  }

  private count(bucket: string, evidence: Evidence): void {
    let reads = this.buckets.get(bucket);
    if (!reads) {
      if (this.buckets.size >= this.maxBuckets) {
        this.untracked += 1;
        return;
      }
      reads = { total: 0, perHour: new Map(), first: evidence, last: { ms: evidence.ms, time: evidence.eventTime } };
      this.buckets.set(bucket, reads);
    }
    reads.total += 1;
    const hour = Math.floor(evidence.ms / HOUR);
    reads.perHour.set(hour, (reads.perHour.get(hour) ?? 0) + 1);
    if (evidence.ms < reads.first.ms) reads.first = evidence;
    if (evidence.ms > reads.last.ms) reads.last = { ms: evidence.ms, time: evidence.eventTime };
  }

  /** GetObject calls counted on buckets past the cap (not in any finding). */
  get untrackedReads(): number {
    return this.untracked;
  }

  /** One finding per bucket read in bulk, most objects first. */
  findings(): FindingGroup[] {
    return [...this.buckets]
      .map(([bucket, reads]) => ({ bucket, reads, peak: peakHour(reads.perHour) }))
      .filter(({ peak }) => peak.count >= this.minPerHour)
      .sort((a, b) => b.reads.total - a.reads.total)
      .map(({ bucket, reads, peak }) => toFinding(bucket, reads, peak));
  }
}

/** The busiest pair of adjacent hours, by its first hour. */
function peakHour(perHour: ReadonlyMap<number, number>): { hour: number; count: number } {
  let peak = { hour: 0, count: 0 };
  for (const [hour, count] of perHour) {
    const pair = count + (perHour.get(hour + 1) ?? 0);
    if (pair > peak.count || (pair === peak.count && hour < peak.hour)) peak = { hour, count: pair };
  }
  return peak;
}

function toFinding(bucket: string, reads: BucketReads, peak: { hour: number; count: number }): FindingGroup {
  const { ms: _ms, ...evidence } = reads.first;
  const hourStart = new Date(peak.hour * HOUR).toISOString();
  return {
    category: FindingCategory.Data,
    eventName: 'GetObject',
    summary: clean(`Downloaded ${reads.total} objects from bucket ${bucket} (${peak.count} within two hours from ${hourStart})`),
    ...evidence,
    count: reads.total, firstSeen: evidence.eventTime, lastSeen: reads.last.time, sampleEventIds: [evidence.eventId],
    consoleUrl: consoleUrl(`s3/buckets/${encodeURIComponent(bucket)}`, evidence.region),
  };
}
