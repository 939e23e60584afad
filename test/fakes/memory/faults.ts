/**
 * Per-method failure injection and call holds for the in-memory fakes. Every fake method
 * starts with `await faults.enter(method, args)`: the call is recorded, waits while a hold is
 * set on it, then throws the error planned for it, if any.
 */

/** A promise with its resolve exposed. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A call held at the door of a method until `release()`. */
export interface Hold {
  /** Resolves once the held call has arrived (and is waiting). */
  readonly reached: Promise<void>;
  release(): void;
}

export interface RecordedCall<M extends string> {
  readonly method: M;
  readonly args: readonly unknown[];
}

export class Faults<M extends string> {
  readonly calls: RecordedCall<M>[] = [];
  private readonly failures = new Map<M, Error[]>();
  private readonly holds = new Map<M, Array<{ arrived: Deferred<void>; gate: Deferred<void> }>>();

  /** The next `times` calls of `method` throw `error` (after any failures planned before). */
  fail(method: M, error: Error, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(error);
    this.failures.set(method, queue);
  }

  /** The next call of `method` waits until the returned hold is released. */
  hold(method: M): Hold {
    const entry = { arrived: deferred(), gate: deferred() };
    const queue = this.holds.get(method) ?? [];
    queue.push(entry);
    this.holds.set(method, queue);
    return { reached: entry.arrived.promise, release: () => entry.gate.resolve() };
  }

  /** How many times `method` was called. */
  count(method: M): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  /** The arguments of each call of `method`, in order. */
  argsOf(method: M): ReadonlyArray<readonly unknown[]> {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  async enter(method: M, args: readonly unknown[] = []): Promise<void> {
    this.calls.push({ method, args });
    const held = this.holds.get(method)?.shift();
    if (held) {
      held.arrived.resolve();
      await held.gate.promise;
    }
    const error = this.failures.get(method)?.shift();
    if (error) throw error;
  }
}
