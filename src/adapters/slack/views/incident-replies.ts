/** Ephemeral answers for list, status, note, contain, resolve, reopen and export. */
import type { Incident } from '../../../domain/incident/incident.js';
import { refusalReply } from './refusals.js';
import type { ExportOutcome } from '../../../services/export-incident.js';
import type { StatusOutcome } from '../../../services/incident-status.js';
import { code, esc, mention, slackDate } from '../mrkdwn-escape.js';
import { accessText, ownerText } from './assessment-text.js';
import { type Block, context, section } from './blocks.js';
import type { SlackMessage } from './root-message.js';

const STATUS_ICON: Record<Incident['status'], string> = { open: '🔴', contained: '🟡', resolved: '🟢' };

function link(incident: Incident, permalink?: string): string {
  return permalink ? `<${permalink}|${esc(incident.id)}>` : `*${esc(incident.id)}*`;
}

export function listReply(items: ReadonlyArray<{ incident: Incident; permalink?: string }>): SlackMessage {
  if (items.length === 0) return { text: 'No open incidents.', blocks: [section('✅ No open incidents.')] };
  const lines = items.slice(0, 30).map(({ incident: i, permalink }) =>
    `${STATUS_ICON[i.status]} ${link(i, permalink)} · ${code(i.keyId)} · ${esc(i.status)} · opened ${slackDate(i.openedAt)} by ${mention(i.openedBy)}`);
  const blocks: Block[] = [section(`*Open incidents* (newest first)\n${lines.join('\n')}`)];
  if (items.length > 30) blocks.push(context(`…and ${items.length - 30} more.`));
  return { text: `${items.length} open incident(s).`, blocks };
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
