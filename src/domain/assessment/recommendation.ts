/** AWS's guidance for the order of containment, as a pure rule. */
import {
  AccessLevel,
  type Assessment,
  type LastUse,
  type Recommendation,
  RecommendedAction,
} from './assessment.js';
import { deploySteps, outOfReachReason } from './cross-account.js';

/** A key used this recently is probably in production use. */
export const RECENT_USE_MS = 60 * 60 * 1000;

const STEPS_AFTER_DISABLE = [
  'Revoke the sessions issued from the key (they outlive a disabled key).',
  'If something still needs access, create a replacement key (stored in Secrets Manager) or move it to a role.',
  'Review what the key did in CloudTrail and remove anything it created.',
];

function minutesAgo(at: string, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - Date.parse(at)) / 60_000));
}

function canWrite(level: AccessLevel): boolean {
  return level === AccessLevel.Admin || level === AccessLevel.Permissions || level === AccessLevel.Write;
}

/**
 * What to do first. Returns undefined until enough is known (account, and for a key of the
 * bot's account, owner and permissions or their failure).
 */
export function recommend(a: Assessment, now: Date): Recommendation | undefined {
  const outOfReach = a.account && outOfReachReason(a.account);
  if (a.account && outOfReach) return forOtherAccount(a.account, outOfReach);
  if (a.session) return forSession(a.session);
  const owner = a.owner;
  if (owner?.keyStatus === 'Inactive') {
    return {
      action: RecommendedAction.Review,
      headline: 'Key already inactive: revoke sessions and review',
      reason: 'The key is already disabled, but sessions issued from it may still be valid for up to 36 hours.',
      steps: STEPS_AFTER_DISABLE,
    };
  }
  const level = a.permissions?.level ?? (problemAt(a, 'permissions') ? AccessLevel.Unknown : undefined);
  if (!owner || level === undefined) return undefined;
  const recent = owner.lastUsed !== null && now.getTime() - Date.parse(owner.lastUsed.at) < RECENT_USE_MS;
  if (canWrite(level) || level === AccessLevel.Unknown) {
    const why = level === AccessLevel.Unknown ? 'its permissions could not be read, so assume the worst' : `it can ${level === AccessLevel.Write ? 'write' : 'administer the account'}`;
    return {
      action: RecommendedAction.DisableNow,
      headline: 'Disable the key now',
      reason: `Disable now: ${why}.${recent && owner.lastUsed ? ` It was used ${minutesAgo(owner.lastUsed.at, now)} min ago, so expect whatever uses it to fail; that is the lesser harm.` : ''}`,
      steps: ['Disable the key (reversible).', ...STEPS_AFTER_DISABLE],
    };
  }
  const secretReads = a.permissions?.secretReads ?? [];
  if (recent && owner.lastUsed && secretReads.length > 0) return disableSecretReader(owner.lastUsed, secretReads, now);
  if (recent && owner.lastUsed) {
    return {
      action: RecommendedAction.ReplaceFirst,
      headline: 'Read-only and in use: replace first, then disable',
      reason: `The key is read-only and was used ${minutesAgo(owner.lastUsed.at, now)} min ago (${owner.lastUsed.service}, ${owner.lastUsed.region}). Disabling it now will break whatever uses it.`,
      steps: [
        'Create a replacement key (stored in Secrets Manager) and deploy it where the old one is used.',
        'Disable the exposed key as soon as the replacement is live.',
        ...STEPS_AFTER_DISABLE,
      ],
    };
  }
  return {
    action: RecommendedAction.Disable,
    headline: 'Disable the key',
    reason: level === AccessLevel.None ? 'The key grants no permissions, but disable it anyway.' : 'The key is read-only and not used in the last hour: disabling it is unlikely to break anything.',
    steps: ['Disable the key (reversible).', ...STEPS_AFTER_DISABLE],
  };
}

/**
 * Read-only and in use, but it can read secret values: a replacement made while it is active
 * would be readable by it (through Secrets Manager or KMS), so it goes first.
 */
function disableSecretReader(lastUsed: LastUse, reads: readonly string[], now: Date): Recommendation {
  return {
    action: RecommendedAction.Disable,
    headline: 'Disable the key first: it can read secrets',
    reason: `The key is read-only but can call ${reads.join(', ')}, so it could read a replacement key stored in Secrets Manager while it is still active. Disable it first, then create the replacement. It was used ${minutesAgo(lastUsed.at, now)} min ago (${lastUsed.service}, ${lastUsed.region}): expect whatever uses it to fail until the replacement is deployed.`,
    steps: ['Disable the key (reversible).', 'Create a replacement key (stored in Secrets Manager, readable only by the named readers) and deploy it where the old one was used.', ...STEPS_AFTER_DISABLE.slice(0, 1), ...STEPS_AFTER_DISABLE.slice(2)],
  };
}

/** A key of an account the bot cannot act in: someone with access there disables it. */
function forOtherAccount(account: NonNullable<Assessment['account']>, outOfReach: string): Recommendation {
  const outside = account.organization?.member === false ? ' It is not an account of your organization: if nobody you know owns it, report the exposed key to AWS as abuse.' : '';
  return {
    action: RecommendedAction.Review,
    headline: `Key of another account (${account.accountId}): disable it there`,
    reason: `The key belongs to AWS account ${account.accountId}, not the bot's account${account.botAccountId ? ` ${account.botAccountId}` : ''}.${outside} ${outOfReach}`,
    steps: [
      `Have someone with access to account ${account.accountId} disable the key now (IAM console → Users → the key's owner → Security credentials → Deactivate).`,
      ...deploySteps(account),
    ],
  };
}

function problemAt(a: Assessment, stage: 'permissions'): boolean {
  return a.problems.some((p) => p.stage === stage);
}

/** A temporary key cannot be disabled: its sessions are revoked where they were issued. */
function forSession(s: NonNullable<Assessment['session']>): Recommendation {
  const whose = s.kind === 'role' ? `role ${s.roleName ?? s.roleArn}` : `user ${s.userName}`;
  const parent = s.parentKeyId
    ? [`Contain the key that issued it, ${s.parentKeyId}: open an incident on it with /key-incident ${s.parentKeyId}.`]
    : ['Find the key or principal that issued it (CloudTrail review below) and contain it too.'];
  return {
    action: RecommendedAction.Review,
    headline: `Temporary key: revoke the sessions of ${whose}`,
    reason: `This is a temporary key from an STS session (${s.issuedVia ?? (s.kind === 'role' ? 'AssumeRole' : 'GetSessionToken')}). It cannot be disabled; it works until it expires (up to 36 hours) unless the sessions of ${whose} are revoked.`,
    steps: [`Revoke the sessions of ${whose} issued before now.`, ...parent, 'Review what it did in CloudTrail and remove anything it created.'],
  };
}
