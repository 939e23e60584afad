/**
 * The service suite's one seam to `src/services`: a thin wrapper per use case, so that a change
 * of a service's signature is absorbed here, plus builders that set up an incident on the
 * in-memory fakes and readers of what was stored.
 */
import { ActionKind } from '../../../src/domain/action/kinds.js';
import type { Action } from '../../../src/domain/action/lifecycle.js';
import type { Incident, IncidentStatus, TimelineEvent, TimelineEventType } from '../../../src/domain/incident/incident.js';
import type { ServiceDeps } from '../../../src/services/deps.js';
import { type DecideOutcome, decideAction } from '../../../src/services/actions/decide-action.js';
import {
  type FollowUpRequest, type ProposeOutcome, type ProposeRequest, proposeAction, proposeFollowUp, proposeRecommended,
} from '../../../src/services/actions/propose-action.js';
import { sweepActions } from '../../../src/services/actions/sweep-actions.js';
import { assessIncident, type RestartOutcome, restartAssessment } from '../../../src/services/assess-incident.js';
import { AssessmentThread } from '../../../src/services/assessment-thread.js';
import { readKey } from '../../../src/services/read-key.js';
import { respondToKey } from '../../../src/services/respond-to-key.js';
import { SlackBacklog } from '../../../src/services/shared/slack-backlog.js';
import { addNote, setStatus, type StatusOutcome } from '../../../src/services/incident-status.js';
import { claimOpening, type OpenIncidentOutcome, type OpenIncidentRequest, postRoot } from '../../../src/services/open-incident.js';
import { claimReview, type ReviewOutcome, runReview } from '../../../src/services/review/review-incident.js';
import { threadCapture } from '../../../src/services/thread-capture.js';
import { findIncident } from '../../../src/services/incident-lookup.js';
import { type IncidentListing, type ListOutcome, listIncidents } from '../../../src/services/list-incidents.js';
import { type ExportFormat, type ExportOutcome, exportIncident } from '../../../src/services/export-incident.js';
import { findVisibleIncident, type Viewer, type VisibleLookup } from '../../../src/services/incident-access.js';
import type { ThreadCapture } from '../../../src/ports/thread-capture.js';
import { APPROVER, memoryDeps, type MemoryWorld } from '../../fakes/memory/index.js';

export { APPROVER, NON_APPROVER, SECOND_APPROVER } from '../../fakes/memory/index.js';
export type { MemoryWorld };

/** The exposed key of the default setup, and its owner. */
export const OWNER = 'ci-deployer';
export const ONCALL = 'U0ONCALL';
export const CHANNEL = 'C0SECURITY';

export const world = (overrides: Partial<ServiceDeps> = {}): MemoryWorld => memoryDeps(overrides);

// --- Use cases --------------------------------------------------------------------------

/** The open stage alone: the incident recorded (or the open one found), its root message posted and indexed. */
export async function open(w: MemoryWorld, keyId: string, req: Partial<OpenIncidentRequest> = {}): Promise<OpenIncidentOutcome> {
  const opening = await claimOpening(w.deps, { keyId, channelId: CHANNEL, userId: ONCALL, isRetry: false, ...req });
  if (opening.kind !== 'claimed') return opening;
  const root = await postRoot(w.deps, opening.incident);
  if (root.kind !== 'opened') return root;
  const { indexed, ...opened } = root;
  await indexed;
  return opened;
}

/** The assessment stages (account, owner or session, permissions), then the recommendation. */
export async function assess(w: MemoryWorld, incidentId: string): Promise<Incident> {
  const incident = (await w.deps.repo.get(incidentId))!;
  const shown = new SlackBacklog(w.deps.log, incident.id);
  const thread = new AssessmentThread(w.deps, shown);
  const reads = readKey(w.deps, incident);
  try {
    return await assessIncident(w.deps, incident, reads, thread);
  } finally {
    thread.showEvidence();
    await Promise.all([shown.settled(), reads.settled]);
  }
}

