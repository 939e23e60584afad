import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../../src/domain/action/kinds.js';
import { TimelineEventType } from '../../../../src/domain/incident/incident.js';
import { renderMarkdown } from '../../../../src/domain/export/markdown.js';
import { action, at, event, incident, KEY, stream, text } from './builders.js';

const NOW = new Date(at(90));

/** The lines of one `## heading` section. */
function section(doc: string, heading: string): string[] {
  const start = doc.indexOf(`## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end).split('\n').filter(Boolean);
}

/** Every table row has as many unescaped pipes as its header. */
function tableShapes(doc: string): number[] {
  return doc.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split(/(?<!\\)\|/).length);
}

describe('the Markdown postmortem', () => {
  it('leads with the incident id, the key and the time to contain', async () => {
    const doc = await text(renderMarkdown({ incident: incident(), actions: [action(ActionKind.DisableKey, { finishedMin: 12 })], events: stream([]) }, NOW));
    expect(doc.startsWith(`# KI-7F3A9C · exposed access key ${KEY}\n`)).toBe(true);
    expect(section(doc, 'Summary')).toContain('**Time to contain: 12 min**');
    expect(section(doc, 'Summary')).toContain('- **Owner:** `deploy-bot`, key Active when assessed');
    expect(section(doc, 'Summary')).toContain('- **CloudTrail review:** not run');
  });

  it('says "not contained yet" with how long it has been open', async () => {
    const doc = await text(renderMarkdown({ incident: incident(), actions: [], events: stream([]) }, NOW));
    expect(section(doc, 'Summary')).toContain('**Not contained yet** (open for 1 h 30 min)');
    expect(section(doc, 'Key times')).toContain('| Contained | not contained yet | open for 1 h 30 min |');
  });

  it('lists key times and the durations since opening', async () => {
    const doc = await text(renderMarkdown({ incident: incident(), actions: [
      action(ActionKind.RevokeSessions, { finishedMin: 5 }), action(ActionKind.DisableKey, { finishedMin: 12 }),
    ], events: stream([]) }, NOW));
    const times = section(doc, 'Key times');
    expect(times).toContain('| First action | 2026-11-29 03:05:00 UTC | 5 min |');
    expect(times).toContain('| Contained | 2026-11-29 03:12:00 UTC | 12 min |');
    expect(times).toContain('| Resolved | not resolved | — |');
  });

  it('adds key times from the timeline when it records a containment or resolution the actions do not', async () => {
    const events = [event(8, { type: 'incident.contained' as TimelineEventType }), event(50, { type: 'incident.resolved' as TimelineEventType })];
    const doc = await text(renderMarkdown({ incident: incident({ status: 'resolved' }), actions: [], events: stream(events) }, NOW));
    expect(section(doc, 'Summary')[1]).toContain('**Contained**');
    const later = section(doc, 'Key times, from the timeline');
    expect(later).toContain('| Contained | 2026-11-29 03:08:00 UTC | 8 min |');
    expect(later).toContain('| Resolved | 2026-11-29 03:50:00 UTC | 50 min |');
    expect(later).toContain('Contained to resolved: 42 min.');
  });

  it('takes the headline from the incident\'s containedAt, before reading the timeline', async () => {
    const doc = await text(renderMarkdown({ incident: incident({ status: 'resolved', containedAt: at(9), resolvedAt: at(30), resolution: 'Key deleted; app rotated.' }), actions: [], events: stream([]) }, NOW));
    expect(section(doc, 'Summary')).toContain('**Time to contain: 9 min**');
    expect(section(doc, 'Summary')).toContain('- **Resolution:** Key deleted; app rotated.');
    expect(section(doc, 'Key times')).toContain('| Resolved | 2026-11-29 03:30:00 UTC | 30 min |');
    expect(doc).not.toContain('Key times, from the timeline');
  });

  it('leaves out the second key times when the timeline agrees with the actions', async () => {
    const disable = action(ActionKind.DisableKey, { finishedMin: 12 });
    const succeeded = event(12, { type: TimelineEventType.ActionSucceeded, details: { actionId: disable.id, kind: 'disable-key', target: disable.target, result: 'done' } });
    const doc = await text(renderMarkdown({ incident: incident(), actions: [disable], events: stream([succeeded]) }, NOW));
    expect(doc).not.toContain('Key times, from the timeline');
  });

  it('shows who approved, who denied, and the AWS request ids', async () => {
    const deleted = action(ActionKind.DeleteKey, { finishedMin: 20, outcome: { requestIds: ['req-a', 'req-b'] } });
    const denied = { ...action(ActionKind.DeleteUser, { approvers: [] }), status: 'denied' as const, deniedBy: 'U0NO' };
    const doc = await text(renderMarkdown({ incident: incident(), actions: [deleted, denied], events: stream([]) }, NOW));
    const approvals = section(doc, 'Who approved what').join('\n');
    expect(approvals).toContain(`**Delete access key** (\`${KEY}\`): proposed by \`U0OPENER\` at 2026-11-29 03:01:00; approved by \`U0APPROVER\` at 2026-11-29 03:01:00, \`U0SECOND\` at 2026-11-29 03:01:00 (2 required); succeeded`);
    expect(approvals).toContain('denied by `U0NO`');
    expect(section(doc, 'Actions').find((l) => l.includes('Delete access key'))).toContain('`req-a`, `req-b`');
  });

  it('lists open follow-ups as a checklist', async () => {
    const doc = await text(renderMarkdown({ incident: incident(), actions: [action(ActionKind.CreateReplacementKey, { finishedMin: 3 })], events: stream([]) }, NOW));
    const items = section(doc, 'Open follow-ups');
    expect(items).toContain('- [ ] Sessions not revoked: temporary credentials obtained with the key keep working until they expire.');
    expect(items.some((l) => l.includes('not yet rotated into the app'))).toBe(true);
  });

  it('streams the timeline in the order given, equal timestamps included', async () => {
    const same = at(3);
    const events = [
      event(1, { id: '01JD0000000000000000000003', at: same, summary: 'third id, first given' }),
      event(2, { id: '01JD0000000000000000000001', at: same, summary: 'first id, second given' }),
      event(3, { id: '01JD0000000000000000000002', at: same, summary: 'second id, third given' }),
    ];
    const rows = section(await text(renderMarkdown({ incident: incident(), actions: [], events: stream(events) }, NOW)), 'Timeline').slice(3, 6);
    expect(rows.map((r) => r.split(' | ')[3]!.replace(/ \|$/, ''))).toEqual(['third id, first given', 'first id, second given', 'second id, third given']);
  });

  it('keeps hostile summaries, actors and findings inside their table cells', async () => {
    const hostile = '| a | b |\n# heading\n```\n<script>alert(1)</script> [link](javascript:alert(1))';
    const events = [
      event(1, { actor: 'U0|X', summary: hostile }),
      event(2, { type: TimelineEventType.ReviewFinding, summary: hostile, details: { category: 'iam-persistence', eventName: 'CreateUser', summary: hostile, eventId: 'e1', eventTime: at(-10), region: 'us-east-1', sourceIPAddress: '203.0.113.7', cliCommand: 'aws iam delete-user --user-name "x|y"' } }),
    ];
    const doc = await text(renderMarkdown({ incident: incident({ note: hostile, keyId: 'AKIA`|#' }), actions: [], events: stream(events) }, NOW));
    expect(doc).not.toContain('<script>');
    expect(doc).not.toMatch(/^#(?!#? )/m);
    expect(doc).not.toMatch(/^```/m);
    expect(doc).not.toMatch(/(?<!\\)\](?:\(|\\\()javascript/);
    const shapes = tableShapes(section(doc, 'Timeline').join('\n'));
    expect(new Set(shapes)).toEqual(new Set([6]));
    expect(new Set(tableShapes(section(doc, 'CloudTrail findings').join('\n')))).toEqual(new Set([10]));
  });

  it('puts a finding\'s CLI command in a code span, quoting kept, and bare URLs in notes in code spans', async () => {
    const command = `aws iam delete-user-policy --user-name 'o'\\''brien' --policy-name "ops_*" --region us-east-1`;
    const note = 'leaked in https://gist.example/u/abc_def, see www.wiki.example';
    const events = [
      event(1, { summary: note }),
      event(2, { type: TimelineEventType.ReviewFinding, details: { category: 'iam-persistence', eventName: 'PutUserPolicy', summary: 'Put policy', eventId: 'e1', eventTime: at(-10), region: 'us-east-1', cliCommand: command } }),
    ];
    const doc = await text(renderMarkdown({ incident: incident({ note }), actions: [], events: stream(events) }, NOW));
    expect(section(doc, 'CloudTrail findings').find((l) => l.includes('PutUserPolicy'))).toContain(`| \`${command}\` |`);
    const shown = 'leaked in `https://gist.example/u/abc_def,` see `www.wiki.example`';
    expect(section(doc, 'Summary')).toContain(`- **Note:** ${shown}`);
    expect(section(doc, 'Timeline').some((l) => l.includes(shown))).toBe(true);
  });

  it('lists each CloudTrail finding once, even when a second review records it again', async () => {
    const finding = (n: number) => event(n, { type: TimelineEventType.ReviewFinding, details: { category: 'spend', eventName: 'RunInstances', summary: 'Started 40 instances', eventId: 'ct-1', eventTime: at(-5), region: 'eu-west-1' } });
    const doc = await text(renderMarkdown({ incident: incident(), actions: [], events: stream([finding(1), finding(2)]) }, NOW));
    expect(section(doc, 'CloudTrail findings').filter((l) => l.includes('RunInstances'))).toHaveLength(1);
  });
});
