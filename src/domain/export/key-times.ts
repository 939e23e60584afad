/**
 * The incident's key moments and the durations between them. They come from two places: the
 * actions (known before the timeline is read, so the document can lead with them) and the
 * timeline itself (tracked while it streams, keeping only a few timestamps and a count).
 */
import { type Action, ActionStatus, OutcomeResult } from '../action/lifecycle.js';
import { ActionKind } from '../action/kinds.js';
import { type Incident, type TimelineEvent, TimelineEventType } from '../incident/incident.js';
import { IncidentStatusEvent } from './types.js';

export interface KeyTimes {
  /** ISO-8601 times; absent when it has not happened (or is not known). */
  readonly openedAt: string;
  readonly firstActionAt?: string;
  readonly containedAt?: string;
  /** What contained it: an action's title-ish kind, or `status`. */
  readonly containedBy?: string;
  readonly resolvedAt?: string;
}

/** Kinds that stop the exposed key from working. */
const CONTAINING: ReadonlySet<string> = new Set([ActionKind.DisableKey, ActionKind.DeleteKey]);

/** A dry run ("would have") succeeded as an action but changed nothing in AWS. */
const changedAws = (result: unknown) => result !== OutcomeResult.WouldHave;

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

/**
 * Key times as far as the incident and its actions tell: first success, first containment of
 * the incident's key (or the incident's `containedAt`, the earlier wins), `resolvedAt`.
 */
export function keyTimesFromActions(incident: Incident, actions: readonly Action[]): KeyTimes {
  let firstActionAt: string | undefined;
  let containedAt: string | undefined;
  let containedBy: string | undefined;
  for (const a of actions) {
    if (a.status !== ActionStatus.Succeeded || a.finishedAt === undefined) continue;
    firstActionAt = earlier(firstActionAt, a.finishedAt);
    const contains = CONTAINING.has(a.kind) && a.target.keyId === incident.keyId && changedAws(a.outcome?.result);
    if (contains && (containedAt === undefined || Date.parse(a.finishedAt) < Date.parse(containedAt))) {
      containedAt = a.finishedAt;
      containedBy = a.kind;
    }
  }
  // The incident's own status times, when set, are known before the timeline is read too.
  if (incident.containedAt !== undefined && earlier(containedAt, incident.containedAt) === incident.containedAt) {
    containedAt = incident.containedAt;
    containedBy = 'status';
  }
  return { openedAt: incident.openedAt, firstActionAt, containedAt, containedBy, resolvedAt: incident.resolvedAt };
}

/** Watches the streamed timeline and remembers only the first of each key moment. */
export class KeyTimesTracker {
  private firstActionAt?: string;
  private containedAt?: string;
  private containedBy?: string;
  private resolvedAt?: string;
  private seen = 0;

  constructor(private readonly incident: Incident) {}

  observe(e: TimelineEvent): void {
    this.seen += 1;
    const type: string = e.type;
    if (type === TimelineEventType.ActionSucceeded) {
      this.firstActionAt ??= e.at;
      const d = e.details;
      const target = d['target'] as { keyId?: unknown } | undefined;
      const contains = CONTAINING.has(String(d['kind'])) && target?.keyId === this.incident.keyId && changedAws(d['result']);
      if (contains) this.contain(e.at, String(d['kind']));
    } else if (type === IncidentStatusEvent.Contained) {
      this.contain(e.at, 'status');
    } else if (type === IncidentStatusEvent.Resolved) {
      this.resolvedAt ??= e.at;
    }
  }

  /** Events seen so far. */
  get count(): number {
    return this.seen;
  }

  private contain(at: string, by: string): void {
    if (this.containedAt !== undefined) return;
    this.containedAt = at;
    this.containedBy = by;
  }

  /** The timeline's key times, each combined with the actions' (the earlier wins). */
  result(fromActions: KeyTimes): KeyTimes {
    const containedAt = earlier(fromActions.containedAt, this.containedAt);
    return {
      openedAt: fromActions.openedAt,
      firstActionAt: earlier(fromActions.firstActionAt, this.firstActionAt),
      containedAt,
      containedBy: containedAt === this.containedAt ? this.containedBy : fromActions.containedBy,
      resolvedAt: earlier(fromActions.resolvedAt, this.resolvedAt),
    };
  }
}

export function sameKeyTimes(a: KeyTimes, b: KeyTimes): boolean {
  return a.firstActionAt === b.firstActionAt && a.containedAt === b.containedAt && a.resolvedAt === b.resolvedAt;
}

/** `from` → `to` as `1 d 2 h`, `2 h 5 min`, `4 min 10 s`, `45 s`; undefined when unknown or negative. */
export function duration(from: string | undefined, to: string | undefined): string | undefined {
  if (from === undefined || to === undefined) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isNaN(ms) || ms < 0 ? undefined : formatDuration(ms);
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const [d, h, m, sec] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60];
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return sec > 0 ? `${m} min ${sec} s` : `${m} min`;
  return `${sec} s`;
}
