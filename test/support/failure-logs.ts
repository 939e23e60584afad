/**
 * When a test fails, prints the warnings and errors that the bots it ran wrote meanwhile: a
 * failure seen once in CI (often under load) can then be read without running it again.
 * Bots' log sinks register in `liveLogs` (`live-logs.ts`); lines are pino's JSON, `level` 40 and up.
 */
import { beforeEach, onTestFailed } from 'vitest';
import { liveLogs } from './live-logs.js';

const WARN = 40;

function levelOf(line: string): number {
  try {
    return Number((JSON.parse(line) as { level?: unknown }).level ?? 0);
  } catch {
    return 0;
  }
}

beforeEach(() => {
  const from = new Map([...liveLogs].map((sink) => [sink, sink.lines.length]));
  onTestFailed(() => {
    const lines = [...liveLogs].flatMap((sink) => sink.lines.slice(from.get(sink) ?? 0)).filter((line) => levelOf(line) >= WARN);
    if (lines.length > 0) console.error(`bot warnings and errors during the failed test:\n${lines.join('\n')}`);
  });
});
