import type { Logger } from 'pino';
import { isAccessKeyId, isIncidentId } from '../domain/access-key.js';
import type { ThreadCapture } from '../ports/thread-capture.js';
import { BOT_ACTOR, type Incident, type IncidentStatus } from '../domain/incident/incident.js';
import { addNote, setStatus, type StatusOutcome } from './incident-status.js';
import { threadCapture } from './thread-capture.js';
import { type ExportFormat, type ExportOutcome, exportIncident } from './export-incident.js';
import { type ReviewOutcome, reviewIncident } from './review/review-incident.js';
import { type DecideOutcome, type DecideRequest, decideAction } from './actions/decide-action.js';
import {
  type FollowUpRequest, type ProposeOutcome, type ProposeRequest, proposeAction, proposeFollowUp, proposeRecommended,
} from './actions/propose-action.js';
import { reconcileActions } from './actions/reconcile-actions.js';
import { assessIncident, type RestartOutcome, restartAssessment } from './assess-incident.js';
import { accountCoverage, type CoverageOutcome } from './account-coverage.js';
import type { ServiceDeps } from './deps.js';
import { type OpenIncidentOutcome, type OpenIncidentRequest, openIncident } from './open-incident.js';

/** The use cases, bound to their dependencies: what listeners call. */
export interface Services {
  readonly log: Logger;
  openIncident(req: OpenIncidentRequest): Promise<OpenIncidentOutcome>;
  /** Assesses the key, then proposes what the recommendation puts first. */
  assessIncident(incidentId: string): Promise<Incident>;
  /** Clears a finished assessment so that `assessIncident` runs it again. */
  restartAssessment(incidentId: string, userId: string): Promise<RestartOutcome>;
  /** Which accounts of the organization the bot can respond in (approvers only). */
  accountCoverage(userId: string): Promise<CoverageOutcome>;
  /** The incident, when `incidentId` is well-formed and it lives in `channelId`. */
  incidentIn(incidentId: string, channelId: string | undefined): Promise<Incident | undefined>;
  proposeAction(req: ProposeRequest): Promise<ProposeOutcome>;
  proposeFollowUp(req: FollowUpRequest): Promise<ProposeOutcome>;
  decideAction(req: DecideRequest): Promise<DecideOutcome>;
  reconcileActions(): Promise<number>;
  /** An incident by its id (`KI-…`), or the open one of a key id. */
  findIncident(ref: string, options?: { includeResolved?: boolean }): Promise<Incident | undefined>;
  /** `onStarted` runs once the review is claimed, before the long part. */
  reviewIncident(incidentId: string, userId: string, days?: number, onStarted?: (incident: Incident) => Promise<unknown>): Promise<ReviewOutcome>;
  listOpen(): Promise<Incident[]>;
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
    openIncident: (req) => openIncident(deps, req),
    assessIncident: async (id) => {
      const incident = await assessIncident(deps, id);
      await proposeRecommended(deps, incident);
      // Step 5 follows on its own: what the key did, while people contain it.
      if (incident.assessment.owner || incident.assessment.session) await reviewIncident(deps, id, BOT_ACTOR);
      return incident;
    },
    restartAssessment: (id, userId) => restartAssessment(deps, id, userId),
    accountCoverage: (userId) => accountCoverage(deps, userId),
    incidentIn: async (id, channelId) => {
      if (!isIncidentId(id)) return undefined;
      const incident = await deps.repo.get(id);
      // A click or menu choice only acts on the incident of the channel it came from.
      return incident && incident.channelId === channelId ? incident : undefined;
    },
    proposeAction: (req) => proposeAction(deps, req),
    proposeFollowUp: (req) => proposeFollowUp(deps, req),
    decideAction: (req) => decideAction(deps, req),
    reconcileActions: () => reconcileActions(deps),
    findIncident: async (ref, { includeResolved = false } = {}) => {
      if (isAccessKeyId(ref)) return deps.repo.findOpenByKey(ref);
      const incident = isIncidentId(ref) ? await deps.repo.get(ref) : undefined;
      return incident && (includeResolved || incident.status !== 'resolved') ? incident : undefined;
    },
    reviewIncident: (id, userId, days, onStarted) => reviewIncident(deps, id, userId, days, onStarted),
    listOpen: () => deps.repo.listOpen(),
    setStatus: (incident, to, userId, reason) => setStatus(deps, incident, to, userId, reason),
    addNote: (incident, userId, text) => addNote(deps, incident, userId, text),
    permalink: (incident) => deps.notifier.permalink(incident).catch(() => undefined),
    exportIncident: (incident, format, userId) => exportIncident(deps, incident, format, userId),
    capture: threadCapture(deps),
  };
}
