/** Optimistic concurrency: read, decide, write conditionally; when another writer won, again. */

/** Tries of one read-decide-write against other writers before the conflict is raised. */
export const MAX_CONFLICT_ATTEMPTS = 10;

/**
 * Runs `attempt` (which reads afresh, decides and writes conditionally) again while it throws
 * an error that `isConflict` accepts, up to MAX_CONFLICT_ATTEMPTS tries; any other error, or
 * the last conflict, is thrown. `attempt` is told which try it is (1 first).
 */
export async function retryOnConflict<T>(isConflict: (err: unknown) => boolean, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!isConflict(err) || n >= MAX_CONFLICT_ATTEMPTS) throw err;
    }
  }
}

/** First wait of `backoff`, and its ceiling. */
export const BACKOFF_BASE_MS = 25;
export const BACKOFF_CAP_MS = 800;

/**
 * Waits before the next try of a conflict that takes time to clear (not another writer who
 * just won): `BACKOFF_BASE_MS` doubled per try `n` (1 first), at most `BACKOFF_CAP_MS`. With
 * `retryOnConflict`'s bound, about 4 s in all.
 */
export function backoff(n: number): Promise<void> {
  const ms = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1));
  return new Promise((resolve) => setTimeout(resolve, ms));
}
