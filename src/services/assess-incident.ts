/**
 * Use case: find out what the key can reach (AWS step 1), stage by stage, recording each
 * finding in the timeline and showing it in Slack as it arrives. AWS failures become
 * problem lines; the incident stays open and usable.
 */
import {
  type AccessKeyMeta, type AccountFinding, type Assessment, type AssessmentStage, type OwnerFinding, actingAccount, canActIn,
  emptyAssessment,
} from '../domain/assessment/assessment.js';
import { completed, withAccount, withOwner, withPermissions, withProblem, withSession } from '../domain/assessment/rules.js';
import { isTemporaryKey } from '../domain/access-key.js';
import { problemFrom } from '../domain/assessment/problems.js';
import { AwsError } from '../domain/errors.js';
import { BOT_ACTOR, type Incident, IncidentStatus, type TimelineEvent, TimelineEventType } from '../domain/incident/incident.js';
import { assessPermissions } from '../domain/assessment/permissions.js';
import type { ThreadUpdateKind } from '../ports/notifier.js';
import { inAccount, reachAccount } from './account-scope.js';
import type { ServiceDeps } from './deps.js';
import { bestEffort } from './shared/best-effort.js';
import { newEvent } from './shared/timeline-events.js';
import { findSession } from './find-session.js';
import { updateIncident } from './update-incident.js';

type StageResult =
  | { readonly ok: true; readonly assessment: Assessment; readonly event: Omit<TimelineEvent, 'incidentId' | 'id' | 'at' | 'actor'>; readonly thread: ThreadUpdateKind }
  | { readonly ok: false; readonly stage: AssessmentStage; readonly error: AwsError };

type Stage = (deps: ServiceDeps, incident: Incident) => Promise<StageResult>;

/** An assessment running longer than this was left by a crash and may be restarted. */
const ASSESSMENT_STALE_MS = 15 * 60 * 1000;

export type RestartOutcome =
  | { readonly kind: 'restarted'; readonly incident: Incident }
  | { readonly kind: 'running'; readonly incident: Incident }
  | { readonly kind: 'resolved'; readonly incident: Incident };

/**
 * Clears the assessment so that `assessIncident` runs it again (after a member-account role
 * was deployed, or a permission granted). Refused while one runs (unless a crash left it) and
 * for a resolved incident. Actions and the timeline are kept.
 */
export async function restartAssessment(deps: ServiceDeps, incidentId: string, userId: string): Promise<RestartOutcome> {
  let kind: RestartOutcome['kind'] = 'restarted';
  const now = deps.clock.now();
  const stored = await updateIncident(deps.repo, incidentId, (current) => {
    const startedAt = Date.parse(current.assessment.startedAt ?? current.openedAt);
    kind = current.status === IncidentStatus.Resolved ? 'resolved'
      : !current.assessment.complete && now.getTime() - startedAt < ASSESSMENT_STALE_MS ? 'running'
      : 'restarted';
    if (kind !== 'restarted') return undefined;
    return {
      incident: { ...current, assessment: { ...emptyAssessment(), startedAt: now.toISOString() } },
      events: [newEvent(deps, incidentId, TimelineEventType.AssessmentRestarted, userId, 'Assessment started again')],
    };
  });
  if (kind === 'restarted') await show(deps, stored);
  return { kind, incident: stored };
}

export async function assessIncident(deps: ServiceDeps, incidentId: string): Promise<Incident> {
  let incident = (await deps.repo.get(incidentId))!;
  // IAM knows nothing of a temporary key: CloudTrail names its session, then the user's access is read.
  const stages: ReadonlyArray<readonly [AssessmentStage, Stage]> = isTemporaryKey(incident.keyId)
    ? [['account', accountStage], ['session', sessionStage], ['permissions', permissionsStage]]
    : [['account', accountStage], ['owner', ownerStage], ['permissions', permissionsStage]];
  for (const [name, stage] of stages) {
    if (shouldStop(incident.assessment)) break;
    const current = incident;
    // After the account stage, every stage reads the key's account (through its role when it is another).
    const result = await inAccount(deps, actingAccount(current.assessment.account))
      .then((scoped) => stage(scoped, current))
      .catch((err: unknown) => failure(name, err));
    incident = await record(deps, incident.id, result);
  }
  return finish(deps, incident.id);
}

