/**
 * The postmortem as a Markdown document, streamed in chunks. The timeline is read exactly
 * once: everything before it comes from the incident and its actions, the timeline table
 * streams row by row, and what only the timeline knows (status events, findings) follows it.
 * Memory stays bounded: a few timestamps, a count, and at most `MAX_FINDINGS` findings.
 */
import { type TimelineEvent, TimelineEventType } from '../incident/incident.js';
import { cell, code, codeSpan, row } from './markdown-escape.js';
import { followUps } from './follow-ups.js';
import { keyTimesFromActions, KeyTimesTracker, sameKeyTimes } from './key-times.js';
import { renderActions, renderApprovals, renderFollowUps, renderKeyTimes, renderSummary, renderTitle } from './markdown-sections.js';
import { type ExportInput, utc } from './types.js';

/** Findings listed in full; more are counted (the JSON export has them all). */
export const MAX_FINDINGS = 200;

/** The fields of a `review.finding` event's details that the document shows. */
interface FindingRow {
  readonly eventTime: unknown;
  readonly category: unknown;
  readonly eventName: unknown;
  readonly summary: unknown;
  readonly region: unknown;
  readonly sourceIPAddress: unknown;
  readonly accessKeyId: unknown;
  readonly remedy: unknown;
  /** The AWS CLI command that undoes it, when there is one: copied, so shown verbatim. */
  readonly command: string | undefined;
}

class FindingCollector {
  readonly rows: FindingRow[] = [];
  private readonly seen = new Set<string>();
  dropped = 0;

  observe(e: TimelineEvent): void {
    if (e.type !== TimelineEventType.ReviewFinding) return;
    const d = e.details;
    // A review run twice records the same CloudTrail event twice.
    const id = typeof d['eventId'] === 'string' ? d['eventId'] : e.id;
    if (this.seen.has(id)) return;
    if (this.rows.length >= MAX_FINDINGS) {
      this.dropped += 1;
      return;
    }
    this.seen.add(id);
    const cleanup = d['cleanup'] as { kind?: unknown } | undefined;
    this.rows.push({
      eventTime: d['eventTime'] ?? e.at, category: d['category'], eventName: d['eventName'], summary: d['summary'] ?? e.summary,
      region: d['region'], sourceIPAddress: d['sourceIPAddress'], accessKeyId: d['accessKeyId'],
      remedy: d['consoleUrl'] ?? (cleanup?.kind !== undefined ? `bot can propose: ${String(cleanup.kind)}` : ''),
      command: typeof d['cliCommand'] === 'string' && d['cliCommand'] !== '' ? d['cliCommand'] : undefined,
    });
  }
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function timelineRow(e: TimelineEvent): string {
  return row([cell(utc(e.at)), cell(e.actor), cell(e.type), cell(e.summary)]);
}

function renderFindings(f: FindingCollector): string {
  if (f.rows.length === 0) return '## CloudTrail findings\n\nNo findings recorded.\n\n';
  const rows = f.rows.map((x) => row([
    cell(utc(str(x.eventTime))), cell(x.category), cell(x.eventName), cell(x.summary), cell(x.region),
    cell(x.sourceIPAddress), typeof x.accessKeyId === 'string' ? code(x.accessKeyId) : ' ',
    x.command === undefined ? cell(x.remedy) : codeSpan(x.command, { inCell: true }),
  ]));
  return [
    '## CloudTrail findings\n\n',
    row(['Time (UTC)', 'Category', 'Event', 'Summary', 'Region', 'Source IP', 'Key', 'Cleanup']),
    row(Array(8).fill('---')), ...rows,
    f.dropped > 0 ? `\n…and ${f.dropped} more finding(s), listed in the JSON export.\n` : '', '\n',
  ].join('');
}

/**
 * Renders the postmortem. `now` stamps the document and measures how long an uncontained
 * incident has been open. Yields a few large chunks, then one per timeline event.
 */
export async function* renderMarkdown(input: ExportInput, now: Date): AsyncGenerator<string, void, undefined> {
  const { incident, actions } = input;
  const fromActions = keyTimesFromActions(incident, actions);
  yield renderTitle(incident, now);
  yield renderSummary(incident, fromActions, now);
  yield renderKeyTimes('Key times', 'From the incident and its actions; the timeline below is the full record.', fromActions, now);
  yield renderApprovals(actions);
  yield renderActions(actions);
  yield renderFollowUps(followUps(incident, actions));

  yield `## Timeline\n\n${row(['Time (UTC)', 'Actor', 'Event', 'Summary'])}${row(['---', '---', '---', '---'])}`;
  const times = new KeyTimesTracker(incident);
  const findings = new FindingCollector();
  for await (const e of input.events) {
    times.observe(e);
    findings.observe(e);
    yield timelineRow(e);
  }
  yield times.count === 0 ? '\nNo events recorded.\n\n' : `\n${times.count} event(s).\n\n`;

  const fromTimeline = times.result(fromActions);
  if (!sameKeyTimes(fromActions, fromTimeline)) {
    const note = 'The timeline records moments the actions do not show; these supersede the key times above.';
    yield renderKeyTimes('Key times, from the timeline', note, fromTimeline, now);
  }
  yield renderFindings(findings);
}
