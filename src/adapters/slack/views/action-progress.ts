/** The actions' part of the root message's status line, e.g. "Key disabled by @a at 03:12 — sessions revoked". */
import { type Action, ActionStatus, latestPerSubject, OutcomeResult } from '../../../domain/action/lifecycle.js';
import { ActionKind } from '../../../domain/action/kinds.js';
import { mention, slackDate } from '../mrkdwn-escape.js';

const DONE: Record<ActionKind, string> = {
  [ActionKind.DisableKey]: 'key disabled',
  [ActionKind.EnableKey]: 'key re-enabled',
  [ActionKind.RevokeSessions]: 'sessions revoked',
  [ActionKind.LiftSessionRevocation]: 'session revocation lifted',
  [ActionKind.RevokeRoleSessions]: 'role sessions revoked',
  [ActionKind.LiftRoleSessionRevocation]: 'role session revocation lifted',
  [ActionKind.AttachQuarantine]: 'quarantine policy attached',
  [ActionKind.DetachQuarantine]: 'quarantine policy detached',
  [ActionKind.CreateReplacementKey]: 'replacement key created',
  [ActionKind.DeleteKey]: 'key deleted',
  [ActionKind.DeleteUser]: 'user deleted',
  [ActionKind.DeleteLoginProfile]: 'console password deleted',
  [ActionKind.DetachUserPolicy]: 'policy detached',
  [ActionKind.DeleteUserPolicy]: 'inline policy deleted',
  [ActionKind.DeleteRolePolicy]: 'role inline policy deleted',
  [ActionKind.DetachRolePolicy]: 'policy detached from role',
};

const VERB: Record<ActionKind, string> = {
  [ActionKind.DisableKey]: 'disable key',
  [ActionKind.EnableKey]: 're-enable key',
  [ActionKind.RevokeSessions]: 'revoke sessions',
  [ActionKind.LiftSessionRevocation]: 'lift session revocation',
  [ActionKind.RevokeRoleSessions]: 'revoke role sessions',
  [ActionKind.LiftRoleSessionRevocation]: 'lift role session revocation',
  [ActionKind.AttachQuarantine]: 'attach quarantine policy',
  [ActionKind.DetachQuarantine]: 'detach quarantine policy',
  [ActionKind.CreateReplacementKey]: 'create replacement key',
  [ActionKind.DeleteKey]: 'delete key',
  [ActionKind.DeleteUser]: 'delete user',
  [ActionKind.DeleteLoginProfile]: 'delete console password',
  [ActionKind.DetachUserPolicy]: 'detach policy',
  [ActionKind.DeleteUserPolicy]: 'delete inline policy',
  [ActionKind.DeleteRolePolicy]: 'delete role inline policy',
  [ActionKind.DetachRolePolicy]: 'detach policy from role',
};

function phrase(a: Action): string | undefined {
  const by = a.approvals.length > 0 ? ` by ${a.approvals.map((x) => mention(x.userId)).join(' & ')}` : '';
  switch (a.status) {
    case ActionStatus.Succeeded:
      if (a.outcome?.result === OutcomeResult.WouldHave) return `dry run: would ${VERB[a.kind]}`;
      return `${DONE[a.kind]}${by} ${slackDate(a.finishedAt ?? a.proposedAt, '{time}')}`;
    case ActionStatus.Executing:
      return `${VERB[a.kind]}: running…`;
    case ActionStatus.Proposed:
      return a.approvals.length > 0 ? `awaiting 2nd approval to ${VERB[a.kind]}` : `${VERB[a.kind]}: awaiting approval`;
    case ActionStatus.Failed:
      return `${VERB[a.kind]} failed`;
    default:
      return undefined;
  }
}

/** One mrkdwn line: the latest action of each subject, oldest first; empty when none. */
export function actionProgress(actions: readonly Action[]): string {
  const parts = latestPerSubject(actions).map(phrase).filter((p): p is string => p !== undefined);
  const line = parts.join(' — ');
  return line.length > 0 ? line[0]!.toUpperCase() + line.slice(1) : '';
}
