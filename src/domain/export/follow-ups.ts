/** What is still left to do after the recorded actions, as plain sentences (escape to render). */
import { isTemporaryKey } from '../access-key.js';
import { type Action, ActionStatus, OutcomeResult } from '../action/lifecycle.js';
import { ACTIONS, ActionKind, targetName } from '../action/kinds.js';
import { type Incident, IncidentStatus } from '../incident/incident.js';

const title = (a: Action) => `${ACTIONS[a.kind]?.title ?? a.kind} (${targetName(a.kind, a.target)})`;

/** Succeeded and changed AWS (a dry run changed nothing). */
const took = (a: Action) => a.status === ActionStatus.Succeeded && a.outcome?.result !== OutcomeResult.WouldHave;

const byFinish = (a: Action, b: Action) => Date.parse(a.finishedAt ?? '') - Date.parse(b.finishedAt ?? '');

/** The last change among `kinds` that took effect, in finishing order. */
function lastOf(actions: readonly Action[], kinds: readonly string[], on: (a: Action) => boolean = () => true): Action | undefined {
  return actions.filter((a) => took(a) && kinds.includes(a.kind) && on(a)).sort(byFinish).at(-1);
}

function keyFollowUps(incident: Incident, actions: readonly Action[]): string[] {
  // A temporary (ASIA…) key cannot be disabled: only revoking its sessions stops it.
  if (isTemporaryKey(incident.keyId)) return [];
  const onKey = (a: Action) => a.target.keyId === incident.keyId;
  const last = lastOf(actions, [ActionKind.DisableKey, ActionKind.EnableKey, ActionKind.DeleteKey], onKey);
  if (last?.kind === ActionKind.DeleteKey) return [];
  if (last?.kind === ActionKind.DisableKey) return [`Key ${incident.keyId} is disabled but not deleted: delete it once nothing needs it.`];
  if (last?.kind === ActionKind.EnableKey) return [`Key ${incident.keyId} was re-enabled and is active again.`];
  if (incident.assessment.owner?.keyStatus === 'Inactive') return [`Key ${incident.keyId} was already inactive when assessed: delete it once nothing needs it.`];
  return [`Key ${incident.keyId} is still active: nobody disabled or deleted it through the bot.`];
}

function sessionFollowUps(actions: readonly Action[]): string[] {
  const last = lastOf(actions, [ActionKind.RevokeSessions, ActionKind.LiftSessionRevocation, ActionKind.RevokeRoleSessions, ActionKind.LiftRoleSessionRevocation]);
  if (last?.kind === ActionKind.RevokeSessions || last?.kind === ActionKind.RevokeRoleSessions) return [];
  if (last) return ['Session revocation was lifted: temporary credentials obtained with the key work until they expire.'];
  return ['Sessions not revoked: temporary credentials obtained with the key keep working until they expire.'];
}

function replacementFollowUps(actions: readonly Action[]): string[] {
  return actions.filter((a) => took(a) && a.kind === ActionKind.CreateReplacementKey).map((a) => {
    const d = a.outcome?.details ?? {};
    const key = typeof d['newKeyId'] === 'string' ? ` ${d['newKeyId']}` : '';
    const where = typeof d['secretArn'] === 'string' ? ` (secret: ${d['secretArn']})` : '';
    return `Replacement key${key} for ${a.target.userName} created${where} but not yet rotated into the app: deploy it, confirm the app uses it, then delete the exposed key.`;
  });
}

function actionFollowUps(actions: readonly Action[]): string[] {
  const out: string[] = [];
  const quarantine = lastOf(actions, [ActionKind.AttachQuarantine, ActionKind.DetachQuarantine]);
  if (quarantine?.kind === ActionKind.AttachQuarantine) {
    out.push(`Quarantine policy still attached to ${quarantine.target.userName}: detach it once the user is clean, or delete the user.`);
  }
  for (const a of actions) {
    const retried = actions.some((b) => took(b) && b.kind === a.kind && targetName(b.kind, b.target) === targetName(a.kind, a.target));
    if (a.status === ActionStatus.Failed && !retried) out.push(`${title(a)} failed: ${a.outcome?.message ?? 'no message recorded'}`);
    if (a.status === ActionStatus.Proposed) out.push(`${title(a)} is awaiting approval (${a.approvals.length} of ${a.approvalsRequired}).`);
    if (a.status === ActionStatus.Succeeded && !took(a)) out.push(`${title(a)} was a dry run: nothing changed in AWS.`);
  }
  return out;
}

function reviewFollowUps(incident: Incident): string[] {
  const r = incident.review;
  if (!r) return ['CloudTrail not reviewed: run a review to see what the key was used for.'];
  if (r.status === 'running') return ['The CloudTrail review is still running.'];
  const out: string[] = [];
  if ((r.findings ?? 0) > 0) out.push(`${r.findings} CloudTrail finding(s) to check (see CloudTrail findings).`);
  if (r.problems?.length) out.push(`The review could not read: ${r.problems.join('; ')}.`);
  if (r.unread?.length) {
    const more = r.unreadMore ? ` and ${r.unreadMore} more` : '';
    out.push(`The review is partial: a cap left unread ${r.unread.map((u) => `${u.region} (${u.accessKeyId}) before ${u.before}`).join('; ')}${more}.`);
  }
  return out;
}

/** Open follow-ups, most urgent first. */
export function followUps(incident: Incident, actions: readonly Action[]): string[] {
  return [
    ...keyFollowUps(incident, actions),
    ...sessionFollowUps(actions),
    ...replacementFollowUps(actions),
    ...actionFollowUps(actions),
    ...reviewFollowUps(incident),
    ...(incident.status === IncidentStatus.Resolved ? [] : ['The incident is not resolved yet.']),
  ];
}
