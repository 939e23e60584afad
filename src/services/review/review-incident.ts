/**
 * Use case: AWS step 5. Follow the exposed key through CloudTrail, and every temporary key it
 * minted, in each region to review; summarise, record findings in the timeline, show them in
 * the thread and put a one-line verdict on the root message.
 */
import { AwsError } from '../../domain/errors.js';
import { BOT_ACTOR, type Incident, type IncidentReview, TimelineEventType } from '../../domain/incident/incident.js';
import { type ReviewResult, ReviewRun } from '../../domain/review/review-run.js';
import { ProgressLine } from './progress-line.js';
import type { CloudTrailReader } from '../../ports/cloudtrail-reader.js';
import type { ReviewSettings, ServiceDeps } from '../deps.js';
import { bestEffort } from '../shared/best-effort.js';
import { newEvent } from '../shared/timeline-events.js';
import { ActionKind, type ActionTarget, roleOfArn } from '../../domain/action/kinds.js';
import type { CleanupTarget } from '../../domain/review/types.js';
import { refreshRoot, showNote } from '../shared/show-in-slack.js';
import { proposeAction } from '../actions/propose-action.js';
import { updateIncident } from '../update-incident.js';
import { inIncidentAccount } from '../account-scope.js';
import { type AccountFinding, canActIn } from '../../domain/assessment/assessment.js';

export const DEFAULT_REVIEW_DAYS = 7;
/** CloudTrail's event history keeps 90 days. */
export const MAX_REVIEW_DAYS = 90;
/** A review claimed longer ago than this was left by a crash and may be started again. */
const REVIEW_STALE_MS = 15 * 60 * 1000;
/** At most this many findings become individual timeline events (the rest are counted). */
const MAX_FINDING_EVENTS = 200;

export type ReviewOutcome =
  | { readonly kind: 'done'; readonly incident: Incident; readonly result: ReviewResult }
  | { readonly kind: 'already-running'; readonly incident: Incident }
  /** The key's account is another one the bot cannot reach: `account` says how it was tried. */
  | { readonly kind: 'out-of-reach'; readonly incident: Incident; readonly account: AccountFinding }
  | { readonly kind: 'not-found' };

/** Regions to read: configured ones, else where the key was last used, the bot's, and us-east-1 (global STS/IAM calls). */
export function regionsFor(incident: Incident, settings: ReviewSettings): string[] {
  if (settings.regions.length > 0) return [...settings.regions];
  const seen = incident.assessment.owner?.lastUsed?.region;
  const candidates = [seen, settings.homeRegion, 'us-east-1'].filter((r): r is string => r !== undefined && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(r));
  return [...new Set(candidates)];
}

/** A review this caller started, with what it covers; or why none was started. */
export type ReviewClaim =
  | { readonly kind: 'claimed'; readonly incident: Incident; readonly days: number; readonly regions: readonly string[] }
  | Exclude<ReviewOutcome, { kind: 'done' }>;

/**
 * Claims the review of the key's CloudTrail over `requestedDays` (default 7, at most 90):
 * refused when a fresh one already runs or the key's account is out of reach.
 */
export async function claimReview(deps: ServiceDeps, incidentId: string, userId: string, requestedDays?: number): Promise<ReviewClaim> {
  const found = await deps.repo.get(incidentId);
  if (!found) return { kind: 'not-found' };
  const account = found.assessment.account;
  if (account && !canActIn(account)) return { kind: 'out-of-reach', incident: found, account };
  const days = Math.min(MAX_REVIEW_DAYS, Math.max(1, Math.round(requestedDays ?? DEFAULT_REVIEW_DAYS)));
  const regions = regionsFor(found, deps.review);
  const claimed = await claim(deps, found, userId, days, regions);
  return claimed ? { kind: 'claimed', incident: claimed, days, regions } : { kind: 'already-running', incident: found };
}

