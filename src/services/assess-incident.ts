/**
 * The assess stage (AWS step 1): the findings of the key's reads (`read-key.ts`) recorded in
 * the timeline stage by stage, and shown in Slack after each record. AWS failures become
 * problem lines; the incident stays open and usable.
 */
import { type Assessment, type AssessmentProblem, canActIn, emptyAssessment } from '../domain/assessment/assessment.js';
import { completed, withProblem } from '../domain/assessment/rules.js';
import { problemFrom } from '../domain/assessment/problems.js';
import { BOT_ACTOR, type Incident, IncidentStatus, type TimelineEvent, TimelineEventType } from '../domain/incident/incident.js';
import { refreshRoot } from './shared/show-in-slack.js';
import type { ServiceDeps } from './deps.js';
import type { StageResult } from './key-findings.js';
import type { KeyReads } from './read-key.js';
import type { AssessmentThread } from './assessment-thread.js';
import { newEvent } from './shared/timeline-events.js';
import { updateIncident } from './update-incident.js';

/** An assessment running longer than this was left by a crash and may be restarted. */
const ASSESSMENT_STALE_MS = 15 * 60 * 1000;

export type RestartOutcome =
  | { readonly kind: 'restarted'; readonly incident: Incident }
  | { readonly kind: 'running'; readonly incident: Incident }
  | { readonly kind: 'resolved'; readonly incident: Incident };

/**
 * Clears the assessment so that the response runs it again (after a member-account role
 * was deployed, or a permission granted). Refused while one runs (unless a crash left it) and
 * for a resolved incident. Actions and the timeline are kept.
 */
export async function restartAssessment(deps: ServiceDeps, incidentId: string, userId: string): Promise<RestartOutcome> {
  let kind: RestartOutcome['kind'] = 'restarted';
  const now = deps.clock.now();
  const stored = await updateIncident(deps.repo, incidentId, (current) => {
    const startedAt = Date.parse(current.assessment.startedAt ?? current.openedAt);
    kind = current.status === IncidentStatus.Resolved ? 'resolved'
      : !current.assessment.complete && now.getTime() - startedAt < ASSESSMENT_STALE_MS ? 'running'
      : 'restarted';
    if (kind !== 'restarted') return undefined;
    return {
      incident: { ...current, assessment: { ...emptyAssessment(), startedAt: now.toISOString() } },
      events: [newEvent(deps, incidentId, TimelineEventType.AssessmentRestarted, userId, 'Assessment started again')],
    };
  });
  if (kind === 'restarted') await refreshRoot(deps, stored);
  return { kind, incident: stored };
}

/**
 * Records each stage's result of the key's reads, in stage order, then closes the assessment
 * with its recommendation. Results that are in by the time one is recorded are recorded with
 * it, in one write. Each record is written before Slack shows it; `thread` lays the posts out
 * and they are not waited for, so reads and records never wait for Slack.
 */
export async function assessIncident(deps: ServiceDeps, incident: Incident, reads: KeyReads, thread: AssessmentThread): Promise<Incident> {
  let current = incident;
  let waiting = reads.stages;
  for (;;) {
    const results = waiting.length > 0 && !shouldStop(current.assessment) ? await arrived(waiting) : [];
    waiting = waiting.slice(results.length);
    const finishing = waiting.length === 0 || shouldStop(fold(current.keyId, current.assessment, results).assessment);
    current = await record(deps, current, results, finishing, thread);
    if (finishing) return current;
  }
}

const NOT_YET: unique symbol = Symbol('not yet');

/** The next stage's result once it is in, and those after it that are already in. */
async function arrived(waiting: KeyReads['stages']): Promise<(StageResult | undefined)[]> {
  const results = [await waiting[0]];
  for (const next of waiting.slice(1)) {
    // An already settled `next` wins the race against the value that is there from the start.
    const result = await Promise.race<StageResult | undefined | typeof NOT_YET>([next, NOT_YET]);
    if (result === NOT_YET) break;
    results.push(result);
  }
  return results;
}

