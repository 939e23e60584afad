/**
 * Streams CloudTrail events into an `ActivitySummary`. Memory grows with distinct values, never
 * with the number of events, and the result does not depend on the order events arrive in
 * (LookupEvents pages come newest first; several keys' pages interleave).
 */
import { obj, str, timeMs } from './fields.js';
import type { ActivitySummary, TrailEvent } from './types.js';

/** The entry under which values past the cap are counted. Parentheses: no IP, region or service has them. */
export const OTHERS = '(others)';

export interface ActivityOptions {
  /** Distinct source IPs, user agents, regions and services tracked each; later ones count under `(others)`. */
  readonly maxDistinct?: number;
  /** Least AccessDenied-like errors for a run of minutes to count as a burst. */
  readonly burstMinErrors?: number;
  /** Region-minutes with AccessDenied-like errors tracked; beyond, errors still count but not in bursts. */
  readonly maxErrorMinutes?: number;
}

const DEFAULTS = { maxDistinct: 1_000, burstMinErrors: 10, maxErrorMinutes: 20_000 } as const;

/** Verbs of reading actions, as whole words of the PascalCase name; used only without `readOnly`. */
const READ_VERB = /^(Get|List|Describe|Head|Lookup|Search|View|BatchGet|Query|Scan|Select)(?=[A-Z0-9]|$)/;

/** Error codes of a refused call (IAM/STS/most JSON APIs, EC2, SNS, API Gateway-style services). */
const DENIED = /^(Client\.)?(AccessDenied|Unauthorized|NotAuthorized|Forbidden|AuthorizationError)/;

/** True for error codes that mean "not allowed": repeated, they are someone probing permissions. */
export function isAccessDenied(errorCode: string | undefined): boolean {
  return errorCode !== undefined && DENIED.test(errorCode);
}

/** True when the event only read: CloudTrail's `readOnly` when set, else the verb of its name. */
export function isRead(event: TrailEvent): boolean {
  if (typeof event.readOnly === 'boolean') return event.readOnly;
  return READ_VERB.test(str(event.eventName) ?? '');
}

/** Exact counts of the first `cap` distinct values; the rest summed as others. */
class CappedCounter {
  private readonly counts = new Map<string, number>();
  private others = 0;

  constructor(private readonly cap: number) {}

  add(value: string | undefined): void {
    if (value === undefined) return;
    const n = this.counts.get(value);
    if (n !== undefined) this.counts.set(value, n + 1);
    else if (this.counts.size < this.cap) this.counts.set(value, 1);
    else this.others += 1;
  }

  get size(): number {
    return this.counts.size;
  }

  /** Largest first (ties by value); entries past `limit` folded into `(others)`. */
  top(limit: number): Array<{ value: string; count: number }> {
    const sorted = [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const shown = sorted.slice(0, limit).map(([value, count]) => ({ value, count }));
    const others = this.others + sorted.slice(limit).reduce((sum, [, count]) => sum + count, 0);
    return others > 0 ? [...shown, { value: OTHERS, count: others }] : shown;
  }
}

interface MinuteBucket {
  count: number;
  first: number;
  last: number;
}

type Burst = ActivitySummary['errorBursts'][number];

const MINUTE = 60_000;

/**
 * Counts events as they stream in.
 *
 * - Read or write: CloudTrail's `readOnly` when present, otherwise the event name's verb
 *   (Get/List/Describe/Head/Lookup/Search/View/BatchGet/Query/Scan/Select read); every event is one or the other.
 * - Errors: events with an `errorCode`.
 * - Error bursts: AccessDenied-like errors are counted per region and UTC minute. A burst is a
 *   run of adjacent minutes (no empty minute between) in one region, each with such errors,
 *   totalling at least `burstMinErrors` (default 10). Counting by minute instead of by
 *   sequence makes the result the same whatever order the events came in.
 * - Caps: the first `maxDistinct` (default 1,000) distinct IPs, user agents, regions and
 *   services are counted exactly; later new values are summed under `(others)`.
 */
export class ActivityAggregator {
  private readonly opts: Required<ActivityOptions>;
  private readonly sourceIps: CappedCounter;
  private readonly userAgents: CappedCounter;
  private readonly regions: CappedCounter;
  private readonly services: CappedCounter;
  /** Region → UTC minute → AccessDenied-like errors in it. */
  private readonly denied = new Map<string, Map<number, MinuteBucket>>();
  private deniedMinutes = 0;
  private events = 0;
  private reads = 0;
  private errors = 0;
  private first?: { ms: number; time: string };
  private last?: { ms: number; time: string };

