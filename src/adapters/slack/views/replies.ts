/** Ephemeral answers to the person who typed the command. */
import { isAccessKeyId } from '../../../domain/access-key.js';
import { outOfReachReason } from '../../../domain/assessment/cross-account.js';
import type { Incident } from '../../../domain/incident/incident.js';
import type { ParsedCommand } from '../../../domain/command.js';
import type { SecretKind } from '../../../domain/secrets.js';
import type { RestartOutcome } from '../../../services/assess-incident.js';
import type { OpenIncidentOutcome } from '../../../services/open-incident.js';
import type { ReviewOutcome } from '../../../services/review/review-incident.js';
import { code, esc, mention, slackDate } from '../mrkdwn-escape.js';
import { COMMAND } from '../interaction-ids.js';
import { type Block, context, section } from './blocks.js';
import type { SlackMessage } from './root-message.js';

const USAGE = `*Usage:* \`${COMMAND} AKIA…\` opens an incident for an exposed access key id (the 20-character AKIA… part, never the secret).`;

export function helpReply(): SlackMessage {
  const blocks: Block[] = [
    section(`🔑 *key-incident* walks you through an exposed AWS access key.\n${USAGE}`),
    section([
      `• \`${COMMAND} AKIA… [note]\` — open an incident (or show the one already open for that key); a temporary ASIA… key works too`,
      `• \`${COMMAND} review KI-7F3A9C [days]\` — review the key's CloudTrail activity again, up to 90 days back (default 7)`,
      `• \`${COMMAND} assess KI-…\` — assess the key again (after deploying the member-account role, or granting a permission)`,
      `• \`${COMMAND} accounts\` — which accounts of your AWS organization the bot can respond in (approvers)`,
      `• \`${COMMAND} list\` — open incidents, then those resolved in the last 30 days`,
      `• \`${COMMAND} status KI-…\` · \`note KI-… <text>\` — one incident, a note in its timeline; a key id (AKIA…) instead of KI-… names the key's latest incident, resolved or not`,
      `• \`${COMMAND} contain KI-…\` · \`resolve KI-… [summary]\` · \`reopen KI-…\` — change its status (approvers)`,
      `• \`${COMMAND} export KI-… [md|json|csv]\` — the postmortem, uploaded into the thread`,
      `• \`${COMMAND} help\` — this message`,
    ].join('\n')),
    context('The bot finds the owner, account, access and last use of the key, recommends what to do first, and records every step.'),
  ];
  return { text: `key-incident: ${COMMAND} AKIA… opens an incident for an exposed access key id.`, blocks };
}

export function invalidReply(reason: string): SlackMessage {
  return { text: esc(reason), blocks: [section(`🤔 ${esc(reason)}`), context(USAGE)] };
}

/** No incident answers to `ref`: an incident id, or a key id no incident was ever opened for. */
export function noIncidentReply(ref: string): SlackMessage {
  return invalidReply(isAccessKeyId(ref) ? `No incident was ever opened for ${ref}. \`${COMMAND} ${ref}\` opens one.` : `No incident ${ref}.`);
}

/** `ref` names no incident this person may see: the same words whether there is none or it is not theirs to see. */
export function noVisibleIncidentReply(ref: string): SlackMessage {
  return invalidReply(`There is no incident ${ref} that you can see here. Incidents are seen in their own channel, by its members, and by approvers.`);
}

/** The commands that refuse a resolved incident, and what they would have done. */
const AFTER_RESOLVE = {
  note: 'it takes no more notes',
  assess: 'its key is not assessed again',
  review: 'its key\'s CloudTrail is not reviewed again',
} as const;
export type AfterResolve = keyof typeof AFTER_RESOLVE;

/** `note`, `assess` or `review` on a resolved incident: why not, and what to do instead. */
export function resolvedReply(incident: Incident, command: AfterResolve): SlackMessage {
  return invalidReply(
    `${incident.id} (${incident.keyId}) is resolved, so ${AFTER_RESOLVE[command]}. An approver can reopen it with \`${COMMAND} reopen ${incident.id}\`, or \`${COMMAND} ${incident.keyId}\` opens a new incident for the key.`,
  );
}

/** A button or menu choice names no incident of the channel it was used in. */
export function notInChannelReply(): SlackMessage {
  return invalidReply('That belongs to no incident in this channel.');
}

/** "All permission details" names an incident of another channel. */
export function incidentNotInChannelReply(): SlackMessage {
  return invalidReply('That incident is not in this channel.');
}

const SECRET_WARNING =
  '⚠️ *That looks like a secret access key.* It was not stored, logged or shown to anyone by this bot, but treat it as exposed: the key it belongs to must be disabled and replaced.';

export function secretOnlyReply(): SlackMessage {
  return {
    text: 'That looks like a secret access key: treat it as exposed and disable its key.',
    blocks: [section(SECRET_WARNING), context(`Open an incident with the key *id* instead: ${USAGE}`)],
  };
}

export function secretAlsoSeenReply(incident: Incident): SlackMessage {
  return {
    text: `Opened ${incident.id}. You also pasted what looks like a secret access key.`,
    blocks: [section(`${SECRET_WARNING}\nIncident *${esc(incident.id)}* is open for ${code(incident.keyId)}; anything else you typed was dropped.`)],
  };
}

