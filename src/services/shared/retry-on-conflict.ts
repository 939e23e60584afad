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
