import { describe, expect, it } from 'vitest';
import { MAX_CONFLICT_ATTEMPTS, retryOnConflict } from '../../../src/services/shared/retry-on-conflict.js';

class Conflict extends Error {}

/**
 * One item written the way DynamoDB's transactions write it: a write takes a few milliseconds,
 * and two writes in flight on the item at the same time are both cancelled
 * (`TransactionConflict`), which the repositories raise as a stale-version error.
 */
class ContendedItem {
  private inFlight = new Set<{ conflicted: boolean }>();
  writes = 0;

  async write(): Promise<void> {
    const mine = { conflicted: false };
    for (const other of this.inFlight) {
      other.conflicted = true;
      mine.conflicted = true;
    }
    this.inFlight.add(mine);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight.delete(mine);
    if (mine.conflicted) throw new Conflict();
    this.writes++;
  }
}

describe('retryOnConflict', () => {
  it('gets two writers that collide on every try out of step, so both land', async () => {
    const item = new ContendedItem();
    let tries = 0;
    const writer = () => retryOnConflict((err) => err instanceof Conflict, async () => {
      tries++;
      await item.write();
    });
    await Promise.all([writer(), writer()]);
    expect(item.writes).toBe(2);
    expect(tries).toBeGreaterThanOrEqual(3);
  });

  it('retries only what it is told is a conflict, and raises the last one after its bound', async () => {
    let tries = 0;
    await expect(retryOnConflict((err) => err instanceof Conflict, async () => {
      tries++;
      throw new Conflict();
    })).rejects.toBeInstanceOf(Conflict);
    expect(tries).toBe(MAX_CONFLICT_ATTEMPTS);
    tries = 0;
    await expect(retryOnConflict((err) => err instanceof Conflict, async () => {
      tries++;
      throw new Error('not a conflict');
    })).rejects.toThrow('not a conflict');
    expect(tries).toBe(1);
  });
});
