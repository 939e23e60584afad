/**
 * Fake CloudTrail event history: the records of each account and Region, newest first, and the
 * LookupEvents rate limit AWS documents (two requests per second, per account, per Region),
 * ENFORCED as a sliding window: a request arriving when the window before it already holds
 * `requests` accepted ones is answered ThrottlingException "Rate exceeded" (and not counted).
 * Records older than the 90-day retention (from `now()`) are not returned.
 */

/** A CloudTrail record as CloudTrail writes it (`eventVersion`, `userIdentity`, `eventTime` …). */
export type CloudTrailRecord = Readonly<Record<string, unknown>>;

/** A stored record with what lookups sort and filter on. */
export interface StoredEvent {
  readonly record: CloudTrailRecord;
  readonly eventId: string;
  readonly timeMs: number;
  /** Insertion order, breaking ties between records of the same second. */
  readonly seq: number;
  /** Replaces the `CloudTrailEvent` string (to test unreadable records). */
  cloudTrailEvent?: string;
}

/** At most `requests` accepted in any `windowMs`. */
export interface RateLimit {
  readonly requests: number;
  readonly windowMs: number;
}

/** LookupEvents' documented limit. */
export const LOOKUP_EVENTS_RATE_LIMIT: RateLimit = { requests: 2, windowMs: 1000 };
const RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

/** One account's history in one Region, and what it was asked. */
export class RegionTrail {
  /** Newest first. */
  private readonly events: StoredEvent[] = [];
  /** Arrival times (monotonic ms) of every accepted LookupEvents request. */
  readonly arrivals: number[] = [];
  lookups = 0;
  rateLimited = 0;
  injectedThrottles = 0;
  private throttlesPending = 0;

  constructor(
    readonly account: string,
    readonly region: string,
    private readonly nextSeq: () => number,
  ) {}

  /**
   * Stores records as CloudTrail delivered them. Each needs a string `eventID`, a valid
   * `eventTime` and, when it has one, this trail's `awsRegion` (history is per Region).
   */
  add(records: Iterable<CloudTrailRecord>): this {
    for (const record of records) {
      const eventId = record.eventID;
      const timeMs = typeof record.eventTime === 'string' ? Date.parse(record.eventTime) : Number.NaN;
      if (typeof eventId !== 'string' || Number.isNaN(timeMs)) {
        throw new Error(`fake CloudTrail: a record needs eventID and eventTime, got ${JSON.stringify(record).slice(0, 200)}`);
      }
      if (record.awsRegion !== undefined && record.awsRegion !== this.region) {
        throw new Error(`fake CloudTrail: record ${eventId} is from ${String(record.awsRegion)}, not ${this.region}`);
      }
      this.events.push({ record, eventId, timeMs, seq: this.nextSeq() });
    }
    this.events.sort((a, b) => b.timeMs - a.timeMs || b.seq - a.seq);
    return this;
  }

  /** The next `times` lookups in this Region answer ThrottlingException whatever the rate. */
  throttleNext(times = 1): this {
    this.throttlesPending += times;
    return this;
  }

  /** Makes LookupEvents return `text` as the event's `CloudTrailEvent`. */
  corrupt(eventId: string, text: string): this {
    const event = this.events.find((e) => e.eventId === eventId);
    if (!event) throw new Error(`fake CloudTrail: no event ${eventId} in ${this.region}`);
    event.cloudTrailEvent = text;
    return this;
  }

  get size(): number {
    return this.events.length;
  }

  /** ThrottlingException answers, limit and injected. */
  get throttled(): number {
    return this.rateLimited + this.injectedThrottles;
  }

  /** Stored events, newest first, within retention. */
  visible(nowMs: number): readonly StoredEvent[] {
    const oldest = nowMs - RETENTION_MS;
    return this.events.filter((e) => e.timeMs >= oldest);
  }

  /** Counts one request; false when it must be throttled (injected, or over the limit at `atMs`). */
  admit(atMs: number, limit: RateLimit): boolean {
    this.lookups += 1;
    if (this.throttlesPending > 0) {
      this.throttlesPending -= 1;
      this.injectedThrottles += 1;
      return false;
    }
    // Sliding window: accepted arrivals in (atMs - windowMs, atMs].
    let recent = 0;
    for (let i = this.arrivals.length - 1; i >= 0 && this.arrivals[i]! > atMs - limit.windowMs; i--) recent += 1;
    if (recent >= limit.requests) {
      this.rateLimited += 1;
      return false;
    }
    this.arrivals.push(atMs);
    return true;
  }
}

/** Every account's and Region's history, and the clocks the fake uses. */
export class CloudTrailState {
  /** The enforced LookupEvents limit (tests may scale it down to run faster). */
  rateLimit: RateLimit = LOOKUP_EVENTS_RATE_LIMIT;
  /** Wall clock for the 90-day retention and default time range. */
  now: () => Date = () => new Date();
  /** Monotonic clock for the rate window, in ms. */
  monotonic: () => number = () => performance.now();
  private readonly trails = new Map<string, RegionTrail>();
  private seq = 0;

  /** The history of `account` in `region`, created empty on first use. */
  trail(account: string, region: string): RegionTrail {
    const key = `${account}/${region}`;
    let trail = this.trails.get(key);
    if (!trail) {
      trail = new RegionTrail(account, region, () => this.seq++);
      this.trails.set(key, trail);
    }
    return trail;
  }

  clear(): void {
    this.trails.clear();
    this.rateLimit = LOOKUP_EVENTS_RATE_LIMIT;
    this.now = () => new Date();
    this.monotonic = () => performance.now();
  }
}
