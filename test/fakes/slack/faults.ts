import type { JsonObject } from './types.js';

/** What the fake answers instead of running a method, as queued by a test. */
export type InjectedOutcome =
  | { readonly kind: 'error'; readonly error: string; readonly extra: JsonObject }
  | { readonly kind: 'rateLimit'; readonly retryAfterSeconds: number };

/** Options of `failNext` / `rateLimitNext`. */
export interface FaultOptions {
  /** How many consecutive calls get this answer (default 1). */
  readonly times?: number;
}

/** `failNext` options: fields to add next to `error` (e.g. `needed`, `provided`). */
export interface FailOptions extends FaultOptions {
  readonly extra?: JsonObject;
}

/** Method name that matches every method. */
export const ANY_METHOD = '*';

/**
 * Answers queued by tests for upcoming calls, per method, consumed in order.
 * A queue for `*` applies to any method that has none of its own.
 */
export class FaultPlan {
  private readonly queues = new Map<string, InjectedOutcome[]>();

  /** Queues `{ ok: false, error }` answers. */
  failNext(method: string, error: string, options: FailOptions = {}): void {
    this.enqueue(method, { kind: 'error', error, extra: options.extra ?? {} }, options.times);
  }

  /** Queues HTTP 429 answers carrying `Retry-After: retryAfterSeconds`. */
  rateLimitNext(method: string, retryAfterSeconds: number, options: FaultOptions = {}): void {
    this.enqueue(method, { kind: 'rateLimit', retryAfterSeconds }, options.times);
  }

  /** The next queued outcome for a call to `method`, removing it from its queue. */
  take(method: string): InjectedOutcome | undefined {
    return this.queues.get(method)?.shift() ?? this.queues.get(ANY_METHOD)?.shift();
  }

  /** Drops every queued answer. */
  clear(): void {
    this.queues.clear();
  }

  private enqueue(method: string, outcome: InjectedOutcome, times = 1): void {
    const queue = this.queues.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(outcome);
    this.queues.set(method, queue);
  }
}

/**
 * Which tokens the fake accepts. By default any bot/user token (`xoxb-`, `xoxp-`) for Web API
 * methods and any app-level token (`xapp-`) for `apps.connections.open`; `require…` narrows
 * that to the given values, answering `invalid_auth` for others.
 */
export class TokenPolicy {
  private botTokens: ReadonlySet<string> | undefined;
  private appTokens: ReadonlySet<string> | undefined;

  /** Accepts only these bot/user tokens from now on. */
  requireToken(...tokens: string[]): void {
    this.botTokens = new Set(tokens);
  }

  /** Accepts only these app-level tokens from now on. */
  requireAppToken(...tokens: string[]): void {
    this.appTokens = new Set(tokens);
  }

  /** The error code Slack would answer for this token on this method, if any. */
  check(method: string, token: string | undefined): string | undefined {
    if (token === undefined || token === '') return 'not_authed';
    const isAppToken = token.startsWith('xapp-');
    // apps.connections.open takes only app-level tokens, every other method refuses them.
    if ((method === 'apps.connections.open') !== isAppToken) return 'not_allowed_token_type';
    const allowed = isAppToken ? this.appTokens : this.botTokens;
    if (allowed !== undefined) return allowed.has(token) ? undefined : 'invalid_auth';
    return isAppToken || /^xox[bp]-/.test(token) ? undefined : 'invalid_auth';
  }
}
