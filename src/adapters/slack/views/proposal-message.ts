/** A proposed action in the thread: what, on what, its effect, and its state, updated in place. */
import type { types } from '@slack/bolt';
import { type Action, ActionStatus, followUpOffered, OutcomeResult } from '../../../domain/action/lifecycle.js';
import { ACTIONS, targetName } from '../../../domain/action/kinds.js';
import { code, esc, mention, slackDate } from '../mrkdwn-escape.js';
import { ActionId, actionRef } from '../interaction-ids.js';
import { type Block, context, md, plain, section } from './blocks.js';
import type { SlackMessage } from './root-message.js';

const ICON: Record<ActionStatus, string> = {
  proposed: '🗳️', executing: '⏳', succeeded: '✅', failed: '❌', denied: '🚫', expired: '⌛',
};

export function targetText(a: Action): string {
  const policy = a.target.policyArn ?? a.target.policyName;
  if (policy) return `policy ${code(policy)} of ${a.target.roleName ? `role ${code(a.target.roleName)}` : `user ${code(a.target.userName)}`}`;
  const on = ACTIONS[a.kind].on;
  if (on === 'role' && a.target.roleName) return `role ${code(a.target.roleName)}`;
  return on === 'key' && a.target.keyId ? `key ${code(a.target.keyId)} of ${code(a.target.userName)}` : `user ${code(a.target.userName)}`;
}

/** Why removing this attachment takes one approver or two, in a line read on a phone. */
function attachmentLine(a: Action): string | undefined {
  if (a.status !== ActionStatus.Proposed || !a.attachment) return undefined;
  if (a.attachment.known === 'created-by-key') {
    return `The exposed key created this ${a.attachment.entity} (${code(a.attachment.name)}) during the incident, so nothing was attached to it before: one approval is enough.`;
  }
  return '⚠️ *This policy may have been attached before the incident: two approvers needed.* Attaching succeeds even when it is already attached, and IAM keeps no attachment date.';
}

/** Where it acts: the account its proposal named; one stored before that acts in another account only when its target says so. */
function accountText(a: Action): string {
  const account = a.accountId ?? a.target.account;
  return account === undefined ? 'in the bot\'s own account' : `in account ${code(account)}`;
}

const who = (approvals: Action['approvals']) => approvals.map((x) => mention(x.userId)).join(' and ');

function stateLine(a: Action): string {
  switch (a.status) {
    case ActionStatus.Proposed:
      return a.approvals.length === 0
        ? `Needs ${a.approvalsRequired === 2 ? '2 approvals from different approvers' : '1 approval'} · expires ${slackDate(a.expiresAt)}`
        : `*${a.approvals.length} of ${a.approvalsRequired} approvals* (${who(a.approvals)}) · waiting for a second, different approver · expires ${slackDate(a.expiresAt)}`;
    case ActionStatus.Executing:
      return `Approved by ${who(a.approvals)} · running now…`;
    case ActionStatus.Succeeded:
      return `${a.outcome?.result === OutcomeResult.WouldHave ? '*Dry run.* ' : a.outcome?.result === OutcomeResult.Already ? '*Already in effect.* ' : ''}${esc(a.outcome?.message ?? 'Done.')}\nApproved by ${who(a.approvals)} · ${slackDate(a.finishedAt ?? a.startedAt ?? a.proposedAt)}`;
    case ActionStatus.Failed:
      return `*Failed*${a.outcome?.code ? ` (${code(a.outcome.code)})` : ''}: ${esc(a.outcome?.message ?? 'unknown error')}`;
    case ActionStatus.Denied:
      return `Denied by ${a.deniedBy ? mention(a.deniedBy) : 'an approver'} · ${slackDate(a.finishedAt ?? a.proposedAt)}`;
    case ActionStatus.Expired:
      return a.expiredBecause === 'incident-resolved' ? 'Expired: incident resolved.' : 'Expired without enough approvals.';
  }
}

function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger', confirm?: types.ConfirmationDialog): types.Button {
  return { type: 'button', action_id: actionId, text: plain(text, 75), value, ...(style ? { style } : {}), ...(confirm ? { confirm } : {}) };
}

function confirmFor(a: Action): types.ConfirmationDialog {
  return {
    title: plain('Are you sure?', 100),
    text: md(`${esc(ACTIONS[a.kind].title)}: ${targetText(a)} ${accountText(a)}.\n${esc(ACTIONS[a.kind].effect)}`, 300),
    confirm: plain('Yes, approve', 30),
    deny: plain('Cancel', 30),
    style: 'danger',
  };
}

function buttons(a: Action): Block | undefined {
  const ref = actionRef(a.incidentId, a.id);
  const spec = ACTIONS[a.kind];
  if (a.status === ActionStatus.Proposed) {
    return { type: 'actions', elements: [
      button(ActionId.Approve, spec.destructive ? `Approve ${spec.title.toLowerCase()}` : 'Approve', ref, spec.destructive ? 'danger' : 'primary', spec.destructive ? confirmFor(a) : undefined),
      button(ActionId.Deny, 'Deny', ref),
    ] };
  }
  const next = followUpOffered(a);
  if (next === 'undo' && spec.undo) {
    return { type: 'actions', elements: [button(ActionId.Undo, `Undo: ${ACTIONS[spec.undo].title.toLowerCase()}`, ref)] };
  }
  if (next === 'again') return { type: 'actions', elements: [button(ActionId.ProposeAgain, 'Propose again', ref)] };
  return undefined;
}

export function proposalMessage(a: Action): SlackMessage {
  const spec = ACTIONS[a.kind];
  const blocks: Block[] = [
    section(`${ICON[a.status]} *${esc(spec.title)}* · ${targetText(a)} ${accountText(a)}${spec.destructive ? ' · ⚠️ *cannot be undone*' : ''}\n${esc(spec.effect)}`),
  ];
  const why = attachmentLine(a);
  if (why) blocks.push(section(why));
  blocks.push(section(stateLine(a)));
  const actions = buttons(a);
  if (actions) blocks.push(actions);
  blocks.push(context(`Proposed by ${mention(a.proposedBy)} · ${slackDate(a.proposedAt)}`));
  return { text: esc(`${spec.title} (${targetName(a.kind, a.target)}): ${a.status}`), blocks };
}
