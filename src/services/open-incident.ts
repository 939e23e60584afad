/** The open stage: `/key-incident AKIA…` opens the key's incident, or points to the open one. */
import { emptyAssessment } from '../domain/assessment/assessment.js';
import { IncidentAlreadyOpenError, IncidentIdTakenError, SlackError } from '../domain/errors.js';
import { BOT_ACTOR, type Incident, IncidentStatus, TimelineEventType } from '../domain/incident/incident.js';
import { changeStatus } from '../domain/incident/lifecycle.js';
import type { ServiceDeps } from './deps.js';
import { permalink } from './incident-lookup.js';
import { backoff, retryOnConflict } from './shared/retry-on-conflict.js';
import { newEvent, stampEvents } from './shared/timeline-events.js';
import { updateIncident } from './update-incident.js';

export interface OpenIncidentRequest {
  readonly keyId: string;
  readonly note?: string;
  readonly channelId: string;
  readonly teamId?: string;
  readonly userId: string;
  /** Slack re-sent this request (X-Slack-Retry-Num). */
  readonly isRetry: boolean;
  /** Slack's trigger id: the same on every copy of one request. */
  readonly triggerId?: string;
}

export type OpenIncidentOutcome =
  /** Root message posted by this request: the rest of the response follows. */
  | { readonly kind: 'opened'; readonly incident: Incident }
  | { readonly kind: 'already-open'; readonly incident: Incident; readonly permalink?: string }
  /** Another request is posting the root message right now. */
  | { readonly kind: 'being-opened'; readonly incident: Incident }
  /** A retry of the request that opened it: say nothing more. */
  | { readonly kind: 'retry-ignored'; readonly incident: Incident }
  | { readonly kind: 'cannot-post'; readonly incident: Incident; readonly slackError: string };

/** What posting the root message came to; `opened` carries the thread's index write. */
export type RootOutcome =
  | (Extract<OpenIncidentOutcome, { kind: 'opened' }> & { readonly indexed: Promise<void> })
  | Extract<OpenIncidentOutcome, { kind: 'cannot-post' }>;

/** A claim to post the root message older than this was left by a crash. */
export const ROOT_CLAIM_TTL_MS = 30_000;

function newIncident(deps: ServiceDeps, req: OpenIncidentRequest): Incident {
  const now = deps.clock.now().toISOString();
  return {
    id: deps.ids.incidentId(),
    keyId: req.keyId,
    status: IncidentStatus.Open,
    channelId: req.channelId,
    ...(req.teamId === undefined ? {} : { teamId: req.teamId }),
    openedBy: req.userId,
    ...(req.triggerId === undefined ? {} : { openingTriggerId: req.triggerId }),
    openedAt: now,
    ...(req.note === undefined ? {} : { note: req.note }),
    assessment: emptyAssessment(),
    rootClaimedAt: now,
    version: 1,
  };
}

/** Who posts the root message: this request (`claimed`), or an outcome to tell its author now. */
export type Opening =
  | { readonly kind: 'claimed'; readonly incident: Incident }
  | Exclude<OpenIncidentOutcome, { kind: 'opened' | 'cannot-post' }>;

/**
 * The open stage's record: writes the key's incident, or finds the open one. A drawn id
 * already in use is drawn again, a key freed meanwhile is tried again; a guard naming an
 * incident that cannot be read is tried again after a growing wait, a bounded number of times.
 * `claimed`: this request owns posting the root message (`postRoot`).
 */
export async function claimOpening(deps: ServiceDeps, req: OpenIncidentRequest): Promise<Opening> {
  const conflict = (err: unknown) => err instanceof IncidentIdTakenError || err instanceof IncidentAlreadyOpenError;
  return retryOnConflict(conflict, async (n) => {
    const incident = newIncident(deps, req);
    const opened = newEvent(deps, incident.id, TimelineEventType.IncidentOpened, req.userId,
      `Incident opened for ${req.keyId}`, { keyId: req.keyId, channelId: req.channelId, ...(req.note ? { note: req.note } : {}) });
    try {
      await deps.repo.create(incident, opened);
    } catch (err) {
      if (!(err instanceof IncidentAlreadyOpenError)) throw err;
      const existing = await deps.repo.get(err.existingIncidentId);
      // Resolved between our write and this read: the key is free again, try once more.
      if (existing?.status === IncidentStatus.Resolved) throw err;
      // The guard names an incident not there (yet): give it time rather than spin.
      if (!existing) {
        deps.log.warn({ keyId: req.keyId, incidentId: err.existingIncidentId, attempt: n }, 'key guard names a missing incident');
        await backoff(n);
        throw err;
      }
      return pointToExisting(deps, existing, req);
    }
    deps.log.info({ incidentId: incident.id }, 'incident opened');
    return { kind: 'claimed', incident };
  });
}

