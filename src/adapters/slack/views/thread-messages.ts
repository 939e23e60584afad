/** Messages posted in the incident's thread as the assessment fills in. */
import type { AccountFinding, AssessmentProblem, PolicySource } from '../../../domain/assessment/assessment.js';
import { deploySteps, outOfReachReason } from '../../../domain/assessment/cross-account.js';
import type { Incident } from '../../../domain/incident/incident.js';
import { code, esc, slackDate } from '../mrkdwn-escape.js';
import { ActionId } from '../interaction-ids.js';
import { accessText, keyStateText, lastUsedText, otherKeysText } from './assessment-text.js';
import { type Block, button, context, fields, section } from './blocks.js';
import type { SlackMessage } from './root-message.js';

const SOURCE_LABEL: Record<PolicySource['kind'], string> = {
  inline: 'inline',
  managed: 'attached',
  'group-inline': 'group inline',
  'group-managed': 'group attached',
  boundary: 'boundary',
};

/** "`AdministratorAccess` (attached) — admin" */
export function sourceLine(s: PolicySource): string {
  const where = s.group ? `${SOURCE_LABEL[s.kind]}, group ${code(s.group)}` : SOURCE_LABEL[s.kind];
  return `${code(s.name)} (${where}) — ${esc(s.summary)}`;
}

const SOURCES_IN_THREAD = 5;

/** `"Prod" (ops@example.com)` from Organizations, or that the organization does not hold the account. */
function organizationText(acc: AccountFinding): string {
  const org = acc.organization;
  if (org === undefined) return '';
  if (!org.member) return ' It is *not an account of your organization*.';
  return ` Organizations names it *${esc(org.name)}*${org.email ? ` (${esc(org.email)})` : ''}${org.status && org.status !== 'ACTIVE' ? `, ${esc(org.status.toLowerCase())}` : ''}.`;
}

export function accountMessage(incident: Incident): SlackMessage | undefined {
  const acc = incident.assessment.account;
  if (!acc) return undefined;
  const org = organizationText(acc);
  if (acc.sameAccount) {
    return { text: esc(`Account ${acc.accountId}`), blocks: [section(`🏢 The key belongs to AWS account ${code(acc.accountId)}, this bot's account.${org}`)] };
  }
  if (acc.reach?.kind === 'role') {
    const text = `🏢 The key belongs to AWS account ${code(acc.accountId)}.${org}\nThe bot works there through its role ${code(acc.reach.roleArn)}: everything below is read and done in that account.`;
    return { text: esc(`Account ${acc.accountId}, through ${acc.reach.roleArn}`), blocks: [section(text)] };
  }
  const steps = deploySteps(acc, incident.id).map((s, i) => `${i + 2}. ${esc(s)}`);
  const blocks: Block[] = [
    section(`⚠️ *This key belongs to another AWS account:* ${code(acc.accountId)}${acc.botAccountId ? ` (the bot works in ${code(acc.botAccountId)})` : ''}.${org}\n${esc(outOfReachReason(acc) ?? '')}`),
    section([`1. Have someone with access to account ${code(acc.accountId)} disable the key *now*.`, ...steps].join('\n')),
  ];
  return { text: esc(`Account ${acc.accountId}: out of the bot's reach`), blocks };
}

export function ownerMessage(incident: Incident): SlackMessage | undefined {
  const a = incident.assessment;
  if (!a.owner) return undefined;
  const blocks: Block[] = [
    section(`👤 *Owner:* IAM user ${code(a.owner.userName)}`),
    fields([
      ['Key', keyStateText(a)],
      ['Last used', lastUsedText(a)],
      ['Other keys of this user', otherKeysText(a.owner.otherKeys)],
    ]),
  ];
  return { text: esc(`Owner: ${a.owner.userName}`), blocks };
}

export function permissionsMessage(incident: Incident): SlackMessage | undefined {
  const p = incident.assessment.permissions;
  if (!p) return undefined;
  const lines = p.sources.slice(0, SOURCES_IN_THREAD).map((s) => `• ${sourceLine(s)}`);
  if (p.sources.length > SOURCES_IN_THREAD) lines.push(`• …and ${p.sources.length - SOURCES_IN_THREAD} more`);
  if (p.sources.length === 0) lines.push('• no policies attached, inline or through groups');
  const blocks: Block[] = [section(`🔐 *What the key can do:* ${accessText(incident.assessment)}`), section(lines.join('\n'))];
  if (p.quarantinePolicies.length > 0) {
    blocks.push(context(`🛡️ AWS already attached ${p.quarantinePolicies.map(code).join(', ')}: it denies the riskiest actions, but the key still works for the rest.`));
  }
  blocks.push(button(ActionId.PermissionDetails, 'All permission details', incident.id));
  return { text: esc(`Access: ${p.summary}`), blocks };
}

export function recommendationMessage(incident: Incident): SlackMessage | undefined {
  const r = incident.assessment.recommendation;
  if (!r) return undefined;
  const steps = r.steps.map((s, i) => `${i + 1}. ${esc(s)}`).join('\n');
  return {
    text: esc(`Recommendation: ${r.headline}`),
    blocks: [section(`👉 *${esc(r.headline)}*\n${esc(r.reason)}`), section(steps)],
  };
}

/** Several parts as one message: blocks one after the other, the texts joined. */
export function joinMessages(parts: readonly (SlackMessage | undefined)[]): SlackMessage | undefined {
  const shown = parts.filter((m): m is SlackMessage => m !== undefined);
  if (shown.length === 0) return undefined;
  return { text: shown.map((m) => m.text).join(' · '), blocks: shown.flatMap((m) => m.blocks) };
}

export function problemMessage(problem: AssessmentProblem): SlackMessage {
  return {
    text: esc(`Problem: ${problem.code}`),
    blocks: [section(`⚠️ ${code(problem.code)} ${esc(problem.message)}`)],
  };
}

export function sessionMessage(incident: Incident): SlackMessage | undefined {
  const s = incident.assessment.session;
  if (!s) return undefined;
  const whose = s.kind === 'role'
    ? `role ${code(s.roleName ?? s.roleArn ?? '?')}${s.sessionName ? ` (session ${code(s.sessionName)})` : ''}`
    : `IAM user ${code(s.userName ?? '?')}`;
  const parent = s.parentKeyId
    ? `\nIssued by key ${code(s.parentKeyId)} via ${esc(s.issuedVia ?? '?')}: contain it too (\`/key-incident ${esc(s.parentKeyId)}\`).`
    : '';
  return {
    text: esc(`Temporary key of ${s.kind === 'role' ? s.roleName ?? s.roleArn : s.userName}`),
    blocks: [
      section(`⏳ *Temporary key: it cannot be disabled.* It belongs to a session of ${whose}.${parent}`),
      context(`${s.events} CloudTrail event${s.events === 1 ? '' : 's'} made with it, ${slackDate(s.firstSeen)} → ${slackDate(s.lastSeen)}`),
    ],
  };
}
