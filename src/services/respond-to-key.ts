/**
 * Use case: the response to an exposed key, as named stages:
 *
 *   1. open     the incident is recorded (or the open one found), then its root message posted
 *   2. assess   AWS reads (`read-key.ts`), begun while the root message posts; each finding recorded, then shown
 *   3. propose  what the recommendation puts first, up for approval, then the evidence for it
 *   4. review   the key's CloudTrail, while people contain it (AWS step 5)
 *
 * Reads never wait for records or Slack, the assessment's records never wait for Slack, and
 * Slack shows only what is recorded; `assessment-thread.ts` says in which order.
 */
import type { Incident } from '../domain/incident/incident.js';
import { BOT_ACTOR } from '../domain/incident/incident.js';
import { proposeRecommended } from './actions/propose-action.js';
import { assessIncident } from './assess-incident.js';
import { AssessmentThread } from './assessment-thread.js';
import type { ServiceDeps } from './deps.js';
import { claimOpening, type OpenIncidentOutcome, type OpenIncidentRequest, postRoot } from './open-incident.js';
import { type KeyReads, readKey } from './read-key.js';
import { claimReview, runReview } from './review/review-incident.js';
import { SlackBacklog } from './shared/slack-backlog.js';

/** What the command's author is told once the incident is open, and the rest of the response. */
export interface KeyResponse {
  readonly opened: OpenIncidentOutcome;
  /** assess → propose → review; resolves at once when this request did not post the root message. */
  readonly rest: Promise<void>;
}

/**
 * Opens the key's incident and, when this request posted its root message, goes on with the
 * rest of the response. Returns as soon as the incident is open, so its author hears first.
 */
export async function respondToKey(deps: ServiceDeps, req: OpenIncidentRequest): Promise<KeyResponse> {
  const opening = await claimOpening(deps, req);
  if (opening.kind !== 'claimed') return { opened: opening, rest: Promise.resolve() };
  // The reads need only the key: they run while the root message is posted.
  const reads = readKey(deps, opening.incident);
  const root = await postRoot(deps, opening.incident);
  if (root.kind !== 'opened') return { opened: root, rest: dropReads(deps, root.incident, reads) };
  const { indexed, ...opened } = root;
  return { opened, rest: Promise.all([respondInThread(deps, opened.incident, reads), indexed]).then(() => undefined) };
}

/** No root message, no thread: nothing read is recorded; running the command again reads afresh. */
async function dropReads(deps: ServiceDeps, incident: Incident, reads: KeyReads): Promise<void> {
  await reads.settled;
  deps.log.info({ incidentId: incident.id }, 'root message not posted: the reads begun for it are dropped');
}

/** assess → propose → review on an open incident, e.g. after `restartAssessment`. */
export function respondToIncident(deps: ServiceDeps, incident: Incident): Promise<void> {
  return respondInThread(deps, incident, readKey(deps, incident));
}

async function respondInThread(deps: ServiceDeps, incident: Incident, reads: KeyReads): Promise<void> {
  const shown = new SlackBacklog(deps.log, incident.id);
  const thread = new AssessmentThread(deps, shown);
  try {
    const assessed = await assessIncident(deps, incident, reads, thread);
    // The proposals follow who holds the key and any problem, and come before the evidence
    // (access and steps), which the root message already sums up: one post, not three,
    // between the last read and the first button.
    await shown.threadPosted();
    await proposeRecommended(deps, assessed);
    thread.showEvidence();
    // The review's messages come after the evidence.
    await shown.threadPosted();
    // Nothing to follow in CloudTrail without an owner or a session.
    if (!assessed.assessment.owner && !assessed.assessment.session) return;
    const review = await claimReview(deps, incident.id, BOT_ACTOR);
    if (review.kind === 'claimed') await runReview(deps, review);
  } finally {
    await Promise.all([shown.settled(), reads.settled]);
  }
}
