/** Ephemeral answers to whoever clicked an action button or chose from the menu. */
import { ACTIONS } from '../../../domain/action/kinds.js';
import type { ApproverSet } from '../../../domain/action/approval-policy.js';
import type { DecideOutcome } from '../../../services/actions/decide-action.js';
import type { ProposeOutcome } from '../../../services/actions/propose-action.js';
import { esc, mention } from '../mrkdwn-escape.js';
import { section } from './blocks.js';
import type { SlackMessage } from './root-message.js';

const say = (text: string): SlackMessage => ({ text: esc(text), blocks: [section(esc(text))] });

/** Who may approve, as Slack shows it ("<@U1>, <@U2> or members of <!subteam^S1>"); undefined when nobody is named. */
function approverNames(a: ApproverSet): string | undefined {
  const names = [
    ...a.userIds.map(mention),
    // The id comes from validated configuration; anything else is never written as a mention.
    ...(a.usergroupId && /^S[A-Z0-9]+$/.test(a.usergroupId) ? [`members of <!subteam^${a.usergroupId}>`] : []),
  ];
  return names.length <= 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

export function decideReply(o: DecideOutcome): SlackMessage | undefined {
  switch (o.kind) {
    case 'refused': {
      const who = approverNames(o.approvers);
      if (!who) return say(`🚫 ${o.reason}`);
      const text = `🚫 Only ${who} can approve or deny actions. Ask one of them.`;
      return { text, blocks: [section(text)] };
    }
    case 'not-found':
      return say('That action no longer exists in this incident.');
    case 'expired':
      return say('⌛ This proposal expired before it was approved. Use “Propose again” if it is still needed.');
    case 'counted':
      return say(`👍 Your approval is recorded (${o.action.approvals.length} of ${o.action.approvalsRequired}). It runs when a second, different approver approves.`);
    case 'unchanged':
      if (o.refusal === 'already-approved') return say('You already approved this. It needs a second, different approver.');
      if (o.refusal === 'expired') return say('⌛ This proposal expired. Use “Propose again” if it is still needed.');
      return say(`Nothing to do: this action is already ${o.action.status}.`);
    case 'denied':
    case 'executed':
      return undefined;
  }
}

export function proposeReply(o: ProposeOutcome): SlackMessage | undefined {
  switch (o.kind) {
    case 'proposed':
      return undefined;
    case 'already-pending':
      return say(`“${ACTIONS[o.action.kind].title}” is already proposed and waiting in the thread.`);
    case 'no-target':
      return say(o.reason);
    case 'not-found':
      return say('That belongs to no incident in this channel.');
  }
}
