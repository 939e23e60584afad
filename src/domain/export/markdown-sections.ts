/** The parts of the Markdown postmortem that need no timeline: each returns finished Markdown. */
import { type Action, ActionStatus } from '../action/lifecycle.js';
import type { AccountFinding } from '../assessment/assessment.js';
import { ACTIONS, targetName } from '../action/kinds.js';
import { type Incident, IncidentStatus } from '../incident/incident.js';
import { cell, code, escapeMarkdown as esc, row } from './markdown-escape.js';
import { duration, type KeyTimes } from './key-times.js';
import { utc } from './types.js';

const actionTitle = (a: Action) => ACTIONS[a.kind]?.title ?? a.kind;
const line = (label: string, value: string) => `- **${label}:** ${value}\n`;

export function renderTitle(incident: Incident, now: Date): string {
  return `# ${esc(incident.id)} · exposed access key ${esc(incident.keyId)}\n\n_Postmortem export, generated ${utc(now.toISOString())} UTC._\n\n`;
}

/** "Time to contain", the document's headline figure. */
export function containHeadline(incident: Incident, times: KeyTimes, now: Date): string {
  const took = duration(times.openedAt, times.containedAt);
  if (took !== undefined) return `**Time to contain: ${took}**`;
  if (times.containedAt !== undefined) return `**Contained at ${utc(times.containedAt)} UTC**`;
  if (incident.status !== IncidentStatus.Open) return '**Contained** (time not recorded on the incident; see the key times after the timeline)';
  const open = duration(times.openedAt, now.toISOString());
  return `**Not contained yet**${open ? ` (open for ${open})` : ''}`;
}

function accountReach(account: AccountFinding): string {
  if (account.sameAccount) return ' (the bot’s account)';
  return account.reach?.kind === 'role' ? ` (another account, through ${code(account.reach.roleArn)})` : ' (another account, out of the bot’s reach)';
}

export function renderSummary(incident: Incident, times: KeyTimes, now: Date): string {
  const a = incident.assessment;
  const owner = a.owner
    ? `${code(a.owner.userName)}${a.owner.userArn ? ` (${code(a.owner.userArn)})` : ''}${a.owner.keyStatus ? `, key ${esc(a.owner.keyStatus)} when assessed` : ''}`
    : a.session ? `session of ${code(a.session.roleArn ?? a.session.userName ?? 'unknown')}` : 'unknown';
  const account = a.account
    ? `${code(a.account.accountId)}${a.account.organization?.member ? ` ${esc(a.account.organization.name)}` : ''}${accountReach(a.account)}`
    : 'unknown';
  const access = a.permissions
    ? `${esc(a.permissions.level)}: ${esc(a.permissions.summary)}${a.permissions.quarantinePolicies.length ? ` (quarantine: ${a.permissions.quarantinePolicies.map(code).join(', ')})` : ''}`
    : 'not assessed';
  const used = a.owner?.lastUsed === null ? 'never' : a.owner?.lastUsed
    ? `${utc(a.owner.lastUsed.at)} UTC, ${esc(a.owner.lastUsed.service)} in ${esc(a.owner.lastUsed.region)}` : 'unknown';
  const rec = a.recommendation ? `${esc(a.recommendation.headline)}: ${esc(a.recommendation.reason)}` : 'none';
  const r = incident.review;
  const review = !r ? 'not run' : r.status === 'running' ? 'running' : esc(r.verdict ?? 'done, no verdict recorded');
  return [
    '## Summary\n\n',
    `${containHeadline(incident, times, now)}\n\n`,
    line('Key', code(incident.keyId)),
    line('Status', esc(incident.status)),
    line('Opened', `${utc(incident.openedAt)} UTC by ${code(incident.openedBy)}`),
    line('Owner', owner),
    line('Account', account),
    line('Access', access),
    line('Last used', used),
    line('Recommendation', rec),
    line('CloudTrail review', review),
    ...(incident.note ? [line('Note', esc(incident.note))] : []),
    ...(incident.resolution ? [line('Resolution', esc(incident.resolution))] : []),
    '\n',
  ].join('');
}

/** Key moments and durations; `label` tells where they came from. */
export function renderKeyTimes(heading: string, note: string, t: KeyTimes, now: Date): string {
  const when = (iso: string | undefined, missing: string) => (iso ? `${utc(iso)} UTC` : missing);
  const since = (iso: string | undefined) => duration(t.openedAt, iso) ?? '—';
  const rows = [
    row(['Opened', when(t.openedAt, '—'), '—']),
    row(['First action', when(t.firstActionAt, 'no action succeeded'), since(t.firstActionAt)]),
    row(['Contained', when(t.containedAt, 'not contained yet'), t.containedAt ? since(t.containedAt) : `open for ${duration(t.openedAt, now.toISOString()) ?? '—'}`]),
    row(['Resolved', when(t.resolvedAt, 'not resolved'), since(t.resolvedAt)]),
  ];
  const after = duration(t.containedAt, t.resolvedAt);
  return [
    `## ${heading}\n\n`, note ? `${note}\n\n` : '',
    row(['Moment', 'Time (UTC)', 'Since opened']), row(['---', '---', '---']), ...rows,
    after ? `\nContained to resolved: ${after}.\n` : '', '\n',
  ].join('');
}

function approvalLine(a: Action): string {
  const approvers = a.approvals.map((x) => `${code(x.userId)} at ${utc(x.at)}`).join(', ');
  const what: Record<string, string> = {
    [ActionStatus.Denied]: `denied by ${code(a.deniedBy ?? 'unknown')}`,
    [ActionStatus.Expired]: 'expired unapproved',
    [ActionStatus.Proposed]: `awaiting approval (${a.approvals.length} of ${a.approvalsRequired})`,
  };
  const decision = what[a.status] ?? `approved by ${approvers || 'nobody recorded'} (${a.approvalsRequired} required)`;
  return `- **${esc(actionTitle(a))}** (${code(targetName(a.kind, a.target))}): proposed by ${code(a.proposedBy)} at ${utc(a.proposedAt)}; ${decision}; ${esc(a.status)}\n`;
}

export function renderApprovals(actions: readonly Action[]): string {
  if (actions.length === 0) return '## Who approved what\n\nNo actions were proposed.\n\n';
  return `## Who approved what\n\n${actions.map(approvalLine).join('')}\n`;
}

export function renderActions(actions: readonly Action[]): string {
  if (actions.length === 0) return '';
  const rows = actions.map((a) => row([
    cell(actionTitle(a)), cell(targetName(a.kind, a.target)), cell(a.status), cell(a.outcome?.result ?? ''),
    cell(utc(a.finishedAt)), cell([a.outcome?.message, a.outcome?.code].filter(Boolean).join(' ')),
    (a.outcome?.requestIds ?? []).map(code).join(', ') || ' ',
  ]));
  return [
    '## Actions\n\n',
    row(['Action', 'Target', 'Status', 'Result', 'Finished (UTC)', 'Outcome', 'AWS request ids']),
    row(Array(7).fill('---')), ...rows, '\n',
  ].join('');
}

export function renderFollowUps(items: readonly string[]): string {
  if (items.length === 0) return '## Open follow-ups\n\nNone.\n\n';
  return `## Open follow-ups\n\n${items.map((x) => `- [ ] ${esc(x)}\n`).join('')}\n`;
}
