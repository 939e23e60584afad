/**
 * The assessment's findings from AWS's answers, one per stage: how each changes the
 * assessment, the timeline event that records it and the thread message that shows it. An AWS
 * failure at a stage is carried as a failure of that stage.
 */
import type { AccessKeyMeta, AccountFinding, Assessment, AssessmentStage, LastUse, OwnerFinding, SessionFinding } from '../domain/assessment/assessment.js';
import { assessPermissions } from '../domain/assessment/permissions.js';
import { withAccount, withOwner, withPermissions, withSession } from '../domain/assessment/rules.js';
import { AwsError } from '../domain/errors.js';
import { type TimelineEvent, TimelineEventType } from '../domain/incident/incident.js';
import type { ThreadUpdateKind } from '../ports/notifier.js';
import type { ServiceDeps } from './deps.js';

/** One stage's outcome, recorded and shown in stage order. */
export type StageResult =
  | {
    readonly ok: true;
    readonly stage: AssessmentStage;
    /** Applied to the assessment as stored when it is recorded. */
    readonly apply: (a: Assessment) => Assessment;
    readonly event: Pick<TimelineEvent, 'type' | 'summary' | 'details'>;
    readonly thread: ThreadUpdateKind;
  }
  | { readonly ok: false; readonly stage: AssessmentStage; readonly error: AwsError };

/** The owner of a long-term key and its last use, as `GetAccessKeyLastUsed` gives them. */
export interface KeyUse {
  readonly userName: string;
  readonly lastUsed: LastUse | null;
}

/** The stage's result once `read` settles: an AWS failure becomes the stage's failure, any other error is thrown. */
export function settle(stage: AssessmentStage, read: Promise<StageResult | undefined>): Promise<StageResult | undefined> {
  return read.catch((err: unknown) => {
    if (err instanceof AwsError) return { ok: false, stage, error: err };
    throw err;
  });
}

function accountSummary(a: AccountFinding): string {
  const org = a.organization?.member === true ? ` ("${a.organization.name}" in the organization)` : a.organization?.member === false ? ' (not in the organization)' : '';
  if (a.sameAccount) return `Key belongs to account ${a.accountId}${org} (the bot's account)`;
  const how = a.reach?.kind === 'role' ? `the bot works there through ${a.reach.roleArn}`
    : a.reach?.kind === 'refused' ? `the bot could not assume ${a.reach.roleArn} (${a.reach.code})`
    : a.reach?.kind === 'not-allowed' ? `${a.reach.code ? `its membership of the organization could not be checked (${a.reach.code})` : 'it is not in the organization'} and not in ALLOWED_ACCOUNT_IDS: no role assumed`
    : 'cross-account response is off';
  return `Key belongs to another account: ${a.accountId}${org}; ${how}`;
}

export function accountResult(finding: AccountFinding): StageResult {
  return {
    ok: true,
    stage: 'account',
    apply: (a) => withAccount(a, finding),
    event: { type: TimelineEventType.AccountIdentified, summary: accountSummary(finding), details: { ...finding } },
    thread: 'account',
  };
}

export function ownerResult(keyId: string, { userName, lastUsed }: KeyUse, keys: readonly AccessKeyMeta[]): StageResult {
  const own = keys.find((k) => k.keyId === keyId);
  const owner: OwnerFinding = {
    userName,
    ...(own ? { keyStatus: own.status } : {}),
    ...(own?.createdAt ? { keyCreatedAt: own.createdAt } : {}),
    otherKeys: keys.filter((k) => k.keyId !== keyId),
    lastUsed,
  };
  return {
    ok: true,
    stage: 'owner',
    apply: (a) => withOwner(a, owner),
    event: {
      type: TimelineEventType.OwnerIdentified,
      summary: `Owner is IAM user ${userName}; key ${own?.status ?? 'status unknown'}; last used ${lastUsed ? `${lastUsed.at} (${lastUsed.service}, ${lastUsed.region})` : 'never'}`,
      details: { ...owner },
    },
    thread: 'owner',
  };
}

export function sessionResult(session: SessionFinding): StageResult {
  const whose = session.kind === 'role' ? `role ${session.roleArn}` : `user ${session.userName}`;
  // A user's session: the user is the owner whose permissions are read next.
  const user = session.kind === 'user' && session.userName
    ? { userName: session.userName, otherKeys: [], lastUsed: { at: session.lastSeen, service: 'N/A', region: 'N/A' } }
    : undefined;
  return {
    ok: true,
    stage: 'session',
    apply: (a) => (user ? withOwner(withSession(a, session), user) : withSession(a, session)),
    event: {
      type: TimelineEventType.SessionIdentified,
      summary: `Temporary key of a session of ${whose}${session.parentKeyId ? `, issued by ${session.parentKeyId}` : ''}`,
      details: { ...session },
    },
    thread: 'session',
  };
}

/** Reads the user's policies (in the account `deps` acts in) and what they allow. */
export async function readPermissions(deps: ServiceDeps, userName: string): Promise<StageResult> {
  const access = await deps.iam.getUserAccess(userName);
  const documents = [access.inline, access.attached, ...access.groups.flatMap((g) => [g.inline, g.attached]), access.boundary ? [access.boundary] : []]
    .flat()
    .map((p) => p.document);
  const permissions = assessPermissions(access, await deps.permissionCatalog(documents));
  return {
    ok: true,
    stage: 'permissions',
    apply: (a) => withPermissions(a, permissions),
    event: {
      type: TimelineEventType.PermissionsAssessed,
      summary: `Access: ${permissions.summary}${permissions.quarantinePolicies.length ? ' (AWS quarantine policy attached)' : ''}`,
      details: { level: permissions.level, summary: permissions.summary, quarantinePolicies: permissions.quarantinePolicies, boundaryArn: permissions.boundaryArn, sources: permissions.sources },
    },
    thread: 'permissions',
  };
}
