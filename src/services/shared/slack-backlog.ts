/** Slack updates that follow their records without holding up the work that made them. */
import type { Logger } from 'pino';
import { bestEffort } from './best-effort.js';

/**
 * The Slack updates of one piece of work, started after their records and not waited for by
 * the work that goes on. Thread posts go out one after another, each once the one before has
 * been answered: Slack stamps a message when it receives it, so posts sent together could
 * land in any order. Other updates (the root message, which orders its own refreshes) start
 * at once. A failure is logged and swallowed.
 */
export class SlackBacklog {
  private posts: Promise<void> = Promise.resolve();
  private readonly updates: Promise<void>[] = [];

  constructor(
    private readonly log: Logger,
    private readonly incidentId: string,
  ) {}

  /** Posts in the thread after every post asked for before it. */
  post(what: string, post: () => Promise<unknown>): void {
    this.posts = this.posts.then(() => bestEffort(this.log, what, this.incidentId, post));
  }

  /** Starts an update that has no place in the thread's order. */
  update(what: string, update: () => Promise<unknown>): void {
    this.updates.push(bestEffort(this.log, what, this.incidentId, update));
  }

  /** Resolves once every post and update asked for so far has finished (or failed and been logged). */
  async settled(): Promise<void> {
    await Promise.all([this.posts, ...this.updates]);
  }
}
