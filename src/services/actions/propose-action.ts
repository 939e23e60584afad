/** Use case: put an action up for approval in the incident's thread. */
import { type Action, ActionStatus, expire, followUpOffered, isExpired, propose } from '../../domain/action/lifecycle.js';
import { ACTIONS, ActionKind, type ActionTarget, actionSubject, roleOfArn } from '../../domain/action/kinds.js';
import { isTemporaryKey } from '../../domain/access-key.js';
import { actingAccount, canActIn, RecommendedAction } from '../../domain/assessment/assessment.js';
import { mayActOn } from '../../domain/action/approval-policy.js';
import type { AttachmentOrigin } from '../../domain/action/attachment-origin.js';
import { ActionAlreadyPendingError, IncidentNotActiveError, SlackError, StaleActionError } from '../../domain/errors.js';
import { defaultTarget, menuOffers, notOnMenu } from '../../domain/incident/action-menu.js';
import { BOT_ACTOR, type Incident, IncidentStatus } from '../../domain/incident/incident.js';
import type { ProposeRefusal } from '../../domain/refusals.js';
import { type ServiceDeps } from '../deps.js';
import { retryOnConflict } from '../shared/retry-on-conflict.js';
import { stampEvents } from '../shared/timeline-events.js';
import { recordTransition } from './action-records.js';
import { refreshRoot, showAction } from '../shared/show-in-slack.js';

export interface ProposeRequest {
  readonly incidentId: string;
  readonly kind: ActionKind;
  readonly userId: string;
  /** Defaults to the incident's key and its owner. */
  readonly target?: ActionTarget;
  readonly undoOf?: string;
  /** For the removal of a policy attachment: who made it, from the review or a stored action (sets the quorum). */
  readonly attachment?: AttachmentOrigin;
  /** The account of the action this one follows up, as recorded on it; else the assessment's. */
  readonly accountId?: string;
}

export type ProposeOutcome =
  | { readonly kind: 'proposed'; readonly action: Action }
  | { readonly kind: 'already-pending'; readonly action: Action }
  | { readonly kind: 'refused'; readonly reason: ProposeRefusal }
  | { readonly kind: 'not-found' };

/** Every action of an incident acts in the key's account: another one is named on the target. */
function inKeyAccount(target: ActionTarget, incident: Incident): ActionTarget {
  const account = actingAccount(incident.assessment.account);
  return account === undefined || target.account !== undefined ? target : { ...target, account };
}

/** Puts the action up for approval; `known`, the incident as the caller just stored it, spares a read. */
export async function proposeAction(deps: ServiceDeps, req: ProposeRequest, known?: Incident): Promise<ProposeOutcome> {
  const incident = known ?? await deps.repo.get(req.incidentId);
  if (!incident) return { kind: 'not-found' };
  const active = mayActOn(incident);
  if (!active.allowed) return { kind: 'refused', reason: active.reason };
  if (isTemporaryKey(incident.keyId) && ACTIONS[req.kind].on === 'key' && (req.target?.keyId ?? incident.keyId) === incident.keyId) {
    return { kind: 'refused', reason: { code: 'temporary-key' } };
  }
  const found = incident.assessment.account;
  if (!canActIn(found)) {
    return { kind: 'refused', reason: { code: 'account-out-of-reach', incidentId: incident.id, accountId: found?.accountId, ...(found?.reach?.kind === 'not-allowed' ? { notAllowed: true } : {}) } };
  }
  const proposed = req.target ?? defaultTarget(incident);
  if (!proposed) {
    return { kind: 'refused', reason: { code: 'owner-unknown', kind: req.kind } };
  }
  // Unknown, a target without an account would be acted on in the bot's own account.
  const accountId = req.accountId ?? incident.assessment.account?.accountId;
  if (accountId === undefined) return { kind: 'refused', reason: { code: 'account-unknown', incidentId: incident.id } };
  const target = inKeyAccount(proposed, incident);
  const subject = actionSubject(req.kind, target);
  return retryOnConflict((err) => err instanceof ActionAlreadyPendingError, async (): Promise<ProposeOutcome> => {
    const now = deps.clock.now();
    const { action, events } = propose({
      incidentId: incident.id, id: deps.ids.eventId(), kind: req.kind, target, accountId: target.account ?? accountId, proposedBy: req.userId,
      ...(req.undoOf ? { undoOf: req.undoOf } : {}), ...(req.attachment ? { attachment: req.attachment } : {}),
    }, now);
    try {
      await deps.actions.create(action, subject, stampEvents(deps, incident.id, events));
    } catch (err) {
      // Resolved since it was read: the proposal's own write checked the incident's status.
      if (err instanceof IncidentNotActiveError) return { kind: 'refused', reason: { code: 'incident-not-active', incidentId: incident.id, status: IncidentStatus.Resolved } };
      if (!(err instanceof ActionAlreadyPendingError)) throw err;
      const pending = await deps.actions.get(incident.id, err.pendingActionId);
      if (pending && !isExpired(pending, now)) return { kind: 'already-pending', action: pending };
      // An expired proposal still holds its place until someone notices: retire it, then propose anew.
      if (pending) await recordTransition(deps, incident, pending, expire(pending, now)).catch(() => undefined);
      throw err;
    }
    return { kind: 'proposed', action: await announce(deps, incident, action) };
  });
}

