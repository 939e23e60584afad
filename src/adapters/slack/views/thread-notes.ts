/** Lines in the incident's thread that tell of a change, and the shortcut's private answer. */
import { BOT_ACTOR } from '../../../domain/incident/incident.js';
import type { ThreadNote } from '../../../domain/incident/thread-note.js';
import type { ShortcutOutcome } from '../../../ports/thread-capture.js';
import { COMMAND } from '../interaction-ids.js';
import { esc } from '../mrkdwn-escape.js';
import { section } from './blocks.js';
import type { SlackMessage } from './root-message.js';

/** The note as one plain sentence (not yet escaped). */
export function noteText(note: ThreadNote): string {
  switch (note.kind) {
    case 'status-changed': {
      const who = note.by === BOT_ACTOR ? 'key-incident' : 'an approver';
      return `Status: ${note.status} (set by ${who}${note.resolution ? `: ${note.resolution}` : ''}).`;
    }
    case 'contained':
      return '🟢 Contained: the key no longer works and its sessions are revoked.';
    case 'note-added':
      return `📝 Note added to the timeline: ${note.text}`;
    case 'resumed-after-restart':
      return '♻️ The bot restarted while carrying out an approved action; IAM shows it was not done, so it is being done now.';
    case 'cleanups-not-proposed':
      return `⚠️ The review found ${note.count} clean-up${note.count === 1 ? '' : 's'} to propose, but the key's account is not known any more (its assessment is running again), so none was proposed rather than in the bot's own account. Once \`${COMMAND} assess ${note.incidentId}\` has finished, run \`${COMMAND} review ${note.incidentId}\` again.`;
    case 'secret-withheld':
      return `🔒 A message here held what looks like ${note.what}: it was not recorded in the timeline. Delete it from Slack and treat that secret as exposed.`;
  }
}

/** The note as posted in the thread: its words escaped, so a person's text mentions and links nothing. */
export function noteMessage(note: ThreadNote): SlackMessage {
  const text = esc(noteText(note));
  return { text, blocks: [section(text)] };
}

/** What the "Add to incident timeline" shortcut tells whoever used it (mrkdwn). */
export function shortcutAnswer(outcome: ShortcutOutcome): string {
  if (outcome.kind === 'added') return `📝 Added to the timeline of ${esc(outcome.incidentId)}.`;
  return `Nothing was added: this message is not in an incident’s thread, and its channel has no single open incident. Use \`${COMMAND} note KI-… <text>\` instead.`;
}