  constructor(options: ActivityOptions = {}) {
    this.opts = { ...DEFAULTS, ...options };
    const cap = this.opts.maxDistinct;
    this.sourceIps = new CappedCounter(cap);
    this.userAgents = new CappedCounter(cap);
    this.regions = new CappedCounter(cap);
    this.services = new CappedCounter(cap);
  }

  /** Counts one event. Never throws on a malformed one. */
  add(event: TrailEvent): void {
    if (!obj(event)) return;
    this.events += 1;
    if (isRead(event)) this.reads += 1;
    this.sourceIps.add(str(event.sourceIPAddress));
    this.userAgents.add(str(event.userAgent));
    this.regions.add(str(event.awsRegion));
    this.services.add(str(event.eventSource)?.replace(/\.amazonaws\.com$/, ''));
    const ms = timeMs(event.eventTime);
    if (ms !== undefined) this.track(event.eventTime, ms);
    const errorCode = str(event.errorCode);
    if (errorCode === undefined) return;
    this.errors += 1;
    if (isAccessDenied(errorCode) && ms !== undefined) this.countDenied(str(event.awsRegion) ?? '', ms);
  }

  private track(time: string, ms: number): void {
    if (!this.first || ms < this.first.ms) this.first = { ms, time };
    if (!this.last || ms > this.last.ms) this.last = { ms, time };
  }

  private countDenied(region: string, ms: number): void {
    const minute = Math.floor(ms / MINUTE);
    const minutes = this.denied.get(region) ?? new Map<number, MinuteBucket>();
    const bucket = minutes.get(minute);
    if (bucket) {
      bucket.count += 1;
      bucket.first = Math.min(bucket.first, ms);
      bucket.last = Math.max(bucket.last, ms);
    } else if (this.deniedMinutes < this.opts.maxErrorMinutes) {
      minutes.set(minute, { count: 1, first: ms, last: ms });
      this.denied.set(region, minutes);
      this.deniedMinutes += 1;
    }
  }

  /** How many distinct values each tracked map holds: bounded by the caps, whatever the event count. */
  trackedSizes(): { sourceIps: number; userAgents: number; regions: number; services: number; errorMinutes: number } {
    return {
      sourceIps: this.sourceIps.size,
      userAgents: this.userAgents.size,
      regions: this.regions.size,
      services: this.services.size,
      errorMinutes: this.deniedMinutes,
    };
  }

  /** The summary so far; `top` limits each list (the rest summed under `(others)`). */
  summary(options: { top?: number } = {}): ActivitySummary {
    const top = options.top ?? this.opts.maxDistinct;
    return {
      events: this.events,
      firstEventTime: this.first?.time,
      lastEventTime: this.last?.time,
      sourceIps: this.sourceIps.top(top),
      userAgents: this.userAgents.top(top),
      regions: this.regions.top(top),
      services: this.services.top(top),
      writes: this.events - this.reads,
      reads: this.reads,
      errors: this.errors,
      errorBursts: this.bursts(),
    };
  }

  private bursts(): Burst[] {
    return [...this.denied]
      .flatMap(([region, minutes]) => runsOf(region, [...minutes].map(([minute, b]) => ({ ...b, minute }))))
      .filter((b) => b.count >= this.opts.burstMinErrors)
      .sort((a, b) => compare(a.start, b.start) || compare(a.region, b.region));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Runs of adjacent minutes in one region, each as a burst candidate. */
function runsOf(region: string, minutes: Array<MinuteBucket & { minute: number }>): Burst[] {
  const sorted = [...minutes].sort((a, b) => a.minute - b.minute);
  const runs: Burst[] = [];
  let run: (MinuteBucket & { minute: number }) | undefined;
  const close = (r: MinuteBucket) =>
    runs.push({ start: new Date(r.first).toISOString(), end: new Date(r.last).toISOString(), count: r.count, region });
  for (const m of sorted) {
    // Adjacent minute: the same run continues.
    if (run && m.minute === run.minute + 1) {
      run = { count: run.count + m.count, first: run.first, last: m.last, minute: m.minute };
    } else {
      if (run) close(run);
      run = { ...m };
    }
  }
  if (run) close(run);
  return runs;
}