/** The whole response to a key (open → assess → propose → review), once it has run. */
export async function respond(w: MemoryWorld, keyId: string): Promise<OpenIncidentOutcome> {
  const { opened, rest } = await respondToKey(w.deps, { keyId, channelId: CHANNEL, userId: ONCALL, isRetry: false });
  await rest;
  return opened;
}

/** The pipeline's propose stage: what the recommendation puts first. */
export function proposeFirst(w: MemoryWorld, incident: Incident): Promise<void> {
  return proposeRecommended(w.deps, incident);
}

export function restart(w: MemoryWorld, incidentId: string, userId = APPROVER): Promise<RestartOutcome> {
  return restartAssessment(w.deps, incidentId, userId);
}

export function propose(w: MemoryWorld, incidentId: string, kind: ActionKind, req: Partial<ProposeRequest> = {}): Promise<ProposeOutcome> {
  return proposeAction(w.deps, { incidentId, kind, userId: ONCALL, ...req });
}

export function followUp(w: MemoryWorld, req: Omit<FollowUpRequest, 'userId'> & { userId?: string }): Promise<ProposeOutcome> {
  return proposeFollowUp(w.deps, { userId: ONCALL, ...req });
}

/** An approver's decision on an action of `incident`, and the Slack updates and follow-ups it started. */
export async function decide(w: MemoryWorld, incident: Incident, actionId: string, userId: string, decision: 'approve' | 'deny' = 'approve'): Promise<DecideOutcome> {
  const outcome = await decideAction(w.deps, { incident, actionId, userId, decision });
  await w.deps.background.idle();
  return outcome;
}

/** The decision alone, without waiting for what it started in the background. */
export function decideOnly(w: MemoryWorld, incident: Incident, actionId: string, userId: string, decision: 'approve' | 'deny' = 'approve'): Promise<DecideOutcome> {
  return decideAction(w.deps, { incident, actionId, userId, decision });
}

/** A disable approved in a fresh world, its IAM change held as it reaches IAM (until `inIam.release()`). */
export async function disableHeldInIam() {
  const w = world();
  const incident = await assessedIncident(w);
  const action = await proposed(w, incident, ActionKind.DisableKey);
  const inIam = w.iam.faults.hold('setAccessKeyStatus');
  const deciding = decideOnly(w, incident, action.id, APPROVER);
  await inIam.reached;
  return { w, incident, action, inIam, deciding };
}

/** One sweep for actions whose lease ran out, and what it started in the background. */
export async function sweep(w: MemoryWorld, deps: ServiceDeps = w.deps): Promise<number> {
  const settled = await sweepActions(deps);
  await deps.background.idle();
  return settled;
}

/** Claims the review and runs it; `onStarted` is told when the claim is won. */
export async function review(w: MemoryWorld, incidentId: string, userId = APPROVER, days?: number, onStarted?: (i: Incident) => Promise<unknown>): Promise<ReviewOutcome> {
  const claim = await claimReview(w.deps, incidentId, userId, days);
  if (claim.kind !== 'claimed') return claim;
  await onStarted?.(claim.incident);
  return runReview(w.deps, claim);
}

export function changeStatus(w: MemoryWorld, incident: Incident, to: IncidentStatus, userId = APPROVER, reason?: string): Promise<StatusOutcome> {
  return setStatus(w.deps, incident, to, userId, reason);
}

export function note(w: MemoryWorld, incident: Incident, userId: string, text: string): Promise<void> {
  return addNote(w.deps, incident, userId, text);
}

/** What a `KI-…` or a key id typed in a command names. */
export function find(w: MemoryWorld, ref: string): Promise<Incident | undefined> {
  return findIncident(w.deps, ref);
}

/** What `ref` names, as `viewer` may see it. */
export function findAs(w: MemoryWorld, ref: string, viewer: Viewer): Promise<VisibleLookup> {
  return findVisibleIncident(w.deps, ref, viewer);
}

