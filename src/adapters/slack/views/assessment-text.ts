/** Assessment facts as short mrkdwn strings, shared by the root message and the thread. */
import type { AccessKeyMeta, Assessment, LastUse } from '../../../domain/assessment/assessment.js';
import { AccessLevel, canActIn } from '../../../domain/assessment/assessment.js';
import { type MissingFinding, whyMissing } from '../../../domain/assessment/missing-finding.js';
import { code, esc, slackDate } from '../mrkdwn-escape.js';

export const PENDING = '_checking…_';

/** What a cell shows for a finding that is not known. */
const MISSING: Readonly<Record<MissingFinding, string>> = { failed: '⚠️ unknown', pending: PENDING, 'not-available': '—' };

export function accountText(a: Assessment): string {
  if (!a.account) return MISSING[whyMissing(a, 'account')];
  const id = code(a.account.accountId);
  const name = a.account.organization?.member ? ` ${esc(a.account.organization.name)}` : '';
  if (a.account.sameAccount) return `${id}${name} (this bot's account)`;
  return canActIn(a.account) ? `${id}${name} (another account, through its role)` : `${id}${name} ⚠️ *another account, out of reach*`;
}

export function lastUsedText(a: Assessment): string {
  if (a.session) return slackDate(a.session.lastSeen);
  return a.owner ? lastUseText(a.owner.lastUsed) : MISSING[whyMissing(a, 'owner')];
}

export function lastUseText(lastUsed: LastUse | null): string {
  if (lastUsed === null) return 'never';
  return `${slackDate(lastUsed.at)} · ${esc(lastUsed.service)} · ${esc(lastUsed.region)}`;
}

export function ownerText(a: Assessment): string {
  if (a.session?.kind === 'role') return `role ${code(a.session.roleName ?? a.session.roleArn ?? '?')}`;
  return a.owner ? code(a.owner.userName) : MISSING[whyMissing(a, 'owner')];
}

export function keyStateText(a: Assessment): string {
  if (a.session) return '⏳ temporary (STS): cannot be disabled';
  const o = a.owner;
  if (!o) return MISSING[whyMissing(a, 'owner')];
  const status = o.keyStatus ? (o.keyStatus === 'Active' ? '🟢 Active' : `⚪ ${esc(o.keyStatus)}`) : 'unknown';
  return o.keyCreatedAt ? `${status}, created ${slackDate(o.keyCreatedAt, '{date_short}')}` : status;
}

export function otherKeysText(keys: readonly AccessKeyMeta[]): string {
  if (keys.length === 0) return 'none';
  return keys.map((k) => `${code(k.keyId)} ${esc(k.status)}`).join('\n');
}

const LEVEL_ICON: Record<AccessLevel, string> = {
  [AccessLevel.Admin]: '🔴',
  [AccessLevel.Permissions]: '🔴',
  [AccessLevel.Write]: '🟠',
  [AccessLevel.Read]: '🟡',
  [AccessLevel.Unknown]: '⚠️',
  [AccessLevel.None]: '⚪',
};

export function accessText(a: Assessment): string {
  const p = a.permissions;
  if (!p) return MISSING[whyMissing(a, 'permissions')];
  const quarantine = p.quarantinePolicies.length > 0 ? `\n🛡️ AWS quarantine policy attached` : '';
  return `${LEVEL_ICON[p.level]} ${esc(p.summary)}${quarantine}`;
}
