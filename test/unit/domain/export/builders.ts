/** Incidents, actions and timelines for the export tests, built through the real lifecycle. */
import { type Action, type ActionOutcome, approve, finish, OutcomeResult, propose } from '../../../../src/domain/action/lifecycle.js';
import { type ActionKind } from '../../../../src/domain/action/kinds.js';
import { emptyAssessment } from '../../../../src/domain/assessment/assessment.js';
import { type Incident, type TimelineEvent, TimelineEventType } from '../../../../src/domain/incident/incident.js';

export const KEY = 'AKIAIOSFODNN7EXAMPLE';
export const T0 = Date.parse('2026-11-29T03:00:00Z');
/** ISO time `minutes` after T0. */
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

export function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'KI-7F3A9C', keyId: KEY, status: 'open', channelId: 'C0INCIDENT', openedBy: 'U0OPENER', openedAt: at(0),
    assessment: {
      ...emptyAssessment(),
      account: { accountId: '111122223333', sameAccount: true },
      owner: { userName: 'deploy-bot', keyStatus: 'Active', otherKeys: [], lastUsed: { at: at(-60), service: 's3', region: 'eu-west-1' } },
      permissions: { level: 'write', summary: 'write to s3 on prod-data', quarantinePolicies: [], sources: [] },
      recommendation: { action: 'disable-now', headline: 'Disable the key now', reason: 'It can write to prod data.', steps: [] },
      complete: true,
    },
    version: 1,
    ...over,
  };
}

let seq = 0;

/** An action proposed at `proposedMin`, approved by `approvers`, finished at `finishedMin` with `outcome`. */
export function action(kind: ActionKind, opts: {
  proposedMin?: number; finishedMin?: number; approvers?: string[]; outcome?: Partial<ActionOutcome>; keyId?: string;
} = {}): Action {
  const p = opts.proposedMin ?? 1;
  let a = propose({ incidentId: 'KI-7F3A9C', id: `A${++seq}`, kind, target: { userName: 'deploy-bot', keyId: opts.keyId ?? KEY }, proposedBy: 'U0OPENER' }, new Date(at(p))).action;
  const approvers = opts.approvers ?? ['U0APPROVER', 'U0SECOND'].slice(0, a.approvalsRequired);
  for (const u of approvers) a = approve(a, u, new Date(at(p))).action;
  if (opts.finishedMin === undefined) return a;
  const outcome: ActionOutcome = { result: OutcomeResult.Done, message: 'done', requestIds: ['req-1'], ...opts.outcome };
  return finish(a, outcome, new Date(at(opts.finishedMin))).action;
}

/** A timeline event; ids are ULID-shaped and increase with `n`. */
export function event(n: number, over: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    incidentId: 'KI-7F3A9C', id: `01JD${String(n).padStart(22, '0')}`, at: at(n), type: TimelineEventType.ActionProposed,
    actor: 'U0OPENER', summary: `event ${n}`, details: {}, ...over,
  };
}

export async function* stream<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const x of items) yield x;
}

export async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

/**
 * A lazy timeline of `count` fresh events that records how many were pulled, so a test can
 * compare pulls with chunks received: a renderer that buffers events pulls ahead.
 */
export function meteredTimeline(count: number): { events: AsyncGenerator<TimelineEvent>; pulled: () => number; finished: () => boolean } {
  let pulled = 0;
  let finished = false;
  async function* gen(): AsyncGenerator<TimelineEvent> {
    try {
      for (let i = 0; i < count; i++) {
        pulled += 1;
        yield event(i % 1000, { id: `01JD${String(i).padStart(22, '0')}`, summary: `event ${i}` });
      }
    } finally {
      finished = true;
    }
  }
  return { events: gen(), pulled: () => pulled, finished: () => finished };
}
