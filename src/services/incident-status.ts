/** Use cases: contain, resolve and reopen an incident; notes; listing. */
import { mayApprove } from '../domain/action/approval-policy.js';
import { ActionStatus, expireOnResolve } from '../domain/action/lifecycle.js';
import { IncidentAlreadyOpenError, StaleActionError, StaleIncidentError } from '../domain/errors.js';
import { BOT_ACTOR, type Incident, IncidentStatus, TimelineEventType } from '../domain/incident/incident.js';
import { changeStatus, IncidentTransitionError, isContained } from '../domain/incident/lifecycle.js';
import type { ThreadNote } from '../domain/incident/thread-note.js';
import type { StatusRefusal } from '../domain/refusals.js';
import type { ServiceDeps } from './deps.js';
import { newEvent, stampEvents } from './shared/timeline-events.js';
import { retryOnConflict } from './shared/retry-on-conflict.js';
import { refreshRoot, showAction, showNote } from './shared/show-in-slack.js';
import { recordTransition } from './actions/action-records.js';
import { updateIncident } from './update-incident.js';

export type StatusOutcome =
  | { readonly kind: 'changed'; readonly incident: Incident }
  | { readonly kind: 'refused'; readonly reason: StatusRefusal };

/** Contain, resolve or reopen by hand: approvers only. */
export async function setStatus(deps: ServiceDeps, incident: Incident, to: IncidentStatus, userId: string, reason = ''): Promise<StatusOutcome> {
  const permission = mayApprove(userId, await deps.approvers.approvers(userId), 'change-status');
  if (!permission.allowed) return { kind: 'refused', reason: permission.reason };
  try {
    const stored = to === IncidentStatus.Open ? await reopen(deps, incident, userId) : await change(deps, incident.id, to, userId, reason);
    if (stored.status === IncidentStatus.Resolved) await retireProposals(deps, stored);
    await showNote(deps, stored, statusNote(stored, userId));
    await refreshRoot(deps, stored);
    return { kind: 'changed', incident: stored };
  } catch (err) {
    if (err instanceof IncidentTransitionError) return { kind: 'refused', reason: { code: 'status-transition', incidentId: incident.id, from: err.from, to: err.to } };
    if (err instanceof IncidentAlreadyOpenError) return { kind: 'refused', reason: { code: 'another-open-incident', keyId: incident.keyId, existingIncidentId: err.existingIncidentId } };
    throw err;
  }
}

function statusNote(incident: Incident, userId: string): ThreadNote {
  return { kind: 'status-changed', status: incident.status, by: userId, ...(incident.resolution ? { resolution: incident.resolution } : {}) };
}

function change(deps: ServiceDeps, incidentId: string, to: IncidentStatus, actor: string, reason: string): Promise<Incident> {
  return updateIncident(deps.repo, incidentId, (current) => {
    const { incident, event } = changeStatus(current, to, actor, deps.clock.now(), reason);
    return { incident, events: stampEvents(deps, incidentId, [event]) };
  });
}

async function reopen(deps: ServiceDeps, incident: Incident, actor: string): Promise<Incident> {
  return retryOnConflict((err) => err instanceof StaleIncidentError, async () => {
    const current = (await deps.repo.get(incident.id))!;
    const { incident: next, event } = changeStatus(current, IncidentStatus.Open, actor, deps.clock.now(), '');
    const events = stampEvents(deps, incident.id, [event]);
    // A contained incident still holds its key: only a resolved one takes it back.
    return current.status === IncidentStatus.Resolved ? deps.repo.reopen(next, events) : deps.repo.update(next, events);
  });
}

/**
 * Once the incident is recorded resolved, its pending proposals expire ("incident resolved").
 * None can be added after that record (a proposal's write checks the incident's status), and
 * an action already executing when it landed finishes.
 */
async function retireProposals(deps: ServiceDeps, incident: Incident): Promise<void> {
  for (const listed of await deps.actions.list(incident.id)) {
    if (listed.status !== ActionStatus.Proposed) continue;
    const retired = await retryOnConflict((err) => err instanceof StaleActionError, async (n) => {
      const current = n === 1 ? listed : await deps.actions.get(incident.id, listed.id);
      return current?.status === ActionStatus.Proposed ? recordTransition(deps, incident, current, expireOnResolve(current, deps.clock.now())) : undefined;
    });
    if (retired) showAction(deps, incident, retired);
  }
}

/** After an action: the incident becomes contained once the key and its sessions are cut. */
export async function containIfDone(deps: ServiceDeps, incidentId: string): Promise<void> {
  const [incident, actions] = await Promise.all([deps.repo.get(incidentId), deps.actions.list(incidentId)]);
  if (!incident || incident.status !== IncidentStatus.Open || !isContained(incident, actions)) return;
  const stored = await change(deps, incidentId, IncidentStatus.Contained, BOT_ACTOR, 'the key no longer works and its sessions are revoked').catch((err: unknown) => {
    // Someone contained or resolved it at the same moment: theirs stands.
    if (err instanceof IncidentTransitionError) return undefined;
    throw err;
  });
  if (stored) await showNote(deps, stored, { kind: 'contained' });
}

/** A note from a person, kept in the timeline and shown in the thread. */
export async function addNote(deps: ServiceDeps, incident: Incident, userId: string, text: string): Promise<void> {
  await deps.repo.append(newEvent(deps, incident.id, TimelineEventType.NoteAdded, userId, text, { source: 'command' }));
  await showNote(deps, incident, { kind: 'note-added', text });
}
