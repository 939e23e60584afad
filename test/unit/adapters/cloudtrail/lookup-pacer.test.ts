import { describe, expect, it } from 'vitest';
import { backoffDelay, LookupPacer } from '../../../../src/adapters/cloudtrail/lookup-pacer.js';
import { VirtualTime } from '../../../support/virtual-time.js';

interface Run {
  readonly region: string;
  readonly start: number;
  readonly end: number;
}

/** A pacer on virtual time, and a task that records when it ran. */
function setup(options: { early?: number } = {}) {
  const time = new VirtualTime(options);
  const pacer = new LookupPacer({ clock: time.clock, sleep: time.sleep });
  const runs: Run[] = [];
  const task = (region: string, durationMs: number, fail = false) =>
    pacer.run(region, async () => {
      const start = time.now;
      await time.sleep(durationMs);
      runs.push({ region, start, end: time.now });
      if (fail) throw new Error('LookupEvents failed');
      return start;
    });
  return { time, pacer, runs, task };
}

/** Deterministic pseudo-random durations (a fixed LCG), so a failure can be replayed. */
function durations(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % 700;
  };
}

function startsOf(runs: readonly Run[], region: string): number[] {
  return runs.filter((r) => r.region === region).map((r) => r.start).sort((a, b) => a - b);
}

describe('LookupPacer', () => {
  it('never starts more than 2 requests in any one-second window of a Region, however many scans share it', async () => {
    const { time, runs, task } = setup();
    const next = durations(7);
    const scan = async (region: string) => {
      for (let page = 0; page < 6; page++) await task(region, next());
    };
    const scans = ['eu-west-1', 'eu-west-1', 'eu-west-1', 'eu-west-1', 'us-east-1', 'us-east-1'].map(scan);

    await time.run(Promise.all(scans));

    for (const region of ['eu-west-1', 'us-east-1']) {
      const starts = startsOf(runs, region);
      expect(starts).toHaveLength(region === 'eu-west-1' ? 24 : 12);
      for (let i = 2; i < starts.length; i++) expect(starts[i]! - starts[i - 2]!).toBeGreaterThanOrEqual(1000);
    }
  });

  it('keeps fewer than 2 other requests of the Region between their start and a second after their end, at every start', async () => {
    const { time, runs, task } = setup();
    const next = durations(42);

    await time.run(Promise.all(Array.from({ length: 30 }, () => task('eu-west-1', next()))));

    // Whenever AWS receives each request (between its start and end), no window holds three.
    for (const run of runs) {
      const occupying = runs.filter((other) => other !== run && other.start <= run.start && run.start < other.end + 1000);
      expect(occupying.length).toBeLessThan(2);
    }
  });

  it('reaches the documented rate: 10 instant requests start at 0, 0, 1 s, 1 s … 4 s', async () => {
    const { time, runs, task } = setup();

    await time.run(Promise.all(Array.from({ length: 10 }, () => task('eu-west-1', 0))));

    expect(startsOf(runs, 'eu-west-1')).toEqual([0, 0, 1000, 1000, 2000, 2000, 3000, 3000, 4000, 4000]);
  });

  it('paces each Region on its own: a busy Region does not delay another', async () => {
    const { time, runs, task } = setup();
    const busy = Array.from({ length: 20 }, () => task('us-east-1', 100));

    const other = [task('ap-south-1', 100), task('ap-south-1', 100), task('ap-south-1', 100)];
    await time.run(Promise.all([...busy, ...other]));

    expect(startsOf(runs, 'ap-south-1')).toEqual([0, 0, 1100]);
    expect(Math.max(...startsOf(runs, 'us-east-1'))).toBe(9 * 1100);
  });

  it('gives a permit back a window after the answer, so slow answers slow the pace', async () => {
    const { time, runs, task } = setup();

    await time.run(Promise.all(Array.from({ length: 4 }, () => task('eu-west-1', 1500))));

    expect(startsOf(runs, 'eu-west-1')).toEqual([0, 0, 2500, 2500]);
  });

  it('gives the permit back when the request fails, and passes the failure on', async () => {
    const { time, runs, task } = setup();
    const failing = task('eu-west-1', 10, true);
    const outcome = failing.then(
      () => 'resolved',
      (error: Error) => error.message,
    );

    const starts = await time.run(Promise.all([outcome, task('eu-west-1', 10), task('eu-west-1', 10), task('eu-west-1', 10)]));

    expect(starts[0]).toBe('LookupEvents failed');
    expect(startsOf(runs, 'eu-west-1')).toEqual([0, 0, 1010, 1010]);
  });

  it('serves waiters in the order they came', async () => {
    const { time, task } = setup();

    const starts = await time.run(Promise.all(Array.from({ length: 7 }, () => task('eu-west-1', 0))));

    expect(starts).toEqual([0, 0, 1000, 1000, 2000, 2000, 3000]);
  });

  it('looks at the clock again when a sleep wakes up early, and never starts early', async () => {
    const { time, runs, task } = setup({ early: 3 });

    await time.run(Promise.all(Array.from({ length: 6 }, () => task('eu-west-1', 0))));

    const starts = startsOf(runs, 'eu-west-1');
    for (let i = 2; i < starts.length; i++) expect(starts[i]! - starts[i - 2]!).toBeGreaterThanOrEqual(1000);
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => new LookupPacer({ limit: 0 })).toThrow(RangeError);
    expect(() => new LookupPacer({ limit: 1.5 })).toThrow(RangeError);
  });
});

describe('backoffDelay', () => {
  const options = { baseMs: 500, capMs: 4000 };

  it('waits between half and all of a ceiling that doubles each retry', () => {
    expect([1, 2, 3].map((retry) => backoffDelay(retry, options, () => 0))).toEqual([250, 500, 1000]);
    expect([1, 2, 3].map((retry) => backoffDelay(retry, options, () => 1))).toEqual([500, 1000, 2000]);
    expect(backoffDelay(2, options, () => 0.5)).toBe(750);
  });

  it('stops growing at the cap', () => {
    expect(backoffDelay(10, options, () => 1)).toBe(4000);
    expect(backoffDelay(30, options, () => 0)).toBe(2000);
  });
});
