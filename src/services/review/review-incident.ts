/**
 * Use case: AWS step 5. Follow the exposed key through CloudTrail, and every temporary key it
 * minted, in each region to review; summarise, record findings in the timeline, show them in
 * the thread and put a one-line verdict on the root message.
 */
import { AwsError } from '../../domain/errors.js';
import { BOT_ACTOR, type Incident, type IncidentReview, TimelineEventType, type UnreadTrail } from '../../domain/incident/incident.js';
import { type ReviewResult, ReviewRun } from '../../domain/review/review-run.js';
import { ProgressLine } from './progress-line.js';
import { BoundedList, scanTrail } from './trail-scan.js';
import { claimLive, holds, ReviewLease } from './review-lease.js';
import type { ReviewSettings, ServiceDeps } from '../deps.js';
import { bestEffort } from '../shared/best-effort.js';
import { newEvent } from '../shared/timeline-events.js';
import { ActionKind, type ActionTarget, roleOfArn } from '../../domain/action/kinds.js';
import type { CleanupTarget } from '../../domain/review/types.js';
import { attachmentOrigin } from '../../domain/action/attachment-origin.js';
import { refreshRoot, showNote } from '../shared/show-in-slack.js';
import { proposeAction } from '../actions/propose-action.js';
import { updateIncident } from '../update-incident.js';
import { inIncidentAccount } from '../account-scope.js';
import { type AccountFinding, canActIn } from '../../domain/assessment/assessment.js';

export const DEFAULT_REVIEW_DAYS = 7;
/** CloudTrail's event history keeps 90 days. */
export const MAX_REVIEW_DAYS = 90;
/** At most this many findings become individual timeline events (the rest are counted). */
const MAX_FINDING_EVENTS = 200;
/** Temporary keys and roles named in the completed event: a DynamoDB item holds 400 KB. */
const MAX_NAMED = 100;

export type ReviewOutcome =
  | { readonly kind: 'done'; readonly incident: Incident; readonly result: ReviewResult }
  | { readonly kind: 'already-running'; readonly incident: Incident }
  /** The key's account is another one the bot cannot reach: `account` says how it was tried. */
  | { readonly kind: 'out-of-reach'; readonly incident: Incident; readonly account: AccountFinding }
  | { readonly kind: 'not-found' }
  /** Its claim lapsed and another review took over: this one recorded nothing. */
  | { readonly kind: 'superseded'; readonly incident: Incident };

/** Regions to read: configured ones, else where the key was last used, the bot's, and us-east-1 (global STS/IAM calls). */
export function regionsFor(incident: Incident, settings: ReviewSettings): string[] {
  if (settings.regions.length > 0) return [...settings.regions];
  const seen = incident.assessment.owner?.lastUsed?.region;
  const candidates = [seen, settings.homeRegion, 'us-east-1'].filter((r): r is string => r !== undefined && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(r));
  return [...new Set(candidates)];
}

/** A review this caller started, with what it covers; or why none was started. */
export type ReviewClaim =
  | { readonly kind: 'claimed'; readonly incident: Incident; readonly days: number; readonly regions: readonly string[]; readonly claimId: string }
  | Exclude<ReviewOutcome, { kind: 'done' | 'superseded' }>;

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
  const claimId = deps.ids.eventId();
  const claimed = await claim(deps, found, userId, { days, regions, claimId });
  return claimed ? { kind: 'claimed', incident: claimed, days, regions, claimId } : { kind: 'already-running', incident: found };
}

type Claimed = Extract<ReviewClaim, { kind: 'claimed' }>;

/**
 * Runs a claimed review: reads, records and shows what the key and the keys it minted did,
 * renewing its claim meanwhile. A review whose claim was taken over stops and records nothing.
 */
export async function runReview(deps: ServiceDeps, claimed: Claimed): Promise<Extract<ReviewOutcome, { kind: 'done' | 'superseded' }>> {
  const { incident } = claimed;
  await refreshRoot(deps, incident);
  const lease = new ReviewLease(deps, incident.id, claimed.claimId);
  lease.start();
  try {
    const { result, figures } = await readTrail(deps, claimed, lease);
    // Proven just before the record: a review taken over leaves the new one's record alone.
    const stored = (await lease.renew()) ? await record(deps, incident, result, figures, lease.claimId) : undefined;
    if (!stored) return { kind: 'superseded', incident };
    await bestEffort(deps.log, 'review result', incident.id, () => deps.notifier.postReviewResult(stored, result));
    await proposeCleanups(deps, stored, result);
    await refreshRoot(deps, stored);
    return { kind: 'done', incident: stored, result };
  } finally {
    lease.stop();
  }
}