export function alreadyOpenReply(incident: Incident, permalink?: string): SlackMessage {
  const link = permalink ? `<${permalink}|Open ${esc(incident.id)}>` : `Look for *${esc(incident.id)}* in <#${incident.channelId}>`;
  return {
    text: `${incident.id} is already open for ${incident.keyId}.`,
    blocks: [
      section(`📌 *${esc(incident.id)}* is already open for ${code(incident.keyId)}, opened by ${mention(incident.openedBy)} ${slackDate(incident.openedAt)}.\n${link}`),
    ],
  };
}

export function beingOpenedReply(incident: Incident): SlackMessage {
  return {
    text: `${incident.id} is being opened for ${incident.keyId}.`,
    blocks: [section(`⏳ *${esc(incident.id)}* for ${code(incident.keyId)} is being opened right now by ${mention(incident.openedBy)}: it will appear in <#${incident.channelId}> in a moment.`)],
  };
}

export function cannotPostReply(incident: Incident): SlackMessage {
  return {
    text: `I cannot post in this conversation, so no incident was opened. Invite me, or use a channel I am in, and run the command again.`,
    blocks: [
      section(`🚪 *I can't post in <#${incident.channelId}>*, so nothing was opened for ${code(incident.keyId)}. Invite me there with \`/invite @key-incident\` and run \`${COMMAND} ${incident.keyId}\` again, or run it in a channel I am in (a direct message will not do).`),
      context(`${esc(incident.id)} was closed at once, so the key is free for the incident you open next.`),
    ],
  };
}

export function failureReply(correlationId: string): SlackMessage {
  return {
    text: `Something went wrong (${correlationId}).`,
    // Said without claiming anything about AWS: an error after an IAM change leaves that change made.
    blocks: [section(`💥 Something went wrong on my side. What was done is in the incident's thread and timeline; check there before trying again. If it persists, give your admin this reference: ${code(correlationId)}.`)],
  };
}

/** Why the assessment was not started again; undefined when it was. */
export function assessNotStartedReply(outcome: RestartOutcome): SlackMessage | undefined {
  if (outcome.kind === 'running') return invalidReply(`${outcome.incident.id} is being assessed right now; its findings will appear in the thread.`);
  if (outcome.kind === 'resolved') return invalidReply(`${outcome.incident.id} is resolved: reopen it first.`);
  return undefined;
}

export function assessStartedReply(incident: Incident): SlackMessage {
  const text = `🔁 Assessing ${code(incident.keyId)} again for *${esc(incident.id)}*: the findings will appear in the incident's thread.`;
  return { text: `Assessing ${incident.id} again.`, blocks: [section(text)] };
}

export function reviewStartedReply(incident: Incident, days?: number): SlackMessage {
  const text = `🔎 Reviewing CloudTrail for *${esc(incident.id)}* (${code(incident.keyId)}), last ${days ?? 7} days: results will appear in the incident's thread.`;
  return { text: `Reviewing CloudTrail for ${incident.id}.`, blocks: [section(text)] };
}

/** The note typed with the key id was not kept: it held a secret, named by kind only. */
function noteWithheldReply(incident: Incident, what: SecretKind): SlackMessage {
  return {
    text: `Opened ${incident.id}. Your note was not recorded: it held what looks like ${what}.`,
    blocks: [section(`Incident *${esc(incident.id)}* is open for ${code(incident.keyId)}. ⚠️ Your note was not recorded: it held what looks like ${what}. It was not stored, logged or shown by this bot, but treat that secret as exposed.`)],
  };
}

/** What the command held besides the key id, as `parseCommand` found it. */
type OpenExtras = Pick<Extract<ParsedCommand, { kind: 'open' }>, 'secretSeen' | 'noteWithheld'>;

/** `/key-incident AKIA…`; nothing when the incident's own messages say it all. */
export function openReply(outcome: OpenIncidentOutcome, extras: OpenExtras): SlackMessage | undefined {
  switch (outcome.kind) {
    case 'opened':
      if (extras.secretSeen) return secretAlsoSeenReply(outcome.incident);
      return extras.noteWithheld ? noteWithheldReply(outcome.incident, extras.noteWithheld) : undefined;
    case 'already-open':
      return alreadyOpenReply(outcome.incident, outcome.permalink);
    case 'being-opened':
      return beingOpenedReply(outcome.incident);
    case 'cannot-post':
      return cannotPostReply(outcome.incident);
    case 'retry-ignored':
      return undefined;
  }
}

/** `review` that did not start; nothing when it ran (its start was answered already). */
export function reviewRefusedReply(outcome: ReviewOutcome): SlackMessage | undefined {
  if (outcome.kind === 'already-running') return invalidReply(`A CloudTrail review of ${outcome.incident.id} is already running; its results will appear in the thread.`);
  if (outcome.kind === 'out-of-reach') return invalidReply(`${outOfReachReason(outcome.account) ?? ''} The steps to fix it are in the incident's thread.`);
  return undefined;
}

/** `assess`: started again, or why not. */
export function restartReply(incident: Incident, outcome: RestartOutcome): SlackMessage {
  return assessNotStartedReply(outcome) ?? assessStartedReply(incident);
}
