import type { Assessment } from '../assessment/assessment.js';

export const IncidentStatus = {
  Open: 'open',
  Contained: 'contained',
  Resolved: 'resolved',
} as const;
export type IncidentStatus = (typeof IncidentStatus)[keyof typeof IncidentStatus];

/** The bot itself, as a timeline actor. Slack users appear as their user id (`U…`/`W…`). */
export const BOT_ACTOR = 'bot';

export interface Incident {
  /** Short readable id, e.g. `KI-7F3A9C`. */
  readonly id: string;
  readonly keyId: string;
  readonly status: IncidentStatus;
  /** Slack channel the incident lives in. */
  readonly channelId: string;
  readonly teamId?: string;
  /** `ts` of the root message once posted. */
  readonly rootTs?: string;
  /**
   * When a process took on posting the root message (ISO-8601). Set with the incident so
   * that retries and concurrent requests never post a second root; a claim left by a crash
   * goes stale and can be taken over.
   */
  readonly rootClaimedAt?: string;
  readonly openedBy: string;
  /**
   * Slack's trigger id of the request that opened it: a copy of that request (Slack's retry,
   * whichever copy arrives first) carries the same one.
   */
  readonly openingTriggerId?: string;
  /** ISO-8601 time. */
  readonly openedAt: string;
  /** Free text given with the command (never contains a secret-looking string). */
  readonly note?: string;
  readonly assessment: Assessment;
  /** When it was contained / resolved (ISO-8601), and the closing summary. */
  readonly containedAt?: string;
  readonly resolvedAt?: string;
  readonly resolution?: string;
  /** The latest CloudTrail review, when one ran or runs. */
  readonly review?: IncidentReview;
  /** Optimistic-concurrency version; every write bumps it by one. */
  readonly version: number;
}

/** The latest CloudTrail review's state and headline figures. */
export interface IncidentReview {
  readonly status: 'running' | 'done';
  /** ISO-8601. */
  readonly startedAt: string;
  /** ISO-8601: when the running review last renewed its claim; it lapses `leaseMs` later. */
  readonly renewedAt?: string;
  /** The running review's claim: only the review that made it renews or completes it. */
  readonly claimId?: string;
  readonly completedAt?: string;
  readonly days: number;
  readonly regions: readonly string[];
  readonly verdict?: string;
  readonly events?: number;
  readonly findings?: number;
  readonly temporaryKeys?: number;
  /** Regions or keys that could not be read, as "region: code". */
  readonly problems?: readonly string[];
  /** What a cap left unread: the review is partial when set. */
  readonly unread?: readonly UnreadTrail[];
  /** Further unread region and key pairs, past those listed. */
  readonly unreadMore?: number;
}

/** The part of one key's CloudTrail in one region that a review's cap left unread. */
export interface UnreadTrail {
  readonly region: string;
  /** The exposed key, or a temporary key minted from it. */
  readonly accessKeyId: string;
  /** ISO-8601: events from the window's start up to this time were not read (pages come newest first). */
  readonly before: string;
  /** Which cap stopped it: REVIEW_MAX_PAGES_PER_REGION or REVIEW_MAX_SECONDS_PER_REGION. */
  readonly cap: 'pages' | 'time';
}

export const TimelineEventType = {
  IncidentOpened: 'incident.opened',
  IncidentRequestedAgain: 'incident.requested_again',
  IncidentContained: 'incident.contained',
  IncidentResolved: 'incident.resolved',
  IncidentReopened: 'incident.reopened',
  NoteAdded: 'note.added',
  NoteEdited: 'note.edited',
  NoteDeleted: 'note.deleted',
  IncidentExported: 'incident.exported',
  RootMessagePosted: 'slack.root_posted',
  SlackProblem: 'slack.problem',
  AccountIdentified: 'assessment.account',
  SessionIdentified: 'assessment.session',
  OwnerIdentified: 'assessment.owner',
  PermissionsAssessed: 'assessment.permissions',
  Recommended: 'assessment.recommendation',
  AssessmentProblem: 'assessment.problem',
  AssessmentCompleted: 'assessment.completed',
  AssessmentRestarted: 'assessment.restarted',
  SecretWarning: 'input.secret_warning',
  ActionProposed: 'action.proposed',
  ActionApprovalCounted: 'action.approval_counted',
  ActionApproved: 'action.approved',
  ActionExecuting: 'action.executing',
  ActionSnapshot: 'action.snapshot',
  ActionSucceeded: 'action.succeeded',
  ActionFailed: 'action.failed',
  ActionDenied: 'action.denied',
  ActionExpired: 'action.expired',
  ActionRefused: 'action.refused',
  ActionReconciled: 'action.reconciled',
  ActionTakenOver: 'action.taken_over',
  ReviewStarted: 'review.started',
  ReviewFinding: 'review.finding',
  ReviewProblem: 'review.problem',
  ReviewCompleted: 'review.completed',
} as const;
export type TimelineEventType = (typeof TimelineEventType)[keyof typeof TimelineEventType];

/** One append-only line of the incident's record. */
export interface TimelineEvent {
  readonly incidentId: string;
  /** ULID: unique, and orders events that share a timestamp. */
  readonly id: string;
  /** ISO-8601 time. */
  readonly at: string;
  readonly type: TimelineEventType;
  /** Slack user id, or `bot`. */
  readonly actor: string;
  /** One human line. */
  readonly summary: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** What an event says: who did what. The time and id are stamped when it is recorded. */
export type EventDraft = Pick<TimelineEvent, 'type' | 'actor' | 'summary' | 'details'>;
