/**
 * A virtual clock and sleep for deterministic timing tests: time only moves when every promise
 * chain has settled and the earliest sleeper is woken. No real waiting, no luck.
 */

interface Sleeper {
  readonly due: number;
  readonly seq: number;
  readonly wake: () => void;
}

export interface VirtualTimeOptions {
  /** Wake sleepers this many ms before they are due, as real timers sometimes do. */
  readonly early?: number;
}

export class VirtualTime {
  now = 0;
  private sleepers: Sleeper[] = [];
  private seq = 0;

  constructor(private readonly options: VirtualTimeOptions = {}) {}

  /** The current virtual time in ms. */
  readonly clock = (): number => this.now;

  /** Resolves when virtual time reaches now + ms (minus `early`, yet always at least 1 ms on, or on time). */
  readonly sleep = (ms: number): Promise<void> => {
    const wait = Math.max(0, ms);
    const due = this.now + Math.max(wait - (this.options.early ?? 0), Math.min(wait, 1));
    return new Promise((wake) => this.sleepers.push({ due, seq: this.seq++, wake }));
  };

  /** Advances time sleeper by sleeper until `work` settles; fails if it waits on nothing. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => (settled = true));
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return watched;
      const next = this.sleepers.sort((a, b) => a.due - b.due || a.seq - b.seq).shift();
      if (!next) throw new Error('virtual time: work is pending but nothing sleeps (deadlock)');
      this.now = Math.max(this.now, next.due);
      next.wake();
    }
  }
}
