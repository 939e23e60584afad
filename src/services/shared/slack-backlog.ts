/** Slack updates that follow their records without holding up the work that made them. */
import type { Logger } from 'pino';
import { bestEffort } from './best-effort.js';

/**
 * The Slack updates of one piece of work. `show` starts an update at once and does not wait
 * for it: updates start in the order they are asked for (each after its record is written),
 * so posts reach the thread in that order while reads and records go on. A failure is logged
 * and swallowed. `settled` waits for every update started.
 */
export class SlackBacklog {
  private readonly started: Promise<void>[] = [];

  constructor(
    private readonly log: Logger,
    private readonly incidentId: string,
  ) {}

  /** Starts `update` now, after every update asked for before it has started. */
  show(what: string, update: () => Promise<unknown>): void {
    this.started.push(bestEffort(this.log, what, this.incidentId, update));
  }

  /** Resolves once every update started so far has finished (or failed and been logged). */
  async settled(): Promise<void> {
    await Promise.all(this.started);
  }
}
