/**
 * The bots' log sinks of this process, each with its lines so far: `failure-logs.ts` prints
 * their warnings and errors when a test fails. Free of vitest, so the benchmarks can use the
 * same harness.
 */
export const liveLogs = new Set<{ readonly lines: readonly string[] }>();
