/** The use cases bound to their dependencies: what listeners call. No logic lives here. */
import type { Logger } from 'pino';
import type { ThreadCapture } from '../ports/thread-capture.js';
import type { Incident, IncidentStatus } from '../domain/incident/incident.js';
import { addNote, setStatus, type StatusOutcome } from './incident-status.js';
import { threadCapture } from './thread-capture.js';
import { type ExportFormat, type ExportOutcome, exportIncident } from './export-incident.js';
import { claimReview, type ReviewClaim, type ReviewOutcome, runReview } from './review/review-incident.js';
import { type DecideOutcome, type DecideRequest, decideAction } from './actions/decide-action.js';
import {
  type FollowUpRequest, type MenuRequest, type ProposeOutcome, type ProposeRequest, proposeAction, proposeFollowUp, proposeFromMenu,
} from './actions/propose-action.js';
import { startSweeper, sweepActions } from './actions/sweep-actions.js';
import { type RestartOutcome, restartAssessment } from './assess-incident.js';
import { accountCoverage, type CoverageOutcome } from './account-coverage.js';
import type { ServiceDeps } from './deps.js';
import { findIncident, incidentIn, permalink } from './incident-lookup.js';
import { type ListOutcome, listIncidents } from './list-incidents.js';
import { findVisibleIncident, type Viewer, type VisibleLookup } from './incident-access.js';
import type { OpenIncidentRequest } from './open-incident.js';
import { type KeyResponse, respondToIncident, respondToKey } from './respond-to-key.js';

/** The use cases, bound to their dependencies: what listeners call. */
export interface Services {
  readonly log: Logger;
  /** open → assess → propose → review: the open outcome as soon as it is known, and the rest. */
  respondToKey(req: OpenIncidentRequest): Promise<KeyResponse>;
  /** assess → propose → review on an open incident (after `restartAssessment`). */
  respondToIncident(incident: Incident): Promise<void>;
  /** Clears a finished assessment so that `respondToIncident` runs it again. */
  restartAssessment(incidentId: string, userId: string): Promise<RestartOutcome>;
  /** Which accounts of the organization the bot can respond in (approvers only). */
  accountCoverage(userId: string): Promise<CoverageOutcome>;
  /** The incident, when `incidentId` is well-formed and it lives in `channelId`. */
  incidentIn(incidentId: string, channelId: string | undefined): Promise<Incident | undefined>;
  proposeAction(req: ProposeRequest): Promise<ProposeOutcome>;
  proposeFollowUp(req: FollowUpRequest): Promise<ProposeOutcome>;
  /** A kind chosen from the root's menu: only the menu's own kinds, on its target. */
  /** `known`: the incident as the caller just read it, which spares a read. */
  proposeFromMenu(req: MenuRequest, known?: Incident): Promise<ProposeOutcome>;
  decideAction(req: DecideRequest): Promise<DecideOutcome>;
  /** One sweep: executing actions whose attempt's lease ran out are taken over and settled. */
  sweepActions(): Promise<number>;
  /** Sweeps now and every `intervalMs` until stopped; `first` settles with the first pass's count. */
  startSweeper(intervalMs: number): { readonly first: Promise<number>; stop(): void };
  /** Resolves once the Slack updates and late records started so far are done. */
  idle(): Promise<void>;
  /** An incident by its id (`KI-…`), or a key id's: the open one, else the one opened last, resolved or not. */
  findIncident(ref: string): Promise<Incident | undefined>;
  /** What `ref` names, when `viewer` may see it: approvers anywhere, others in its channel as members of it. */
  findVisibleIncident(ref: string, viewer: Viewer): Promise<VisibleLookup>;
  /** Starts a CloudTrail review unless one runs or the account is out of reach. */
  claimReview(incidentId: string, userId: string, days?: number): Promise<ReviewClaim>;
  /** Runs the review `claimReview` started. */
  runReview(claim: Extract<ReviewClaim, { kind: 'claimed' }>): Promise<ReviewOutcome>;
  /** The open incidents, then the recently resolved ones, that `viewer` may see. */
  listIncidents(viewer: Viewer): Promise<ListOutcome>;
  setStatus(incident: Incident, to: IncidentStatus, userId: string, reason?: string): Promise<StatusOutcome>;
  addNote(incident: Incident, userId: string, text: string): Promise<void>;
  permalink(incident: Incident): Promise<string | undefined>;
  exportIncident(incident: Incident, format: ExportFormat, userId: string): Promise<ExportOutcome>;
  /** Thread replies, edits, deletions and the message shortcut, into the timeline. */
  readonly capture: ThreadCapture;
}

export function bindServices(deps: ServiceDeps): Services {
  return {
    log: deps.log,
    respondToKey: (req) => respondToKey(deps, req),
    respondToIncident: (incident) => respondToIncident(deps, incident),
    restartAssessment: (id, userId) => restartAssessment(deps, id, userId),
    accountCoverage: (userId) => accountCoverage(deps, userId),
    incidentIn: (id, channelId) => incidentIn(deps, id, channelId),
    proposeAction: (req) => proposeAction(deps, req),
    proposeFollowUp: (req) => proposeFollowUp(deps, req),
    proposeFromMenu: (req, known) => proposeFromMenu(deps, req, known),
    decideAction: (req) => decideAction(deps, req),
    sweepActions: () => sweepActions(deps),
    startSweeper: (intervalMs) => startSweeper(deps, intervalMs),
    idle: () => deps.background.idle(),
    findIncident: (ref) => findIncident(deps, ref),
    findVisibleIncident: (ref, viewer) => findVisibleIncident(deps, ref, viewer),
    claimReview: (id, userId, days) => claimReview(deps, id, userId, days),
    runReview: (claim) => runReview(deps, claim),
    listIncidents: (viewer) => listIncidents(deps, viewer),
    setStatus: (incident, to, userId, reason) => setStatus(deps, incident, to, userId, reason),
    addNote: (incident, userId, text) => addNote(deps, incident, userId, text),
    permalink: (incident) => permalink(deps, incident),
    exportIncident: (incident, format, userId) => exportIncident(deps, incident, format, userId),
    capture: threadCapture(deps),
  };
}