/** Nothing more can be learnt here: another account out of reach, or no owner found. */
function shouldStop(a: Assessment): boolean {
  if (!canActIn(a.account)) return true;
  // A role session has no user whose permissions to read.
  if (a.session && !a.owner) return true;
  return a.problems.some((p) => p.stage === 'owner' || p.stage === 'session');
}

async function sessionStage(deps: ServiceDeps, incident: Incident): Promise<StageResult> {
  const session = await findSession(deps, incident);
  const whose = session.kind === 'role' ? `role ${session.roleArn}` : `user ${session.userName}`;
  const withUser = session.kind === 'user' && session.userName
    ? withOwner(withSession(incident.assessment, session), { userName: session.userName, otherKeys: [], lastUsed: { at: session.lastSeen, service: 'N/A', region: 'N/A' } })
    : withSession(incident.assessment, session);
  return {
    ok: true,
    assessment: withUser,
    event: {
      type: TimelineEventType.SessionIdentified,
      summary: `Temporary key of a session of ${whose}${session.parentKeyId ? `, issued by ${session.parentKeyId}` : ''}`,
      details: { ...session },
    },
    thread: 'session',
  };
}

function failure(stage: AssessmentStage, err: unknown): StageResult {
  if (err instanceof AwsError) return { ok: false, stage, error: err };
  throw err;
}

function accountSummary(a: AccountFinding): string {
  const org = a.organization?.member === true ? ` ("${a.organization.name}" in the organization)` : a.organization?.member === false ? ' (not in the organization)' : '';
  if (a.sameAccount) return `Key belongs to account ${a.accountId}${org} (the bot's account)`;
  const how = a.reach?.kind === 'role' ? `the bot works there through ${a.reach.roleArn}` : a.reach?.kind === 'refused' ? `the bot could not assume ${a.reach.roleArn} (${a.reach.code})` : 'cross-account response is off';
  return `Key belongs to another account: ${a.accountId}${org}; ${how}`;
}

async function accountStage(deps: ServiceDeps, incident: Incident): Promise<StageResult> {
  const [accountId, bot] = await Promise.all([deps.sts.getAccessKeyAccount(incident.keyId), deps.sts.getCallerIdentity()]);
  const sameAccount = accountId === bot.account;
  const [reached, organization] = await Promise.all([
    sameAccount ? undefined : reachAccount(deps, accountId),
    deps.organizations.describeAccount(accountId),
  ]);
  const finding: AccountFinding = {
    accountId,
    botAccountId: bot.account,
    ...(bot.arn ? { botArn: bot.arn } : {}),
    sameAccount,
    ...(reached ? { reach: reached } : {}),
    ...(organization ? { organization } : {}),
  };
  return {
    ok: true,
    assessment: withAccount(incident.assessment, finding),
    event: { type: TimelineEventType.AccountIdentified, summary: accountSummary(finding), details: { ...finding } },
    thread: 'account',
  };
}

async function ownerStage(deps: ServiceDeps, incident: Incident): Promise<StageResult> {
  const { userName, lastUsed } = await deps.iam.getAccessKeyLastUsed(incident.keyId);
  const keys = await deps.iam.listAccessKeys(userName);
  const own: AccessKeyMeta | undefined = keys.find((k) => k.keyId === incident.keyId);
  const owner: OwnerFinding = {
    userName,
    ...(own ? { keyStatus: own.status } : {}),
    ...(own?.createdAt ? { keyCreatedAt: own.createdAt } : {}),
    otherKeys: keys.filter((k) => k.keyId !== incident.keyId),
    lastUsed,
  };
  return {
    ok: true,
    assessment: withOwner(incident.assessment, owner),
    event: {
      type: TimelineEventType.OwnerIdentified,
      summary: `Owner is IAM user ${userName}; key ${own?.status ?? 'status unknown'}; last used ${lastUsed ? `${lastUsed.at} (${lastUsed.service}, ${lastUsed.region})` : 'never'}`,
      details: { ...owner },
    },
    thread: 'owner',
  };
}

