/** An in-memory `ThreadCapture` that records what the listener handed over, with waits. */
import type { ReplyDeleted, ReplyEdited, ReplyPosted, ShortcutOutcome, ShortcutUsed, ThreadCapture } from '../../src/ports/thread-capture.js';

/** The incident every shortcut lands in, as this capture answers. */
export const RECORDED_INCIDENT_ID = 'KI-0C0FFE';

/** What each capture method receives, by kind. */
export interface CapturedByKind {
  posted: ReplyPosted;
  edited: ReplyEdited;
  deleted: ReplyDeleted;
  shortcut: ShortcutUsed;
}

export type CaptureKind = keyof CapturedByKind;

/** One call of the capture, in arrival order. */
export interface Captured {
  readonly kind: CaptureKind;
  readonly e: CapturedByKind[CaptureKind];
}

interface Waiter {
  readonly kind: CaptureKind;
  readonly match: (e: never) => boolean;
  readonly resolve: (e: unknown) => void;
}

export class RecordingThreadCapture implements ThreadCapture {
  readonly captured: Captured[] = [];
  private readonly waiters = new Set<Waiter>();

  async replyPosted(e: ReplyPosted): Promise<void> {
    this.record('posted', e);
  }

  async replyEdited(e: ReplyEdited): Promise<void> {
    this.record('edited', e);
  }

  async replyDeleted(e: ReplyDeleted): Promise<void> {
    this.record('deleted', e);
  }

  /** Answers as the service would when the message is in an incident: added to RECORDED_INCIDENT_ID. */
  async shortcut(e: ShortcutUsed): Promise<ShortcutOutcome> {
    this.record('shortcut', e);
    return { kind: 'added', incidentId: RECORDED_INCIDENT_ID };
  }

  /** Records of one kind, oldest first. */
  of<K extends CaptureKind>(kind: K): CapturedByKind[K][] {
    return this.captured.filter((c) => c.kind === kind).map((c) => c.e as CapturedByKind[K]);
  }

  /** Resolves with the first record (past or future) of `kind` matching `match`. */
  waitFor<K extends CaptureKind>(kind: K, match: (e: CapturedByKind[K]) => boolean = () => true, timeoutMs = 5000): Promise<CapturedByKind[K]> {
    const seen = this.of(kind).find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        kind,
        match: match as (e: never) => boolean,
        resolve: (e) => { clearTimeout(timer); this.waiters.delete(waiter); resolve(e as CapturedByKind[K]); },
      };
      const timer = setTimeout(() => { this.waiters.delete(waiter); reject(new Error(`no ${kind} capture within ${timeoutMs} ms`)); }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private record<K extends CaptureKind>(kind: K, e: CapturedByKind[K]): void {
    this.captured.push({ kind, e });
    for (const w of [...this.waiters]) if (w.kind === kind && w.match(e as never)) w.resolve(e);
  }
}
