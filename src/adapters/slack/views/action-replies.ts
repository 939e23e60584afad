/** Ephemeral answers to whoever clicked an action button or chose from the menu. */
import { ACTIONS } from '../../../domain/actions.js';
import type { DecideOutcome } from '../../../services/actions/decide-action.js';
import type { ProposeOutcome } from '../../../services/actions/propose-action.js';
import { esc } from '../escape.js';
import { section } from './blocks.js';
import type { SlackMessage } from './root-message.js';

const say = (text: string): SlackMessage => ({ text: esc(text), blocks: [section(esc(text))] });

export function decideReply(o: DecideOutcome): SlackMessage | undefined {
  switch (o.kind) {
    case 'refused':
      return say(`🚫 ${o.reason}`);
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
