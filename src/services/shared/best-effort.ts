/** Slack is shown what is already recorded: its failures are logged, never fatal. */
import type { Logger } from 'pino';

/**
 * Runs a Slack update after the record is safe; a failure is logged with what was being
 * shown and the incident, and swallowed.
 */
export async function bestEffort(log: Logger, what: string, incidentId: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    log.warn({ incidentId, what, err: (err as Error).message }, 'slack update failed');
  }
}
