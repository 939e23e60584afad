/**
 * Pacing for CloudTrail LookupEvents, whose documented limit is two requests per second per
 * account per Region (more are answered ThrottlingException).
 *
 * Each Region has `limit` permits. A request takes one to start and gives it back `windowMs`
 * after it settles (answer or failure). So no more than `limit` requests are ever "started
 * and not yet a window past their end", which proves that AWS sees at most `limit` arrivals in
 * any window whatever the network adds: an arrival lies between its request's start and end,
 * and three arrivals inside one window would need three permits at once. Counting from the
 * start instead would let a request delayed on the way be caught up by the one two places
 * behind it. The price is one round trip per `limit` requests, small next to the window.
 *
 * Waiters in a Region are served first come, first served; Regions never wait for each other.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** A monotonic clock in milliseconds (`performance.now()` by default). */
export type MonotonicClock = () => number;
/** Resolves after `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

/** Defaults: LookupEvents' documented limit on the real clock. */
export interface LookupPacerOptions {
  /** Requests per window per Region (CloudTrail: 2). */
  readonly limit?: number;
  /** The window in milliseconds (CloudTrail: 1000). */
  readonly windowMs?: number;
  readonly clock?: MonotonicClock;
  readonly sleep?: Sleep;
}

/** LookupEvents' documented rate: two per second, per account, per Region. */
export const LOOKUP_EVENTS_LIMIT = 2;
/** The window of `LOOKUP_EVENTS_LIMIT`, in ms. */
export const LOOKUP_EVENTS_WINDOW_MS = 1000;

const realClock: MonotonicClock = () => performance.now();
const realSleep: Sleep = (ms) => delay(ms);

/** Runs tasks so that no Region sees more than `limit` of them in any `windowMs`. */
export class LookupPacer {
  readonly limit: number;
  readonly windowMs: number;
  private readonly clock: MonotonicClock;
  private readonly sleep: Sleep;
  private readonly regions = new Map<string, RegionPermits>();

  constructor(options: LookupPacerOptions = {}) {
    this.limit = options.limit ?? LOOKUP_EVENTS_LIMIT;
    this.windowMs = options.windowMs ?? LOOKUP_EVENTS_WINDOW_MS;
    this.clock = options.clock ?? realClock;
    this.sleep = options.sleep ?? realSleep;
    if (!Number.isInteger(this.limit) || this.limit < 1) throw new RangeError(`limit must be a positive integer: ${this.limit}`);
    if (!(this.windowMs >= 0)) throw new RangeError(`windowMs must not be negative: ${this.windowMs}`);
  }

  /** Runs `task` once `region` has a permit; the permit comes back a window after the task settles. */
  async run<T>(region: string, task: () => Promise<T>): Promise<T> {
    const permits = this.permitsOf(region);
    await permits.acquire();
    try {
      return await task();
    } finally {
      permits.release();
    }
  }

  private permitsOf(region: string): RegionPermits {
    let permits = this.regions.get(region);
    if (!permits) {
      permits = new RegionPermits(this.limit, this.windowMs, this.clock, this.sleep);
      this.regions.set(region, permits);
    }
    return permits;
  }
}

/** One Region's permits: in use, or free from a given time on. */
class RegionPermits {
  /** When each permit not in use may be taken again (never-used permits are not listed). */
  private readonly freeAt: number[] = [];
  private inUse = 0;
  /** Acquisitions run one after another, in arrival order. */
  private turn: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: MonotonicClock,
    private readonly sleep: Sleep,
  ) {}

  acquire(): Promise<void> {
    const mine = this.turn.then(() => this.take());
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  release(): void {
    this.inUse -= 1;
    this.freeAt.push(this.clock() + this.windowMs);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async take(): Promise<void> {
    for (;;) {
      // A permit never used yet is free at once.
      if (this.inUse + this.freeAt.length < this.limit) {
        this.inUse += 1;
        return;
      }
      // Every permit is in use: wait for one to be given back.
      if (this.freeAt.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const index = indexOfEarliest(this.freeAt);
      const wait = this.freeAt[index]! - this.clock();
      // Timers may fire a little early: look at the clock again rather than trust the sleep.
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      this.freeAt.splice(index, 1);
      this.inUse += 1;
      return;
    }
  }
}

function indexOfEarliest(times: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < times.length; i++) if (times[i]! < times[best]!) best = i;
  return best;
}

/** Bounds of `backoffDelay`. */
export interface BackoffOptions {
  /** First retry's ceiling in milliseconds; each later one doubles it. */
  readonly baseMs: number;
  /** Largest ceiling in milliseconds. */
  readonly capMs: number;
}

/**
 * How long to wait before retry number `retry` (1 for the first): "equal jitter", between half
 * and all of `min(cap, base · 2^(retry-1))`, so waits grow for sure yet callers spread out.
 */
export function backoffDelay(retry: number, { baseMs, capMs }: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}