/** Nothing more can be learnt here: another account out of reach, or no owner found. */
function shouldStop(a: Assessment): boolean {
  if (!canActIn(a.account)) return true;
  // A role session has no user whose permissions to read.
  if (a.session && !a.owner) return true;
  return a.problems.some((p) => p.stage === 'owner' || p.stage === 'session');
}

/** A result as recorded: the assessment right after it (what its message shows) and its problem, if it failed. */
interface Entry {
  readonly result: StageResult;
  readonly assessment: Assessment;
  readonly problem?: AssessmentProblem;
}

/** Applies `results` in order until the assessment says stop. */
function fold(keyId: string, start: Assessment, results: readonly (StageResult | undefined)[]): { assessment: Assessment; entries: Entry[] } {
  let assessment = start;
  const entries: Entry[] = [];
  for (const result of results) {
    if (shouldStop(assessment) || !result) continue;
    const problem = result.ok ? undefined : problemFrom(result.stage, result.error, keyId);
    assessment = result.ok ? result.apply(assessment) : withProblem(assessment, problem!);
    entries.push({ result, assessment, ...(problem ? { problem } : {}) });
  }
  return { assessment, entries };
}

function eventOf(deps: ServiceDeps, incidentId: string, { result, problem }: Entry): TimelineEvent {
  if (result.ok) return newEvent(deps, incidentId, result.event.type, BOT_ACTOR, result.event.summary, { ...result.event.details });
  return newEvent(deps, incidentId, TimelineEventType.AssessmentProblem, BOT_ACTOR, `${problem!.code}: ${problem!.message}`, {
    stage: problem!.stage, code: problem!.code, operation: result.error.operation, service: result.error.service, requestId: result.error.requestId,
  });
}

function completion(deps: ServiceDeps, incidentId: string, done: Assessment, problems: number): TimelineEvent[] {
  const r = done.recommendation;
  return [
    ...(r ? [newEvent(deps, incidentId, TimelineEventType.Recommended, BOT_ACTOR, `Recommended: ${r.headline}`, { action: r.action, reason: r.reason, steps: r.steps })] : []),
    newEvent(deps, incidentId, TimelineEventType.AssessmentCompleted, BOT_ACTOR, `Assessment completed${problems ? ` with ${problems} problem(s)` : ''}`),
  ];
}

/** Stores results (and, when `finishing`, the completed assessment) with their events in one write, then has them shown. */
async function record(deps: ServiceDeps, known: Incident, results: readonly (StageResult | undefined)[], finishing: boolean, thread: AssessmentThread): Promise<Incident> {
  const incidentId = known.id;
  let entries: Entry[] = [];
  const stored = await updateIncident(deps.repo, incidentId, (current) => {
    const folded = fold(known.keyId, current.assessment, results);
    entries = folded.entries;
    const closing = finishing && !folded.assessment.complete;
    if (entries.length === 0 && !closing) return undefined;
    const assessment = closing ? completed(folded.assessment, deps.clock.now()) : folded.assessment;
    const events = [...entries.map((e) => eventOf(deps, incidentId, e)), ...(closing ? completion(deps, incidentId, assessment, folded.assessment.problems.length) : [])];
    return { incident: { ...current, assessment }, events };
  }, known);
  for (const entry of entries) {
    if (!entry.result.ok) deps.log.warn({ incidentId, stage: entry.result.stage, awsError: entry.result.error.code, requestId: entry.result.error.requestId }, 'assessment stage failed');
    const at = { ...stored, assessment: entry.assessment };
    if (entry.result.ok) thread.found(at, entry.result.thread);
    else thread.failed(at, entry.problem!);
  }
  if (finishing) thread.finished(stored);
  // Each refresh reads the latest record, with its actions, so it never hides a proposal. The
  // finished assessment shows in the root once the thread shows who and what went wrong.
  if (finishing) thread.shown.updateRootAfterThread(() => refreshRoot(deps, stored));
  else thread.shown.updateRoot(() => refreshRoot(deps, stored));
  return stored;
}
