/** Optimistic concurrency: read, decide, write conditionally; when another writer won, again. */

/** Tries of one read-decide-write against other writers before the conflict is raised. */
export const MAX_CONFLICT_ATTEMPTS = 10;

/** Longest pause before a try after a conflict: the first is at most JITTER_BASE_MS, doubling. */
const JITTER_BASE_MS = 10;
const JITTER_CAP_MS = 320;

/**
 * A random pause in [0, base × 2^(n-1)] before try n + 1. Two writers whose transactions meet
 * on an item are both cancelled (DynamoDB's `TransactionConflict`, raised like a stale
 * version); tried again at once, they would meet again, try after try, until both give up.
 * A random pause puts them out of step; at most about 1.6 s over all the tries.
 */
function jitter(n: number): Promise<void> {
  const ms = Math.random() * Math.min(JITTER_CAP_MS, JITTER_BASE_MS * 2 ** (n - 1));
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `attempt` (which reads afresh, decides and writes conditionally) again while it throws
 * an error that `isConflict` accepts, up to MAX_CONFLICT_ATTEMPTS tries, after a short random
 * pause; any other error, or the last conflict, is thrown. `attempt` is told which try it is (1 first).
 */
export async function retryOnConflict<T>(isConflict: (err: unknown) => boolean, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!isConflict(err) || n >= MAX_CONFLICT_ATTEMPTS) throw err;
      await jitter(n);
    }
  }
}

/** First wait of `backoff`, and its ceiling. */
const BACKOFF_BASE_MS = 25;
const BACKOFF_CAP_MS = 800;

/**
 * Waits before the next try of a conflict that takes time to clear (not another writer who
 * just won): `BACKOFF_BASE_MS` doubled per try `n` (1 first), at most `BACKOFF_CAP_MS`. With
 * `retryOnConflict`'s bound, about 4 s in all.
 */
export function backoff(n: number): Promise<void> {
  const ms = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1));
  return new Promise((resolve) => setTimeout(resolve, ms));
}
