/** Why a request was refused, in words: each refusal code with its facts becomes one sentence. */
import type { ApproverOnly, ApproverSet, NotAnApprover } from '../../../domain/action/approval-policy.js';
import { ACTIONS } from '../../../domain/action/kinds.js';
import type { Refusal } from '../../../domain/refusals.js';
import { COMMAND } from '../interaction-ids.js';
import { mention } from '../mrkdwn-escape.js';
import { invalidReply } from './replies.js';
import type { SlackMessage } from './root-message.js';

/** What only approvers may do, as the end of "Only … can …". */
const APPROVERS_MAY: Readonly<Record<ApproverOnly, string>> = {
  'decide-action': 'approve or deny actions',
  'change-status': 'change an incident’s status',
  'list-accounts': 'list the organization’s accounts',
};

/** The approvers as configured, described without naming anyone. */
function approverRoles(a: ApproverSet): string {
  const who = [
    a.userIds.length > 0 ? 'the approvers named in APPROVER_USER_IDS' : undefined,
    a.usergroupId ? 'members of the approver user group' : undefined,
  ].filter((x): x is string => x !== undefined).join(' or ');
  if (a.externalExcluded) return who ? `${who} or members of this workspace (not external users)` : 'members of this workspace (not external users)';
  return who || 'the configured approvers';
}

/** Who may approve, as Slack shows it ("<@U1>, <@U2> or members of <!subteam^S1>"); undefined when nobody is named. */
export function approverNames(a: ApproverSet): string | undefined {
  const names = [
    ...a.userIds.map(mention),
    // The id comes from validated configuration; anything else is never written as a mention.
    ...(a.usergroupId && /^S[A-Z0-9]+$/.test(a.usergroupId) ? [`members of <!subteam^${a.usergroupId}>`] : []),
  ];
  return names.length <= 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** "Only … can …. Ask one of them.", naming the approvers (mrkdwn mentions) when they are named, else describing them. */
export function notAnApproverText(r: NotAnApprover, named = false): string {
  const who = (named ? approverNames(r.approvers) : undefined) ?? approverRoles(r.approvers);
  return `Only ${who} can ${APPROVERS_MAY[r.action]}. Ask one of them.`;
}

/** The refusal as one plain sentence (not yet escaped). */
export function refusalText(r: Refusal): string {
  switch (r.code) {
    case 'not-an-approver':
      return notAnApproverText(r);
    case 'status-transition':
      return `${r.incidentId} is ${r.from}: it cannot become ${r.to}.`;
    case 'another-open-incident':
      return `${r.keyId} has another open incident, ${r.existingIncidentId}: resolve it first.`;
    case 'temporary-key':
      return 'A temporary key (ASIA…) cannot be disabled or deleted: revoke the sessions it belongs to instead.';
    case 'account-out-of-reach':
      if (r.notAllowed) return `The key belongs to account ${r.accountId}, which is neither one of your organization (as far as the bot can tell) nor in ALLOWED_ACCOUNT_IDS: the bot does not act there. The thread says why and what to do.`;
      return `The key belongs to account ${r.accountId}, where the bot cannot act: deploy its member-account role there (see the recommendation), then \`${COMMAND} assess ${r.incidentId}\`.`;
    case 'account-unknown':
      return `The key's account is not known (its assessment is running again, or could not name the account), so nothing is proposed: it would land in the bot's own account. Run \`${COMMAND} assess ${r.incidentId}\`, and once it has named the account, propose again.`;
    case 'owner-unknown':
      return `The key's owner is not known in this account, so there is nothing for "${ACTIONS[r.kind].title}" to act on.`;
    case 'incident-not-active':
      return `${r.incidentId} is ${r.status}: its actions can no longer be proposed or approved. An approver can reopen it (\`${COMMAND} reopen ${r.incidentId}\`) if more needs doing.`;
    case 'cannot-undo':
      return `${ACTIONS[r.kind].title} cannot be undone.`;
    case 'not-on-menu':
      return `That is not one of ${r.incidentId}'s actions: choose one from the More actions menu on its root message.`;
    case 'follow-up-not-offered':
      return r.mode === 'undo'
        ? `Only an action that succeeded can be undone: this ${ACTIONS[r.kind].title} is ${r.status}.`
        : r.status === 'denied'
          ? `An approver denied this ${ACTIONS[r.kind].title}: it is not proposed again from here. If it is needed after all, propose it anew from the More actions menu.`
          : `This ${ACTIONS[r.kind].title} is ${r.status}: only a failed or expired action can be proposed again.`;
    case 'not-a-participant':
      return `Only approvers and people who took part in ${r.incidentId} can export its timeline.`;
    case 'no-thread':
      return `${r.incidentId} has no message in Slack yet to attach the export to.`;
    case 'membership-unverified':
      return `I could not check that you are a member of this channel (Slack answered ${r.slackError}), so I show nothing. Invite me to the channel (/invite @key-incident) and try again, or ask an approver.`;
  }
}

/** The refusal as the answer to a command: the sentence, and how the command is used. */
export function refusalReply(r: Refusal): SlackMessage {
  return invalidReply(refusalText(r));
}
