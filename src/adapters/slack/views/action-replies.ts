/** Ephemeral answers to whoever clicked an action button or chose from the menu. */
import { ACTIONS } from '../../../domain/action/kinds.js';
import type { DecideOutcome } from '../../../services/actions/decide-action.js';
import type { ProposeOutcome } from '../../../services/actions/propose-action.js';
import { esc } from '../mrkdwn-escape.js';
import { section } from './blocks.js';
import { notAnApproverText, refusalText } from './refusals.js';
import type { SlackMessage } from './root-message.js';

const say = (text: string): SlackMessage => ({ text: esc(text), blocks: [section(esc(text))] });

export function decideReply(o: DecideOutcome): SlackMessage | undefined {
  switch (o.kind) {
    case 'refused': {
      // Mentions of the approvers when they are named (already safe mrkdwn), else who they are.
      const text = `🚫 ${notAnApproverText(o.reason, true)}`;
      return { text, blocks: [section(text)] };
    }
    case 'inactive':
      return say(refusalText(o.reason));
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
    case 'refused':
      return say(refusalText(o.reason));
    case 'not-found':
      return say('That belongs to no incident in this channel.');
  }
}
