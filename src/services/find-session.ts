/**
 * The assessment of a temporary (ASIA…) key: IAM does not know it, so CloudTrail tells whose
 * session it is (a role's, or a user's via GetSessionToken) and, for a user's session, which
 * of the user's keys minted it.
 */
import type { SessionFinding } from '../domain/assessment/assessment.js';
import { AwsError } from '../domain/errors.js';
import type { Incident } from '../domain/incident/incident.js';
import { derivedCredential } from '../domain/review/derived-credentials.js';
import type { TrailEvent } from '../domain/review/types.js';
import type { ServiceDeps } from './deps.js';
import { regionsFor } from './review/review-incident.js';

/** Temporary credentials live at most 36 hours (GetSessionToken); roles' less. */
const SESSION_WINDOW_MS = 36 * 60 * 60 * 1000;

interface Seen {
  events: number;
  first?: TrailEvent;
  last?: TrailEvent;
}

async function eventsOf(deps: ServiceDeps, keyId: string, regions: readonly string[], start: Date, end: Date, visit: (e: TrailEvent) => void): Promise<void> {
  await Promise.all(regions.map(async (region) => {
    for await (const page of deps.trail.lookupByAccessKey(region, keyId, start, end)) page.forEach(visit);
  }));
}

/** The user key whose GetSessionToken / GetFederationToken minted `keyId`, if its event is found. */
async function parentOf(deps: ServiceDeps, keyId: string, userName: string, regions: readonly string[], start: Date, end: Date) {
  const keys = await deps.iam.listAccessKeys(userName).catch(() => []);
  for (const k of keys) {
    let found: ReturnType<typeof derivedCredential>;
    await eventsOf(deps, k.keyId, regions, start, end, (e) => {
      const minted = derivedCredential(e);
      if (minted?.accessKeyId === keyId) found = minted;
    });
    if (found) return found;
  }
  return undefined;
}

/** How far around the session's creation time its AssumeRole event is looked for. */
const ISSUE_SLACK_MS = 2 * 60 * 1000;

/** The AssumeRole event that minted `keyId` (its caller's key is the parent), if CloudTrail has it. */
async function issuingAssumeRole(deps: ServiceDeps, keyId: string, regions: readonly string[], issuedAt: string) {
  const at = Date.parse(issuedAt);
  if (Number.isNaN(at)) return undefined;
  const start = new Date(at - ISSUE_SLACK_MS);
  const end = new Date(at + ISSUE_SLACK_MS);
  let found: ReturnType<typeof derivedCredential>;
  await Promise.all(regions.map(async (region) => {
    for await (const page of deps.trail.lookupByEventName(region, 'AssumeRole', start, end)) {
      for (const e of page) {
        const minted = derivedCredential(e);
        if (minted?.accessKeyId === keyId) found = minted;
      }
    }
  }));
  return found;
}

export async function findSession(deps: ServiceDeps, incident: Incident): Promise<SessionFinding> {
  const end = deps.clock.now();
  const start = new Date(end.getTime() - SESSION_WINDOW_MS);
  const regions = regionsFor(incident, deps.review);
  const seen: Seen = { events: 0 };
  await eventsOf(deps, incident.keyId, regions, start, end, (e) => {
    seen.events++;
    if (!seen.first || e.eventTime < seen.first.eventTime) seen.first = e;
    if (!seen.last || e.eventTime > seen.last.eventTime) seen.last = e;
  });
  const id = seen.first?.userIdentity;
  if (!seen.first || !seen.last || !id) {
    throw new AwsError('NotSeenInCloudTrail', `No event made with ${incident.keyId}`, 'cloudtrail', 'LookupEvents');
  }
  const issuedAt = id.sessionContext?.attributes?.creationDate;
  const base = { events: seen.events, firstSeen: seen.first.eventTime, lastSeen: seen.last.eventTime, ...(issuedAt ? { issuedAt } : {}) };
  const issuer = id.sessionContext?.sessionIssuer;
  if (id.type === 'AssumedRole' && issuer?.arn) {
    const sessionName = id.arn?.split('/').pop();
    const minted = issuedAt ? await issuingAssumeRole(deps, incident.keyId, regions, issuedAt) : undefined;
    return {
      kind: 'role', roleArn: issuer.arn, ...(issuer.userName ? { roleName: issuer.userName } : {}), ...(sessionName ? { sessionName } : {}),
      issuedVia: minted?.via ?? 'AssumeRole', ...(minted ? { parentKeyId: minted.parentAccessKeyId } : {}), ...base,
    };
  }
  const userName = id.userName ?? issuer?.userName;
  if (!userName) throw new AwsError('UnknownSessionIssuer', `Events of ${incident.keyId} name no role or user`, 'cloudtrail', 'LookupEvents');
  const parent = await parentOf(deps, incident.keyId, userName, regions, start, end);
  return {
    kind: 'user', userName, ...base,
    issuedVia: parent?.via ?? (id.type === 'FederatedUser' ? 'GetFederationToken' : 'GetSessionToken'),
    ...(parent ? { parentKeyId: parent.parentAccessKeyId } : {}),
  };
}
