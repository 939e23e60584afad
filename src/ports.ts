/**
 * The small interfaces services depend on. Adapters implement them with AWS, DynamoDB and
 * Slack; tests use in-memory fakes or wire-level fakes behind the real adapters.
 */
import type { AccessKeyMeta, AssessmentProblem, LastUse } from './domain/assessment.js';
import type { Incident, TimelineEvent } from './domain/incident.js';
import type { PolicyDocument, UserAccess } from './domain/policy-document.js';
import type { ActionCatalog } from './domain/policy-summary.js';

/** Incident store. Every write is conditional; lost races surface as typed domain errors. */
export interface IncidentRepository {
  /**
   * Writes the incident, its one-open-incident-per-key guard and its first event in one
   * transaction. Throws `IncidentAlreadyOpenError` (carrying the existing id) when the key
   * already has an open incident, `IncidentIdTakenError` when the id is in use.
   */
  create(incident: Incident, firstEvent: TimelineEvent): Promise<void>;
  get(incidentId: string): Promise<Incident | undefined>;
  /** The open incident for a key, if any. */
  findOpenByKey(keyId: string): Promise<Incident | undefined>;
  /**
   * Replaces the incident when its stored version is `incident.version`, storing
   * `version + 1`, and appends `events` in the same transaction. Returns the stored incident.
   * Throws `StaleIncidentError` when someone else wrote first.
   */
  update(incident: Incident, events: readonly TimelineEvent[]): Promise<Incident>;
  /** Appends one event (never overwrites an existing one). */
  append(event: TimelineEvent): Promise<void>;
  /** All events of an incident, oldest first (ties broken by event id). */
  events(incidentId: string): Promise<TimelineEvent[]>;
  /** Resolves when the table can be read. */
  ping(): Promise<void>;
}

/** Read-only IAM facts for the assessment. Errors are `AwsError`. */
export interface IamReader {
  /** Owner and last use of a key in the bot's account. */
  getAccessKeyLastUsed(keyId: string): Promise<{ userName: string; lastUsed: LastUse | null }>;
  listAccessKeys(userName: string): Promise<AccessKeyMeta[]>;
  /** Inline, attached, group and boundary policies of a user, with decoded documents. */
  getUserAccess(userName: string): Promise<UserAccess>;
}

/** STS facts. Errors are `AwsError`. */
export interface StsReader {
  /** The account an access key belongs to (any key, any account). */
  getAccessKeyAccount(keyId: string): Promise<string>;
  /** The account the bot's own credentials are in. */
  getCallerAccount(): Promise<string>;
}

export interface Clock {
  now(): Date;
}

/** What the thread gets as the assessment fills in. */
export type ThreadUpdateKind = 'account' | 'owner' | 'permissions' | 'recommendation';

/**
 * The incident's presence in chat. Errors are `SlackError` (code = Slack's error string).
 */
export interface IncidentNotifier {
  /** Posts the root message in the incident's channel; returns its ts. */
  postRoot(incident: Incident): Promise<string>;
  /** Re-renders the root message from the incident's current state. */
  updateRoot(incident: Incident): Promise<void>;
  /** Posts one part of the assessment in the thread. */
  postThread(incident: Incident, kind: ThreadUpdateKind): Promise<void>;
  /** Posts a problem line in the thread. */
  postProblem(incident: Incident, problem: AssessmentProblem): Promise<void>;
  /** A link to the root message, when it can be had. */
  permalink(incident: Incident): Promise<string | undefined>;
}

/** Builds an action catalogue covering the given documents. */
export type ActionCatalogLoader = (documents: readonly PolicyDocument[]) => Promise<ActionCatalog>;

/** Fresh identifiers. */
export interface IdSource {
  /** A readable incident id such as `KI-7F3A9C`. */
  incidentId(): string;
  /** A ULID for a timeline event. */
  eventId(): string;
}