/** Runs a claimed review: reads, records and shows what the key and the keys it minted did. */
export async function runReview(deps: ServiceDeps, claimed: Extract<ReviewClaim, { kind: 'claimed' }>): Promise<Extract<ReviewOutcome, { kind: 'done' }>> {
  const { incident, days, regions } = claimed;
  await refreshRoot(deps, incident);
  const end = deps.clock.now();
  const start = new Date(end.getTime() - days * 24 * 60 * 60 * 1000);
  const run = new ReviewRun(incident.keyId, days);
  const progress = new ProgressLine(deps, incident, regions.length);
  await progress.start();
  const problems: string[] = [];
  // CloudTrail of the key's account; a role refused now leaves every region unread, and says so.
  const trail = await inIncidentAccount(deps, incident).then((scoped) => scoped.trail, (err: unknown) => {
    if (!(err instanceof AwsError)) throw err;
    problems.push(`${err.operation} in account ${incident.assessment.account?.accountId}: ${err.code}`);
    return undefined;
  });
  const keys = trail ? await scan(deps, { trail, incident, regions, start, end, run, progress, problems }) : 1;
  const result = run.result();
  await progress.finish();
  const stored = await record(deps, incident, result, { days, regions, problems, events: progress.events, keys });
  await bestEffort(deps.log, 'review result', incident.id, () => deps.notifier.postReviewResult(stored, result));
  await proposeCleanups(deps, stored, result);
  await refreshRoot(deps, stored);
  return { kind: 'done', incident: stored, result };
}

interface Scan {
  readonly trail: CloudTrailReader;
  readonly incident: Incident;
  readonly regions: readonly string[];
  readonly start: Date;
  readonly end: Date;
  readonly run: ReviewRun;
  readonly progress: ProgressLine;
  readonly problems: string[];
}

/** Follows the key, then every temporary key it minted, through each region; returns how many keys were scanned. */
async function scan(deps: ServiceDeps, { trail, incident, regions, start, end, run, progress, problems }: Scan): Promise<number> {
  const scanned = new Set<string>([incident.keyId]);
  const queue = [incident.keyId];
  while (queue.length > 0) {
    const key = queue.shift()!;
    progress.nextKey();
    await Promise.all(regions.map(async (region) => {
      try {
        for await (const page of trail.lookupByAccessKey(region, key, start, end)) {
          for (const event of page) {
            const derived = run.add(event);
            if (derived && !scanned.has(derived.accessKeyId)) {
              scanned.add(derived.accessKeyId);
              queue.push(derived.accessKeyId);
            }
          }
          progress.read(page.length);
        }
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        problems.push(`${region} (${key}): ${err.code}`);
        deps.log.warn({ incidentId: incident.id, region, awsError: err.code }, 'review: region not read');
      }
      progress.regionDone();
    }));
  }
  return scanned.size;
}

/**
 * What an attacker left that the approval flow can remove: access keys they created and users
 * they created, proposed for deletion (two approvers each). Other leftovers are listed with
 * the command that removes them.
 */
async function proposeCleanups(deps: ServiceDeps, incident: Incident, result: ReviewResult): Promise<void> {
  // Role sessions outlive the key: each role it reached in this account gets its own revocation.
  const owner = incident.assessment.owner?.userName;
  const account = incident.assessment.account?.accountId;
  const requests: Array<{ kind: ActionKind; target: ActionTarget }> = [];
  for (const arn of result.rolesToRevoke) {
    const role = roleOfArn(arn);
    if (owner && role && role.account === account) requests.push({ kind: ActionKind.RevokeRoleSessions, target: { userName: owner, roleName: role.roleName } });
  }
  for (const f of result.findings) if (f.cleanup) requests.push(cleanupRequest(f.cleanup, owner ?? '-'));
  let accountUnknown = 0;
  for (const request of requests) {
    const outcome = await proposeAction(deps, { incidentId: incident.id, userId: BOT_ACTOR, ...request }).catch((err: unknown) => {
      deps.log.warn({ incidentId: incident.id, kind: request.kind, err: (err as Error).message }, 'cleanup not proposed');
      return undefined;
    });
    if (outcome?.kind === 'refused' && outcome.reason.code === 'account-unknown') accountUnknown += 1;
  }
  if (accountUnknown > 0) await showNote(deps, incident, { kind: 'cleanups-not-proposed', count: accountUnknown, incidentId: incident.id });
}