/** `list` as an approver sees it. */
export async function list(w: MemoryWorld): Promise<IncidentListing> {
  const outcome = await listIncidents(w.deps, { userId: APPROVER, channelId: CHANNEL });
  if (outcome.kind !== 'listed') throw new Error(`not listed: ${outcome.reason.code}`);
  return outcome.listing;
}

/** `list` as `viewer` sees it. */
export function listAs(w: MemoryWorld, viewer: Viewer): Promise<ListOutcome> {
  return listIncidents(w.deps, viewer);
}

/** The postmortem export, as `userId` asks for it. */
export function exportAs(w: MemoryWorld, incident: Incident, userId: string, format: ExportFormat = 'md'): Promise<ExportOutcome> {
  return exportIncident(w.deps, incident, format, userId);
}

export function capture(w: MemoryWorld): ThreadCapture {
  return threadCapture(w.deps);
}

// --- Set-ups ---------------------------------------------------------------------------

/** An IAM user `OWNER` in the bot's account with one active key (the exposed one); returns its id. */
export function exposedKey(w: MemoryWorld, seed: { lastUsed?: { at: string; service: string; region: string } | null; attached?: string[] } = {}): string {
  if (!w.iam.users.has(OWNER)) w.iam.addUser(OWNER, { attached: seed.attached ?? ['arn:aws:iam::aws:policy/AdministratorAccess'] });
  return w.iam.addKey(OWNER, { createdAt: '2024-06-01T00:00:00.000Z', lastUsed: seed.lastUsed ?? null });
}

/** An incident opened with its root posted, not yet assessed. */
export async function openedIncident(w: MemoryWorld, keyId = exposedKey(w)): Promise<Incident> {
  const outcome = await open(w, keyId);
  if (outcome.kind !== 'opened') throw new Error(`expected the incident to open, got ${outcome.kind}`);
  return outcome.incident;
}

/** An incident opened and assessed: its owner and account known, within the bot's reach. */
export async function assessedIncident(w: MemoryWorld, keyId?: string): Promise<Incident> {
  const incident = await openedIncident(w, keyId);
  return assess(w, incident.id);
}

/** A proposal of `kind` on the assessed incident's key, as proposed. */
export async function proposed(w: MemoryWorld, incident: Incident, kind: ActionKind = ActionKind.DisableKey, req: Partial<ProposeRequest> = {}): Promise<Action> {
  const outcome = await propose(w, incident.id, kind, req);
  if (outcome.kind !== 'proposed') throw new Error(`expected a proposal, got ${outcome.kind}`);
  return outcome.action;
}

// --- Reading what was stored -----------------------------------------------------------

export async function timeline(w: MemoryWorld, incidentId: string): Promise<TimelineEvent[]> {
  return w.repo.events(incidentId);
}

/** The types of the incident's events, oldest first. */
export async function eventTypes(w: MemoryWorld, incidentId: string): Promise<TimelineEventType[]> {
  return (await timeline(w, incidentId)).map((e) => e.type);
}

export async function eventsOfType(w: MemoryWorld, incidentId: string, type: TimelineEventType): Promise<TimelineEvent[]> {
  return (await timeline(w, incidentId)).filter((e) => e.type === type);
}

export async function storedAction(w: MemoryWorld, action: Pick<Action, 'incidentId' | 'id'>): Promise<Action> {
  const stored = await w.actions.get(action.incidentId, action.id);
  if (!stored) throw new Error(`no action ${action.id}`);
  return stored;
}

export async function storedIncident(w: MemoryWorld, incidentId: string): Promise<Incident> {
  const stored = await w.repo.get(incidentId);
  if (!stored) throw new Error(`no incident ${incidentId}`);
  return stored;
}

/** Status of `keyId` in the bot's IAM, undefined when it is gone. */
export function keyStatus(w: MemoryWorld, keyId: string): string | undefined {
  return w.iam.findKey(keyId)?.key.status;
}
