import type { Logger } from 'pino';
import { BOT_ACTOR, type Incident } from '../domain/incident.js';
import { type ReviewOutcome, reviewIncident } from './review/review-incident.js';
import { type DecideOutcome, type DecideRequest, decideAction } from './actions/decide-action.js';
import {
  type FollowUpRequest, type ProposeOutcome, type ProposeRequest, proposeAction, proposeFollowUp, proposeRecommended,
} from './actions/propose-action.js';
import { reconcileActions } from './actions/reconcile-actions.js';
import { assessIncident } from './assess-incident.js';
import type { ServiceDeps } from './deps.js';
import { type OpenIncidentOutcome, type OpenIncidentRequest, openIncident } from './open-incident.js';

/** The use cases, bound to their dependencies: what listeners call. */
export interface Services {
  readonly log: Logger;
  openIncident(req: OpenIncidentRequest): Promise<OpenIncidentOutcome>;
  /** Assesses the key, then proposes what the recommendation puts first. */
  assessIncident(incidentId: string): Promise<Incident>;
  /** The incident, when `incidentId` is well-formed and it lives in `channelId`. */
  incidentIn(incidentId: string, channelId: string | undefined): Promise<Incident | undefined>;
  proposeAction(req: ProposeRequest): Promise<ProposeOutcome>;
  proposeFollowUp(req: FollowUpRequest): Promise<ProposeOutcome>;
  decideAction(req: DecideRequest): Promise<DecideOutcome>;
  reconcileActions(): Promise<number>;
  /** An open incident by its id (`KI-…`) or its key id. */
  findIncident(ref: string): Promise<Incident | undefined>;
  reviewIncident(incidentId: string, userId: string, days?: number): Promise<ReviewOutcome>;
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
    incidentIn: async (id, channelId) => {
      if (!/^KI-[0-9A-F]{6}$/.test(id)) return undefined;
      const incident = await deps.repo.get(id);
      // A click or menu choice only acts on the incident of the channel it came from.
      return incident && incident.channelId === channelId ? incident : undefined;
    },
    proposeAction: (req) => proposeAction(deps, req),
    proposeFollowUp: (req) => proposeFollowUp(deps, req),
    decideAction: (req) => decideAction(deps, req),
    reconcileActions: () => reconcileActions(deps),
    findIncident: (ref) => (/^A[KS]IA/.test(ref) ? deps.repo.findOpenByKey(ref) : /^KI-[0-9A-F]{6}$/.test(ref) ? deps.repo.get(ref) : Promise.resolve(undefined)),
    reviewIncident: (id, userId, days) => reviewIncident(deps, id, userId, days),
  };
}