/** Posts the proposal and remembers its message; Slack trouble is logged, the proposal stands. */
async function announce(deps: ServiceDeps, incident: Incident, action: Action): Promise<Action> {
  let stored = action;
  try {
    const ts = await deps.notifier.postProposal(incident, action);
    stored = await rememberMessage(deps, incident, action, ts);
  } catch (err) {
    if (!(err instanceof SlackError)) throw err;
    deps.log.warn({ incidentId: incident.id, actionId: action.id, slackError: err.code }, 'proposal not posted');
  }
  await refreshRoot(deps, incident);
  return stored;
}

/**
 * Stores the proposal message's ts on the action as it is stored now: people can click as soon
 * as the message is up, and an approval (or a transaction conflict) may come first. An action
 * that has moved on by then is shown in its message at once: its renders so far had none.
 */
async function rememberMessage(deps: ServiceDeps, incident: Incident, action: Action, ts: string): Promise<Action> {
  const stored = await retryOnConflict((err) => err instanceof StaleActionError, async (n) => {
    const current = n === 1 ? action : ((await deps.actions.get(action.incidentId, action.id)) ?? action);
    if (current.messageTs) return current;
    return deps.actions.transition(current, { ...current, messageTs: ts }, actionSubject(current.kind, current.target), []);
  });
  if (stored.status !== ActionStatus.Proposed) showAction(deps, incident, stored);
  return stored;
}

export interface FollowUpRequest {
  readonly incidentId: string;
  readonly actionId: string;
  readonly userId: string;
  /** `undo`: propose the reverse of a succeeded action; `again`: the same action once more. */
  readonly mode: 'undo' | 'again';
}

export interface MenuRequest {
  readonly incidentId: string;
  /** The kind the payload names: proposed only when the incident's menu offers it. */
  readonly kind: string;
  readonly userId: string;
}

/** Proposes a kind chosen from the incident's menu, on the menu's target (the key and its owner). */
export async function proposeFromMenu(deps: ServiceDeps, req: MenuRequest, known?: Incident): Promise<ProposeOutcome> {
  const incident = known ?? await deps.repo.get(req.incidentId);
  if (!incident) return { kind: 'not-found' };
  if (!menuOffers(incident, req.kind)) return { kind: 'refused', reason: notOnMenu(incident, req.kind) };
  return proposeAction(deps, { incidentId: incident.id, kind: req.kind, userId: req.userId }, incident);
}

/** Proposes the undo of a succeeded action, or the same action again after it failed or expired (never after a denial). */
export async function proposeFollowUp(deps: ServiceDeps, req: FollowUpRequest): Promise<ProposeOutcome> {
  const original = await deps.actions.get(req.incidentId, req.actionId);
  if (!original) return { kind: 'not-found' };
  if (followUpOffered(original) !== req.mode) {
    if (req.mode === 'undo' && !ACTIONS[original.kind].undo) return { kind: 'refused', reason: { code: 'cannot-undo', kind: original.kind } };
    return { kind: 'refused', reason: { code: 'follow-up-not-offered', mode: req.mode, kind: original.kind, status: original.status } };
  }
  const account = original.accountId ? { accountId: original.accountId } : {};
  if (req.mode === 'again') return proposeAction(deps, { incidentId: req.incidentId, kind: original.kind, userId: req.userId, target: original.target, attachment: original.attachment, ...account });
  const undo = ACTIONS[original.kind].undo!;
  // The undo of a replacement key is deleting that new key, not the exposed one.
  const newKeyId = original.outcome?.details?.newKeyId;
  const target = typeof newKeyId === 'string' && original.kind === ActionKind.CreateReplacementKey ? { userName: original.target.userName, keyId: newKeyId } : original.target;
  return proposeAction(deps, { incidentId: req.incidentId, kind: undo, userId: req.userId, target, undoOf: original.id, ...account });
}

/** The kinds AWS's guidance puts first for a recommendation. */
const RECOMMENDED: Readonly<Record<RecommendedAction, readonly ActionKind[]>> = {
  [RecommendedAction.DisableNow]: [ActionKind.DisableKey, ActionKind.RevokeSessions],
  [RecommendedAction.Disable]: [ActionKind.DisableKey, ActionKind.RevokeSessions],
  [RecommendedAction.ReplaceFirst]: [ActionKind.CreateReplacementKey],
  [RecommendedAction.Review]: [ActionKind.RevokeSessions],
};

/** After the assessment: propose what the recommendation says to do first. */
export async function proposeRecommended(deps: ServiceDeps, incident: Incident): Promise<void> {
  const session = incident.assessment.session;
  if (session) {
    const role = session.kind === 'role' && session.roleArn ? roleOfArn(session.roleArn) : undefined;
    // A role in another account than the key's is out of reach: the recommendation says whom to ask.
    if (role && role.account === incident.assessment.account?.accountId && canActIn(incident.assessment.account)) {
      await proposeAction(deps, { incidentId: incident.id, kind: ActionKind.RevokeRoleSessions, userId: BOT_ACTOR, target: { userName: session.userName ?? '-', roleName: role.roleName } }, incident);
    } else if (session.kind === 'user' && session.userName) {
      await proposeAction(deps, { incidentId: incident.id, kind: ActionKind.RevokeSessions, userId: BOT_ACTOR }, incident);
    }
    return;
  }
  const rec = incident.assessment.recommendation;
  if (!rec || !defaultTarget(incident)) return;
  for (const kind of RECOMMENDED[rec.action]) {
    await proposeAction(deps, { incidentId: incident.id, kind, userId: BOT_ACTOR }, incident);
  }
}
