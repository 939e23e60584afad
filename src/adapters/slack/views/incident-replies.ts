/** Ephemeral answers for list, status, note, contain, resolve, reopen and export. */
import type { Incident } from '../../../domain/incident/incident.js';
import { refusalReply } from './refusals.js';
import type { ExportOutcome } from '../../../services/export-incident.js';
import type { StatusOutcome } from '../../../services/incident-status.js';
import type { IncidentListing, ListedIncident } from '../../../services/list-incidents.js';
import { COMMAND } from '../interaction-ids.js';
import { code, esc, mention, slackDate } from '../mrkdwn-escape.js';
import { accessText, ownerText } from './assessment-text.js';
import { type Block, context, section } from './blocks.js';
import type { SlackMessage } from './root-message.js';

const STATUS_ICON: Record<Incident['status'], string> = { open: '🔴', contained: '🟡', resolved: '🟢' };

function link(incident: Incident, permalink?: string): string {
  return permalink ? `<${permalink}|${esc(incident.id)}>` : `*${esc(incident.id)}*`;
}

/** Lines per section: a line is at most ~250 characters, a section's text at most 3,000. */
const LINES_PER_SECTION = 10;

/** `title` and `lines`, split into as many sections as they need. */
function titledSections(title: string, lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  for (let n = 0; n < lines.length; n += LINES_PER_SECTION) {
    blocks.push(section(`${n === 0 ? `${title}\n` : ''}${lines.slice(n, n + LINES_PER_SECTION).join('\n')}`));
  }
  return blocks;
}

const openLine = ({ incident: i, permalink }: ListedIncident) =>
  `${STATUS_ICON[i.status]} ${link(i, permalink)} · ${code(i.keyId)} · ${esc(i.status)} · opened ${slackDate(i.openedAt)} by ${mention(i.openedBy)}`;

const resolvedLine = ({ incident: i, permalink }: ListedIncident) =>
  `${STATUS_ICON[i.status]} ${link(i, permalink)} · ${code(i.keyId)} · resolved ${slackDate(i.resolvedAt ?? i.openedAt)}`;

/** `list`: the open incidents first, then the recently resolved ones, each under its own heading. */
export function listReply({ open, openCount, resolved, resolvedDays }: IncidentListing): SlackMessage {
  const blocks: Block[] = open.length === 0
    ? [section('✅ *No open incidents.*')]
    : titledSections(`*Open incidents* (${openCount}, newest first)`, open.map(openLine));
  if (openCount > open.length) blocks.push(context(`…and ${openCount - open.length} more open.`));
  blocks.push(...(resolved.length === 0
    ? [context(`None resolved in the last ${resolvedDays} days.`)]
    : titledSections(`*Resolved in the last ${resolvedDays} days* (last resolved first)`, resolved.map(resolvedLine))));
  blocks.push(context(`\`${COMMAND} status AKIA…\` or \`export AKIA…\` finds a key's latest incident, resolved or not.`));
  const text = `${openCount} open incident${openCount === 1 ? '' : 's'}; ${resolved.length} resolved in the last ${resolvedDays} days.`;
  return { text, blocks };
}

export function statusReply(i: Incident, permalink?: string): SlackMessage {
  const a = i.assessment;
  const lines = [
    `${STATUS_ICON[i.status]} ${link(i, permalink)} · ${code(i.keyId)} · *${esc(i.status)}*`,
    `Owner: ${ownerText(a)} · Access: ${accessText(a)}`,
    a.recommendation ? `Recommended: ${esc(a.recommendation.headline)}` : undefined,
    i.review?.verdict ? `CloudTrail (last ${i.review.days} days): ${esc(i.review.verdict)}` : undefined,
    `Opened ${slackDate(i.openedAt)}${i.containedAt ? ` · contained ${slackDate(i.containedAt)}` : ''}${i.resolvedAt ? ` · resolved ${slackDate(i.resolvedAt)}` : ''}`,
    i.resolution ? `Resolution: ${esc(i.resolution)}` : undefined,
  ].filter((l): l is string => l !== undefined);
  return { text: `${i.id}: ${i.status}`, blocks: [section(lines.join('\n'))] };
}

export function changedReply(i: Incident): SlackMessage {
  return { text: `${i.id} is now ${i.status}.`, blocks: [section(`${STATUS_ICON[i.status]} *${esc(i.id)}* is now *${esc(i.status)}*.`)] };
}

export function noteReply(i: Incident): SlackMessage {
  return { text: `Note added to ${i.id}.`, blocks: [section(`📝 Note added to the timeline of *${esc(i.id)}*.`)] };
}

export function exportedReply(i: Incident, filename: string): SlackMessage {
  return { text: `Exported ${i.id}.`, blocks: [section(`📄 ${code(filename)} is in the thread of *${esc(i.id)}*.`)] };
}

/** Contain, resolve or reopen: the new status, or why it was refused. */
export function statusChangeReply(outcome: StatusOutcome): SlackMessage {
  return outcome.kind === 'changed' ? changedReply(outcome.incident) : refusalReply(outcome.reason);
}

/** An export: where the file is, or why it was refused. */
export function exportReply(incident: Incident, outcome: ExportOutcome): SlackMessage {
  return outcome.kind === 'uploaded' ? exportedReply(incident, outcome.filename) : refusalReply(outcome.reason);
}
