/**
 * The incident's own lifecycle: open → contained → resolved, reopen allowed. Containment is
 * reached by hand or automatically once the key can no longer be used and its sessions are cut.
 */
import { isTemporaryKey } from '../access-key.js';
import { type Action, ActionStatus, OutcomeResult } from '../action/lifecycle.js';
import { ActionKind } from '../action/kinds.js';
import { KeyIncidentError } from '../errors.js';
import { type EventDraft, type Incident, IncidentStatus, TimelineEventType } from './incident.js';

/** Status changes allowed, from → to. */
const ALLOWED: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  [IncidentStatus.Open]: [IncidentStatus.Contained, IncidentStatus.Resolved],
  [IncidentStatus.Contained]: [IncidentStatus.Resolved, IncidentStatus.Open],
  [IncidentStatus.Resolved]: [IncidentStatus.Open],
};

export class IncidentTransitionError extends KeyIncidentError {
  constructor(readonly from: IncidentStatus, readonly to: IncidentStatus) {
    super('incident_transition', `An incident ${from} cannot become ${to}`);
  }
}

const EVENT: Record<IncidentStatus, TimelineEventType> = {
  [IncidentStatus.Open]: TimelineEventType.IncidentReopened,
  [IncidentStatus.Contained]: TimelineEventType.IncidentContained,
  [IncidentStatus.Resolved]: TimelineEventType.IncidentResolved,
};

/** The incident in its new status with the event recording the change; throws when not allowed. */
export function changeStatus(
  incident: Incident,
  to: IncidentStatus,
  actor: string,
  now: Date,
  reason: string,
): { incident: Incident; event: EventDraft } {
  if (!ALLOWED[incident.status].includes(to)) throw new IncidentTransitionError(incident.status, to);
  const at = now.toISOString();
  const next: Incident = to === IncidentStatus.Contained
    ? { ...incident, status: to, containedAt: at }
    : to === IncidentStatus.Resolved
      ? { ...incident, status: to, resolvedAt: at, ...(reason ? { resolution: reason } : {}) }
      : { ...incident, status: to, resolvedAt: undefined };
  const verb = to === IncidentStatus.Open ? 'Reopened' : to === IncidentStatus.Contained ? 'Contained' : 'Resolved';
  return { incident: next, event: { type: EVENT[to], actor, summary: `${verb}${reason ? `: ${reason}` : ''}`, details: { from: incident.status, to, ...(reason ? { reason } : {}) } } };
}

const worked = (a: Action) => a.status === ActionStatus.Succeeded && (a.outcome?.result === OutcomeResult.Done || a.outcome?.result === OutcomeResult.Already);

/**
 * Contained when the exposed key no longer works (disabled or deleted, latest action wins) and
 * the sessions it could have minted are cut (the user's, or for a temporary key its role's).
 */
export function isContained(incident: Incident, actions: readonly Action[]): boolean {
  const done = actions.filter(worked).sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
  const sessionsCut = done.some((a) => a.kind === ActionKind.RevokeSessions || a.kind === ActionKind.RevokeRoleSessions);
  if (isTemporaryKey(incident.keyId)) return sessionsCut;
  const keyActions = done.filter((a) => a.target.keyId === incident.keyId && (a.kind === ActionKind.DisableKey || a.kind === ActionKind.EnableKey || a.kind === ActionKind.DeleteKey));
  const last = keyActions.at(-1);
  return sessionsCut && last !== undefined && last.kind !== ActionKind.EnableKey;
}
