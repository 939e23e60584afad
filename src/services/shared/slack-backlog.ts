/** Slack updates that follow their records without holding up the work that made them. */
import type { Logger } from 'pino';
import { bestEffort } from './best-effort.js';

/**
 * The Slack updates of one piece of work, started after their records and not waited for by
 * the work that goes on. Thread posts go out one after another, each once the one before has
 * been answered: Slack stamps a message when it receives it, so posts sent together could
 * land in any order. Root message updates form a line of their own, for the same reason. A
 * failure is logged and swallowed.
 */
export class SlackBacklog {
  private thread: Promise<void> = Promise.resolve();
  private root: Promise<void> = Promise.resolve();
  private readonly last: Promise<void>[] = [];

  constructor(
    private readonly log: Logger,
    private readonly incidentId: string,
  ) {}

  /** Posts in the thread after every post asked for before it. */
  post(what: string, post: () => Promise<unknown>): void {
    this.thread = this.thread.then(() => this.quietly(what, post));
  }

  /** Updates the root message after every root update asked for before it. */
  updateRoot(update: () => Promise<unknown>): void {
    this.root = this.root.then(() => this.quietly('root', update));
  }

  /** Starts an update once every post and root update asked for so far is out. */
  afterAll(what: string, update: () => Promise<unknown>): void {
    this.last.push(this.posted().then(() => this.quietly(what, update)));
  }

  /** Resolves once the posts and root updates asked for so far are out (or failed and were logged). */
  async posted(): Promise<void> {
    await Promise.all([this.thread, this.root]);
  }

  /** Resolves once everything asked for so far is out. */
  async settled(): Promise<void> {
    await Promise.all([this.posted(), ...this.last]);
  }

  private quietly(what: string, update: () => Promise<unknown>): Promise<void> {
    return bestEffort(this.log, what, this.incidentId, update);
  }
}
