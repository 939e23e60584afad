/** The CloudTrail review in the thread: progress, summary with the credential tree, findings. */
import type { IncidentReview, UnreadTrail } from '../../../domain/incident/incident.js';
import type { ReviewResult } from '../../../domain/review/review-run.js';
import { MAX_GROUPS_PER_RULE } from '../../../domain/review/finding-groups.js';
import { type FindingGroup, FindingCategory } from '../../../domain/review/types.js';
import type { ReviewProgress } from '../../../ports/notifier.js';
import { clip, code, esc, slackDate } from '../mrkdwn-escape.js';
import { type Block, context, section } from './blocks.js';
import type { SlackMessage } from './root-message.js';

const n = (x: number) => x.toLocaleString('en-US');

export function reviewProgressMessage(p: ReviewProgress, done: boolean): SlackMessage {
  const text = done
    ? `🔎 CloudTrail review finished: ${n(p.events)} events read from ${p.keys} key${p.keys === 1 ? '' : 's'}.`
    : `🔎 Reviewing CloudTrail… ${p.regionsDone}/${p.regions} region scans done, ${n(p.events)} events read so far.`;
  return { text, blocks: [section(text)] };
}

const top = (items: ReadonlyArray<{ value: string; count: number }>, max = 5) =>
  items.length === 0 ? 'none' : items.slice(0, max).map((i) => `${code(i.value)} ×${n(i.count)}`).join(', ') + (items.length > max ? ` +${items.length - max} more` : '');

const CAP: Record<UnreadTrail['cap'], string> = {
  pages: 'page cap, `REVIEW_MAX_PAGES_PER_REGION`',
  time: 'time cap, `REVIEW_MAX_SECONDS_PER_REGION`',
};

/** What the caps left unread, and how to read it; undefined when everything was read. */
function unreadSection(review: IncidentReview | undefined, exposedKey: string): string | undefined {
  const unread = review?.unread ?? [];
  if (unread.length === 0) return undefined;
  const lines = unread.map((u) => {
    const key = u.accessKeyId === exposedKey ? 'the exposed key' : code(u.accessKeyId);
    return `• ${code(u.region)}, ${key}: nothing before ${slackDate(u.before)} was read (${CAP[u.cap]})`;
  });
  if (review?.unreadMore) lines.push(`• +${n(review.unreadMore)} more regions and keys`);
  return `⚠️ *Partial review:* a cap stopped it before all of CloudTrail was read; findings and figures cover only what was read.\n${lines.join('\n')}\n`
    + 'To read the rest, raise `REVIEW_MAX_PAGES_PER_REGION` or `REVIEW_MAX_SECONDS_PER_REGION` and review again, or review fewer days.';
}

/** The summary; `review` (as stored, with what the caps left unread) and the exposed key say whether it is partial. */
export function reviewSummaryMessage(r: ReviewResult, exposedKey: string, review?: IncidentReview): SlackMessage {
  const a = r.activity;
  const range = a.firstEventTime && a.lastEventTime ? `${slackDate(a.firstEventTime)} → ${slackDate(a.lastEventTime)}` : 'no events';
  const bursts = a.errorBursts.length === 0 ? 'none'
    : a.errorBursts.slice(0, 3).map((b) => `${n(b.count)} denied calls in ${esc(b.region)} from ${slackDate(b.start, '{time}')}`).join('; ');
  const lines = [
    `*Verdict:* ${esc(r.verdict)}`,
    `*Events:* ${n(a.events)} (${n(a.writes)} writes, ${n(a.reads)} reads, ${n(a.errors)} errors) · ${range}`,
    `*Source IPs:* ${top(a.sourceIps)}`,
    `*User agents:* ${top(a.userAgents, 3)}`,
    `*Regions:* ${top(a.regions)} · *Services:* ${top(a.services)}`,
    `*Denied-call bursts:* ${bursts}`,
  ];
  const blocks: Block[] = [section(`📋 *CloudTrail review*\n${lines.join('\n')}`)];
  const partial = unreadSection(review, exposedKey);
  if (partial) blocks.push(section(partial));
  if (r.credentials.length > 0) {
    blocks.push(section(`🌳 *Temporary keys made from it* (${r.credentials.length}):\n\`\`\`${clip(esc(r.tree).replace(/`/g, 'ˋ'), 2800)}\`\`\``));
  }
  return { text: esc(`CloudTrail review: ${r.verdict}`), blocks };
}

const ICON: Record<FindingGroup['category'], string> = {
  [FindingCategory.IamPersistence]: '🪝',
  [FindingCategory.DefenceEvasion]: '🙈',
  [FindingCategory.Spend]: '💸',
  [FindingCategory.Data]: '📦',
};

/** When: one time, or how many times between the first and the last. */
function seen(f: FindingGroup): string {
  if (f.count <= 1) return slackDate(f.firstSeen);
  return `${n(f.count)} times, first ${slackDate(f.firstSeen)}, last ${slackDate(f.lastSeen)}`;
}

/** The event ids to look up: the earliest few, and how many more there are. */
function eventIds(f: FindingGroup): string {
  const ids = f.sampleEventIds.length > 0 ? f.sampleEventIds : [f.eventId];
  const more = f.count - ids.length;
  return `${ids.length === 1 ? 'event' : 'events'} ${ids.map(code).join(', ')}${more > 0 ? ` +${n(more)} more` : ''}`;
}

function findingLine(f: FindingGroup): string {
  const what = f.folded
    ? `${code(f.eventName)} on resources not listed one by one (only the first ${MAX_GROUPS_PER_RULE} of a kind are)`
    : esc(f.summary);
  const where = [seen(f), esc(f.region), f.sourceIPAddress ? `from ${code(f.sourceIPAddress)}` : undefined, eventIds(f)].filter(Boolean).join(' · ');
  const fix = [
    f.cliCommand ? `\`${esc(f.cliCommand).replace(/`/g, 'ˋ')}\`` : undefined,
    // Console links come from our own rules (fixed hosts); still escaped so nothing can forge one.
    f.consoleUrl && /^https:\/\/[a-z0-9.-]*console\.aws\.amazon\.com\//.test(f.consoleUrl) ? `<${f.consoleUrl.replace(/[<>|]/g, '')}|console>` : undefined,
  ].filter(Boolean).join(' · ');
  return `${ICON[f.category]} ${what}\n      ${where}${fix ? `\n      ${fix}` : ''}`;
}

/** Findings, several per message (Slack's section limit), the most urgent categories first. */
export function reviewFindingsMessages(findings: readonly FindingGroup[]): SlackMessage[] {
  const order = [FindingCategory.IamPersistence, FindingCategory.DefenceEvasion, FindingCategory.Spend, FindingCategory.Data];
  const sorted = [...findings].sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category));
  const messages: SlackMessage[] = [];
  for (let i = 0; i < sorted.length && messages.length < 10; i += 8) {
    const chunk = sorted.slice(i, i + 8);
    const blocks: Block[] = chunk.map((f) => section(findingLine(f)));
    if (i === 0) blocks.unshift(section(`🚩 *${findings.length} finding${findings.length === 1 ? '' : 's'}* to look at:`));
    messages.push({ text: esc(`${findings.length} CloudTrail findings`), blocks });
  }
  if (sorted.length > 80) messages.at(-1)!.blocks.push(context(`…and ${sorted.length - 80} more in the timeline export.`));
  return messages;
}