/** Reads CloudTrail within the caps, showing progress, until done or the claim is lost. */
async function readTrail(deps: ServiceDeps, { incident, days, regions }: Claimed, lease: ReviewLease): Promise<{ result: ReviewResult; figures: Figures }> {
  const end = deps.clock.now();
  const start = new Date(end.getTime() - days * 24 * 60 * 60 * 1000);
  const run = new ReviewRun(incident.keyId, days);
  const progress = new ProgressLine(deps, incident, regions.length);
  await progress.start();
  const problems = new BoundedList<string>();
  // CloudTrail of the key's account; a role refused now leaves every region unread, and says so.
  const trail = await inIncidentAccount(deps, incident).then((scoped) => scoped.trail, (err: unknown) => {
    if (!(err instanceof AwsError)) throw err;
    problems.add(`${err.operation} in account ${incident.assessment.account?.accountId}: ${err.code}`);
    return undefined;
  });
  const stopped = () => lease.lost;
  const scanned = trail ? await scanTrail(deps, { trail, incident, regions, start, end, run, progress, problems, stopped }) : undefined;
  // Partial whenever something went unread: a cap, a region that failed, or the account's trail out of reach.
  const partial = !scanned || (scanned.unread.items.length > 0) || problems.items.length > 0 || problems.more > 0;
  const result = run.result({ partial });
  await progress.finish();
  return { result, figures: { days, regions, problems: problems.items, events: progress.events, keys: scanned?.keys ?? 1, unread: scanned?.unread } };
}

/**
 * What an attacker left that the approval flow can remove: access keys and users they created
 * (two approvers each), policies they attached (two approvers unless the key created the role,
 * user or policy). Other leftovers are listed with the command that removes them.
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
  for (const { kind, target } of requests) {
    // Who made an attachment it removes decides one approver or two: only what the key created counts.
    const attachment = attachmentOrigin(kind, target, result.created);
    const outcome = await proposeAction(deps, { incidentId: incident.id, userId: BOT_ACTOR, kind, target, ...(attachment ? { attachment } : {}) }).catch((err: unknown) => {
      deps.log.warn({ incidentId: incident.id, kind, err: (err as Error).message }, 'cleanup not proposed');
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

/** Marks the review as running unless one whose claim is live already is. */
async function claim(deps: ServiceDeps, incident: Incident, userId: string, { days, regions, claimId }: Pick<Claimed, 'days' | 'regions' | 'claimId'>): Promise<Incident | undefined> {
  let won = false;
  const now = deps.clock.now();
  const stored = await updateIncident(deps.repo, incident.id, (current) => {
    won = false;
    if (claimLive(current.review, now, deps.review.leaseMs)) return undefined;
    won = true;
    const review: IncidentReview = { status: 'running', startedAt: now.toISOString(), renewedAt: now.toISOString(), days, regions, claimId };
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
  readonly unread: BoundedList<UnreadTrail> | undefined;
}

/** Records the findings and the completed review; undefined when the claim was taken over meanwhile. */
async function record(deps: ServiceDeps, incident: Incident, result: ReviewResult, f: Figures, claimId: string): Promise<Incident | undefined> {
  const findingEvents = result.findings.slice(0, MAX_FINDING_EVENTS).map((x) =>
    newEvent(deps, incident.id, TimelineEventType.ReviewFinding, BOT_ACTOR, x.summary, { ...x }));
  for (const e of findingEvents) await deps.repo.append(e);
  const review: IncidentReview = {
    status: 'done', startedAt: incident.review!.startedAt, completedAt: deps.clock.now().toISOString(), days: f.days, regions: f.regions,
    verdict: result.verdict, events: f.events, findings: result.findings.length, temporaryKeys: result.credentials.length,
    ...(f.problems.length > 0 ? { problems: f.problems } : {}),
    ...(f.unread && f.unread.items.length > 0 ? { unread: f.unread.items, ...(f.unread.more > 0 ? { unreadMore: f.unread.more } : {}) } : {}),
  };
  const completed = newEvent(deps, incident.id, TimelineEventType.ReviewCompleted, BOT_ACTOR, `CloudTrail review: ${result.verdict}`, {
    days: f.days, regions: f.regions, events: f.events, keysScanned: f.keys, findings: result.findings.length, foldedEvents: result.foldedEvents,
    temporaryKeys: result.credentials.slice(0, MAX_NAMED).map((c) => c.accessKeyId), rolesReached: result.rolesToRevoke.slice(0, MAX_NAMED), problems: f.problems,
    unread: f.unread?.items ?? [],
    activity: result.activity,
  });
  let held = false;
  const stored = await updateIncident(deps.repo, incident.id, (current) => {
    held = holds(current, claimId);
    return held ? { incident: { ...current, review }, events: [completed] } : undefined;
  });
  return held ? stored : undefined;
}
