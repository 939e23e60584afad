/** Slack updates that follow their records without holding up the work that made them. */
import type { Logger } from 'pino';
import { bestEffort } from './best-effort.js';

/**
 * The Slack updates of one piece of work, started after their records and not waited for by
 * the work that goes on. Thread posts go out one after another, each once the one before has
 * been answered: Slack stamps a message when it receives it, so posts sent together could
 * land in any order. Root updates start at once: they are `refreshRoot`s, which order
 * themselves and read the latest record. A failure is logged and swallowed.
 */
export class SlackBacklog {
  private thread: Promise<void> = Promise.resolve();
  private readonly others: Promise<void>[] = [];

  constructor(
    private readonly log: Logger,
    private readonly incidentId: string,
  ) {}

  /** Posts in the thread after every post asked for before it. */
  post(what: string, post: () => Promise<unknown>): void {
    this.thread = this.thread.then(() => this.quietly(what, post));
  }

  /** Starts an update of the root message; it never holds up a thread post. */
  updateRoot(update: () => Promise<unknown>): void {
    this.others.push(this.quietly('root', update));
  }

  /** Starts an update of the root message once the thread posts asked for so far are out. */
  updateRootAfterThread(update: () => Promise<unknown>): void {
    this.others.push(this.thread.then(() => this.quietly('root', update)));
  }

  /** Resolves once the thread posts asked for so far are out (or failed and were logged). */
  async threadPosted(): Promise<void> {
    await this.thread;
  }

  /** Resolves once everything asked for so far is out. */
  async settled(): Promise<void> {
    await Promise.all([this.thread, ...this.others]);
  }

  private quietly(what: string, update: () => Promise<unknown>): Promise<void> {
    return bestEffort(this.log, what, this.incidentId, update);
  }
}
