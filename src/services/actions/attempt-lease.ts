/**
 * The hold an execution attempt has on its action: renewed in the background while the
 * attempt runs, and proven (the fence) immediately before each IAM change.
 *
 * The remaining window: between a fence that succeeded and IAM applying the change there is
 * one round trip (the IAM request itself). IAM changes go out with one SDK attempt and a
 * request timeout shorter than the lease, and a retry fences again first, so a request that
 * left before another attempt could take over is the only one that can land after the fence.
 * A takeover happens only once the lease ran out, and it asks IAM what is in place first.
 */
import { AwsError } from '../../domain/errors.js';
import { type Action, type Attempt } from '../../domain/action/lifecycle.js';
import { FencedOutError } from '../../domain/action/attempt.js';
import type { IamWriter } from '../../ports/iam-writer.js';
import type { ServiceDeps } from '../deps.js';

/** Tries of an idempotent IAM change that failed for a passing reason (throttling, 5xx, network). */
const CHANGE_TRIES = 4;

/** What an attempt records on itself as it goes (a new key id, the moment IAM returns it). */
export type AttemptProgress = Pick<Attempt, 'newKeyId' | 'newKeyAt'>;

export class AttemptLease {
  private queue: Promise<unknown> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Set once the fence refused: the attempt may no longer act. */
  lost: FencedOutError | undefined;

  constructor(private readonly deps: ServiceDeps, readonly action: Action) {}

  /**
   * Proves the attempt still holds the action and extends its lease (recording `progress`);
   * fences run one at a time. Throws `FencedOutError` once refused, every time after.
   */
  fence(progress?: AttemptProgress): Promise<void> {
    const run = this.queue.then(async () => {
      // A stopping process lets its lease run out rather than start another change.
      if (this.deps.execution.stopping?.stopped) this.lost ??= new FencedOutError('lease-lost', this.action.incidentId, this.action.id);
      if (this.lost) throw this.lost;
      const now = this.deps.clock.now();
      try {
        await this.deps.actions.fence(this.action, now, new Date(now.getTime() + this.deps.execution.leaseMs), progress);
      } catch (err) {
        if (err instanceof FencedOutError) this.lost = err;
        throw err;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Renews the lease every third of it until `stop()`. */
  start(): void {
    const every = Math.max(1, Math.floor(this.deps.execution.leaseMs / 3));
    this.timer = setInterval(() => {
      this.fence().catch((err: unknown) => {
        if (err instanceof FencedOutError) this.stop();
        else this.deps.log.warn({ incidentId: this.action.incidentId, actionId: this.action.id, err: (err as Error).message }, 'lease renewal failed');
      });
    }, every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Whether a change that failed may go out again. An idempotent one may after any passing
 * failure (throttling, 5xx, network). `createAccessKey` is not idempotent: only a throttled
 * one, which IAM refuses before making anything; after any other failure its caller reads IAM.
 */
function mayTryAgain(name: string | symbol, err: unknown, tries: number): boolean {
  if (!(err instanceof AwsError) || !err.retryable || tries >= CHANGE_TRIES) return false;
  return name !== 'createAccessKey' || err.code === 'Throttling';
}

/** `writer` with the fence before every change; a change that may go out again is fenced again first. */
export function fencedWriter(writer: IamWriter, lease: AttemptLease, retryBaseMs: number): IamWriter {
  return new Proxy(writer, {
    get(target, name, receiver) {
      const method = Reflect.get(target, name, receiver) as unknown;
      if (typeof method !== 'function') return method;
      return async (...args: unknown[]) => {
        for (let n = 1; ; n++) {
          await lease.fence();
          try {
            return await (method as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } catch (err) {
            if (!mayTryAgain(name, err, n)) throw err;
            await sleep(retryBaseMs * 2 ** (n - 1));
          }
        }
      };
    },
  });
}