async function pointToExisting(deps: ServiceDeps, existing: Incident, req: OpenIncidentRequest): Promise<Opening> {
  // A copy of the request that opened it: Slack's retry, or the original arriving after its retry.
  const sameRequest = existing.openedBy === req.userId
    && (req.isRetry || (req.triggerId !== undefined && req.triggerId === existing.openingTriggerId));
  if (existing.rootTs === undefined) {
    const claimed = await claimRoot(deps, existing);
    if (claimed) return { kind: 'claimed', incident: claimed };
    return sameRequest ? retryIgnored(deps, existing) : { kind: 'being-opened', incident: existing };
  }
  if (sameRequest) return retryIgnored(deps, existing);
  await deps.repo.append(newEvent(deps, existing.id, TimelineEventType.IncidentRequestedAgain, req.userId,
    `Asked again for ${existing.keyId}`, { channelId: req.channelId }));
  const link = await permalink(deps, existing);
  return { kind: 'already-open', incident: existing, ...(link === undefined ? {} : { permalink: link }) };
}

function retryIgnored(deps: ServiceDeps, incident: Incident): Opening {
  deps.log.info({ incidentId: incident.id }, 'slack retry of an opening request ignored');
  return { kind: 'retry-ignored', incident };
}

/** Takes over posting the root message when nobody holds a fresh claim. */
async function claimRoot(deps: ServiceDeps, existing: Incident): Promise<Incident | undefined> {
  let won = false;
  const stored = await updateIncident(deps.repo, existing.id, (current) => {
    won = false;
    const claimAge = current.rootClaimedAt ? deps.clock.now().getTime() - Date.parse(current.rootClaimedAt) : Infinity;
    if (current.rootTs !== undefined || claimAge < ROOT_CLAIM_TTL_MS) return undefined;
    won = true;
    return { incident: { ...current, rootClaimedAt: deps.clock.now().toISOString() }, events: [] };
  });
  return won ? stored : undefined;
}

/**
 * No root message (a direct message, a channel the bot is not in): the incident is closed at
 * once with why, which frees the key's guard, so the command run again (after an invite, or
 * in another channel) opens the key's incident where it can be posted.
 */
function closeUnposted(deps: ServiceDeps, incident: Incident, err: SlackError): Promise<Incident> {
  return updateIncident(deps.repo, incident.id, (current) => {
    const { incident: closed, event } = changeStatus(current, IncidentStatus.Resolved, BOT_ACTOR, deps.clock.now(), `not posted: the bot cannot post in the channel (${err.code})`);
    return {
      incident: { ...closed, rootClaimedAt: undefined },
      events: [
        newEvent(deps, incident.id, TimelineEventType.SlackProblem, BOT_ACTOR, `Could not post in the channel: ${err.code}`, { slackError: err.code, method: err.method }),
        ...stampEvents(deps, incident.id, [event]),
      ],
    };
  });
}

/**
 * The open stage's message: posts the root message of a claimed incident and records its ts.
 * `indexed` settles once replies in the thread can find the incident.
 */
export async function postRoot(deps: ServiceDeps, incident: Incident): Promise<RootOutcome> {
  let ts: string;
  try {
    ts = await deps.notifier.postRoot(incident);
  } catch (err) {
    if (!(err instanceof SlackError)) throw err;
    deps.log.warn({ incidentId: incident.id, slackError: err.code }, 'root message not posted');
    const released = await closeUnposted(deps, incident, err);
    return { kind: 'cannot-post', incident: released, slackError: err.code };
  }
  const stored = await updateIncident(deps.repo, incident.id, (current) => ({
    incident: { ...current, rootTs: ts },
    events: [newEvent(deps, incident.id, TimelineEventType.RootMessagePosted, BOT_ACTOR, 'Incident posted in the channel', { ts })],
  }), incident);
  // Replies in the thread find their incident through this; the assessment need not wait for it.
  return { kind: 'opened', incident: stored, indexed: deps.repo.indexRoot(stored) };
}
