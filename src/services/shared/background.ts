/**
 * Work that follows a record without holding up whoever made it: Slack updates, and records
 * still being retried. Each piece is logged on failure and never thrown; `idle()` lets a
 * caller (a test, a stopping process) wait for what was started so far.
 */
import type { Logger } from 'pino';

export class Background {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  /** Starts `work` now; a failure is logged with `what` and the incident, and swallowed. */
  run(what: string, incidentId: string, work: () => Promise<unknown>): void {
    const done: Promise<void> = Promise.resolve()
      .then(work)
      .then(() => undefined, (err: unknown) => {
        this.log.warn({ incidentId, what, err: (err as Error).message }, 'background work failed');
      })
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Resolves once everything started so far, and anything it started in turn, has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
