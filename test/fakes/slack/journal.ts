import type { FakeSlackRecord } from './types.js';

/** Options of `waitFor`. */
export interface WaitOptions {
  /** How long to wait before rejecting (default: the fake's `waitTimeoutMs`). */
  readonly timeoutMs?: number;
  /** Only consider records whose `seq` is greater than this (see `fake.mark()`). */
  readonly after?: number;
  /** Words for the timeout error, e.g. "a chat.postMessage in C0INCIDENT". */
  readonly description?: string;
}

interface Waiter {
  readonly matches: (record: FakeSlackRecord) => boolean;
  readonly resolve: (record: FakeSlackRecord) => void;
  readonly reject: (error: Error) => void;
}

/** Distributive Omit, so each record kind keeps its own fields. */
type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;

/**
 * Everything the fake received, in order, with event-driven waits: a waiter is checked
 * against past records first, then against each new one as it is appended.
 */
export class Journal {
  private readonly entries: FakeSlackRecord[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly defaultTimeoutMs: number) {}

  /** All records so far, oldest first. */
  get records(): readonly FakeSlackRecord[] {
    return this.entries;
  }

  /** The `seq` of the latest record (0 when empty). */
  get lastSeq(): number {
    return this.entries.length;
  }

  /** Stores a record, numbering it, and wakes the waiters it satisfies. */
  append(record: WithoutSeq<FakeSlackRecord>): FakeSlackRecord {
    const stored: FakeSlackRecord = { ...record, seq: this.entries.length + 1 };
    this.entries.push(stored);
    for (const waiter of [...this.waiters]) {
      if (waiter.matches(stored)) waiter.resolve(stored);
    }
    return stored;
  }

  /** Resolves with the first record (past or future) matching `predicate`. */
  waitFor<R extends FakeSlackRecord>(
    predicate: (record: FakeSlackRecord) => record is R,
    options?: WaitOptions,
  ): Promise<R>;
  waitFor(predicate: (record: FakeSlackRecord) => boolean, options?: WaitOptions): Promise<FakeSlackRecord>;
  waitFor(predicate: (record: FakeSlackRecord) => boolean, options: WaitOptions = {}): Promise<FakeSlackRecord> {
    const after = options.after ?? 0;
    const matches = (record: FakeSlackRecord): boolean => record.seq > after && predicate(record);
    const past = this.entries.find(matches);
    if (past !== undefined) return Promise.resolve(past);
    return this.waitForNext(matches, options);
  }

  /** Rejects every pending waiter (used when the fake closes). */
  rejectAll(reason: string): void {
    for (const waiter of [...this.waiters]) waiter.reject(new Error(`fake Slack: ${reason}`));
  }

  private waitForNext(matches: (record: FakeSlackRecord) => boolean, options: WaitOptions): Promise<FakeSlackRecord> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        matches,
        resolve: (record) => {
          settle();
          resolve(record);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      const timer = setTimeout(() => waiter.reject(new Error(this.timeoutMessage(options.description, timeoutMs))), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private timeoutMessage(description: string | undefined, timeoutMs: number): string {
    const what = description ?? 'a record matching the predicate';
    const seen = this.entries.slice(-15).map(describeRecord);
    const list = seen.length === 0 ? '  (nothing)' : seen.map((line) => `  ${line}`).join('\n');
    return `fake Slack: no ${what} arrived within ${timeoutMs} ms. Last records (${this.entries.length} in all):\n${list}`;
  }
}

/** One line per record, for timeout errors and debugging. */
export function describeRecord(record: FakeSlackRecord): string {
  switch (record.kind) {
    case 'api': {
      const outcome = record.result.ok === true ? 'ok' : `error=${String(record.result.error)}`;
      const channel = typeof record.params.channel === 'string' ? ` channel=${record.params.channel}` : '';
      const text = typeof record.params.text === 'string' ? ` text=${JSON.stringify(record.params.text.slice(0, 60))}` : '';
      return `#${record.seq} api ${record.method}${channel}${text} → ${record.httpStatus} ${outcome}`;
    }
    case 'response':
      return `#${record.seq} response_url ${record.id} ${record.responseType} text=${JSON.stringify(String(record.body.text ?? '').slice(0, 60))}`;
    case 'ack':
      return `#${record.seq} socket ack ${record.envelopeId} payload=${JSON.stringify(record.payload ?? null).slice(0, 80)}`;
  }
}