/** The approval-flow action that removes a leftover. */
function cleanupRequest(c: CleanupTarget, owner: string): { kind: ActionKind; target: ActionTarget } {
  switch (c.kind) {
    case 'delete-access-key': return { kind: ActionKind.DeleteKey, target: { userName: c.userName, keyId: c.accessKeyId } };
    case 'delete-user': return { kind: ActionKind.DeleteUser, target: { userName: c.userName } };
    case 'delete-login-profile': return { kind: ActionKind.DeleteLoginProfile, target: { userName: c.userName } };
    case 'detach-user-policy': return { kind: ActionKind.DetachUserPolicy, target: { userName: c.userName, policyArn: c.policyArn } };
    case 'delete-user-policy': return { kind: ActionKind.DeleteUserPolicy, target: { userName: c.userName, policyName: c.policyName } };
    case 'delete-role-policy': return { kind: ActionKind.DeleteRolePolicy, target: { userName: owner, roleName: c.roleName, policyName: c.policyName } };
    case 'detach-role-policy': return { kind: ActionKind.DetachRolePolicy, target: { userName: owner, roleName: c.roleName, policyArn: c.policyArn } };
  }
}

/** Marks the review as running unless a fresh one already is. */
async function claim(deps: ServiceDeps, incident: Incident, userId: string, days: number, regions: string[]): Promise<Incident | undefined> {
  let won = false;
  const now = deps.clock.now();
  const stored = await updateIncident(deps.repo, incident.id, (current) => {
    won = false;
    const running = current.review?.status === 'running' && now.getTime() - Date.parse(current.review.startedAt) < REVIEW_STALE_MS;
    if (running) return undefined;
    won = true;
    const review: IncidentReview = { status: 'running', startedAt: now.toISOString(), days, regions };
    return {
      incident: { ...current, review },
      events: [newEvent(deps, current.id, TimelineEventType.ReviewStarted, userId, `CloudTrail review started: last ${days} days in ${regions.join(', ')}`, { days, regions })],
    };
  });
  return won ? stored : undefined;
}

interface Figures {
  readonly days: number;
  readonly regions: readonly string[];
  readonly problems: readonly string[];
  readonly events: number;
  readonly keys: number;
}

async function record(deps: ServiceDeps, incident: Incident, result: ReviewResult, f: Figures): Promise<Incident> {
  const findingEvents = result.findings.slice(0, MAX_FINDING_EVENTS).map((x) =>
    newEvent(deps, incident.id, TimelineEventType.ReviewFinding, BOT_ACTOR, x.summary, { ...x }));
  for (const e of findingEvents) await deps.repo.append(e);
  const review: IncidentReview = {
    status: 'done', startedAt: incident.review!.startedAt, completedAt: deps.clock.now().toISOString(), days: f.days, regions: f.regions,
    verdict: result.verdict, events: f.events, findings: result.findings.length, temporaryKeys: result.credentials.length,
    ...(f.problems.length > 0 ? { problems: f.problems } : {}),
  };
  const completed = newEvent(deps, incident.id, TimelineEventType.ReviewCompleted, BOT_ACTOR, `CloudTrail review: ${result.verdict}`, {
    days: f.days, regions: f.regions, events: f.events, keysScanned: f.keys, findings: result.findings.length,
    temporaryKeys: result.credentials.map((c) => c.accessKeyId), rolesReached: result.rolesToRevoke, problems: f.problems,
    activity: result.activity,
  });
  return updateIncident(deps.repo, incident.id, (current) => ({ incident: { ...current, review }, events: [completed] }));
}