async function permissionsStage(deps: ServiceDeps, incident: Incident): Promise<StageResult> {
  const owner = incident.assessment.owner!;
  const access = await deps.iam.getUserAccess(owner.userName);
  const documents = [access.inline, access.attached, ...access.groups.flatMap((g) => [g.inline, g.attached]), access.boundary ? [access.boundary] : []]
    .flat()
    .map((p) => p.document);
  const permissions = assessPermissions(access, await deps.permissionCatalog(documents));
  return {
    ok: true,
    assessment: withPermissions(incident.assessment, permissions),
    event: {
      type: TimelineEventType.PermissionsAssessed,
      summary: `Access: ${permissions.summary}${permissions.quarantinePolicies.length ? ' (AWS quarantine policy attached)' : ''}`,
      details: { level: permissions.level, summary: permissions.summary, quarantinePolicies: permissions.quarantinePolicies, boundaryArn: permissions.boundaryArn, sources: permissions.sources },
    },
    thread: 'permissions',
  };
}

/** Stores a stage's outcome with its event, then shows it (Slack trouble never loses the record). */
async function record(deps: ServiceDeps, incidentId: string, result: StageResult): Promise<Incident> {
  if (result.ok) {
    const stored = await updateIncident(deps.repo, incidentId, (current) => ({
      incident: { ...current, assessment: result.assessment },
      events: [newEvent(deps, incidentId, result.event.type, BOT_ACTOR, result.event.summary, { ...result.event.details })],
    }));
    await show(deps, stored, () => deps.notifier.postThread(stored, result.thread));
    return stored;
  }
  const current = (await deps.repo.get(incidentId))!;
  const problem = problemFrom(result.stage, result.error, current.keyId);
  deps.log.warn({ incidentId, stage: result.stage, awsError: result.error.code, requestId: result.error.requestId }, 'assessment stage failed');
  const stored = await updateIncident(deps.repo, incidentId, (latest) => ({
    incident: { ...latest, assessment: withProblem(latest.assessment, problem) },
    events: [newEvent(deps, incidentId, TimelineEventType.AssessmentProblem, BOT_ACTOR, `${problem.code}: ${problem.message}`, {
      stage: problem.stage, code: problem.code, operation: result.error.operation, service: result.error.service, requestId: result.error.requestId,
    })],
  }));
  await show(deps, stored, () => deps.notifier.postProblem(stored, problem));
  return stored;
}

async function finish(deps: ServiceDeps, incidentId: string): Promise<Incident> {
  const stored = await updateIncident(deps.repo, incidentId, (current) => {
    if (current.assessment.complete) return undefined;
    const assessment = completed(current.assessment, deps.clock.now());
    const r = assessment.recommendation;
    const events = [
      ...(r ? [newEvent(deps, incidentId, TimelineEventType.Recommended, BOT_ACTOR, `Recommended: ${r.headline}`, { action: r.action, reason: r.reason, steps: r.steps })] : []),
      newEvent(deps, incidentId, TimelineEventType.AssessmentCompleted, BOT_ACTOR, `Assessment completed${current.assessment.problems.length ? ` with ${current.assessment.problems.length} problem(s)` : ''}`),
    ];
    return { incident: { ...current, assessment }, events };
  });
  await show(deps, stored, stored.assessment.recommendation ? () => deps.notifier.postThread(stored, 'recommendation') : undefined);
  return stored;
}

/** Updates the root message and posts in the thread; Slack failures are logged, not fatal. */
async function show(deps: ServiceDeps, incident: Incident, thread?: () => Promise<void>): Promise<void> {
  if (thread) await bestEffort(deps.log, 'thread', incident.id, thread);
  await bestEffort(deps.log, 'root', incident.id, () => deps.notifier.updateRoot(incident));
}
