/**
 * The small interfaces services depend on. Adapters implement them with AWS, DynamoDB and
 * Slack; tests use in-memory fakes or wire-level fakes behind the real adapters.
 */
import type { Action } from './domain/action-lifecycle.js';
import type { ApproverSet } from './domain/approval-policy.js';
import type { AccessKeyMeta, AssessmentProblem, LastUse, OrganizationFinding } from './domain/assessment.js';
import type { NewAccessKey, UserFootprint } from './domain/iam-footprint.js';
import type { Incident, TimelineEvent } from './domain/incident.js';
import type { PolicyDocument, UserAccess } from './domain/policy-document.js';
import type { ActionCatalog } from './domain/policy-summary.js';
import type { ReviewResult } from './domain/review/review-run.js';
import type { TrailEvent } from './domain/review/types.js';

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
  /** The same, page by page as read, for timelines too long to hold (exports). */
  streamEvents(incidentId: string): AsyncIterable<TimelineEvent>;
  /** Resolves when the table can be read. */
  ping(): Promise<void>;
  /** Open (and contained) incidents, newest first. */
  listOpen(): Promise<Incident[]>;
  /** Remembers which incident a root message belongs to (for replies in its thread). */
  indexRoot(incident: Incident): Promise<void>;
  /** The incident whose root message is `ts` in `channelId`. */
  findByRoot(channelId: string, ts: string): Promise<Incident | undefined>;
  /**
   * Reopens a resolved incident (stored version must be `incident.version`): takes its key's
   * guard back and lists it again, with `events`. Throws `IncidentAlreadyOpenError` when
   * another incident holds the key now, `StaleIncidentError` when someone wrote first.
   */
  reopen(incident: Incident, events: readonly TimelineEvent[]): Promise<Incident>;
}

/** Read-only IAM facts for the assessment. Errors are `AwsError`. */
export interface IamReader {
  /** Owner and last use of a key in the bot's account. */
  getAccessKeyLastUsed(keyId: string): Promise<{ userName: string; lastUsed: LastUse | null }>;
  listAccessKeys(userName: string): Promise<AccessKeyMeta[]>;
  /** Inline, attached, group and boundary policies of a user, with decoded documents. */
  getUserAccess(userName: string): Promise<UserAccess>;
}

export interface CallerIdentity {
  readonly account: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` for a role, `…:user/<name>` for a user. */
  readonly arn: string;
}

/** STS facts. Errors are `AwsError`. */
export interface StsReader {
  /** The account an access key belongs to (any key, any account). */
  getAccessKeyAccount(keyId: string): Promise<string>;
  /** Who the bot's own credentials are: account and principal ARN. */
  getCallerIdentity(): Promise<CallerIdentity>;
}

/** The ports that act inside one AWS account. */
export interface AccountPorts {
  readonly iam: IamReader;
  readonly iamWriter: IamWriter;
  readonly secrets: SecretStore;
  readonly trail: CloudTrailReader;
}

/**
 * Other AWS accounts, reached through the member-account role
 * (`arn:aws:iam::<account>:role/<CROSS_ACCOUNT_ROLE_NAME>`).
 */
export interface AccountGateway {
  /** The member-account role's name (CROSS_ACCOUNT_ROLE_NAME); undefined when cross-account response is off. */
  readonly roleName: string | undefined;
  /** The role the bot assumes in `accountId`; undefined when cross-account response is off. */
  roleArn(accountId: string): string | undefined;
  /** AssumeRole carries the configured external id. */
  readonly usesExternalId: boolean;
  /**
   * Ports acting in `accountId` through its role, its session assumed now or reused while it
   * lasts. Throws `AwsError` (operation AssumeRole) when the role cannot be assumed, with code
   * `CrossAccountRoleNotConfigured` when no role is configured.
   */
  portsIn(accountId: string): Promise<AccountPorts>;
  /** Assumes the role in `accountId` (or reuses its session) without making its clients; throws as `portsIn`. */
  check(accountId: string): Promise<void>;
}

/** An account of the organization, as `ListAccounts` gives it. */
export interface OrganizationAccount {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE … */
  readonly status?: string;
}

/** The organization's accounts, or AWS's code for why they cannot be listed from the bot's account. */
export type OrganizationListing =
  | { readonly kind: 'listed'; readonly accounts: readonly OrganizationAccount[] }
  | { readonly kind: 'unavailable'; readonly code: string };

/** AWS Organizations, read from the bot's account. */
export interface OrganizationsReader {
  /**
   * The account as the organization knows it, `{ member: false }` when the organization does
   * not hold it, undefined when the bot cannot read Organizations (no organization, not the
   * management or a delegated administrator account, no permission). Never throws.
   */
  describeAccount(accountId: string): Promise<OrganizationFinding | undefined>;
  /** Every account of the organization, all pages. Never throws. */
  listAccounts(): Promise<OrganizationListing>;
}

export interface Clock {
  now(): Date;
}

/** What the thread gets as the assessment fills in. */
export type ThreadUpdateKind = 'account' | 'session' | 'owner' | 'permissions' | 'recommendation';

/**
 * The incident's presence in chat. Errors are `SlackError` (code = Slack's error string).
 */
export interface IncidentNotifier {
  /** Posts the root message in the incident's channel; returns its ts. */
  postRoot(incident: Incident): Promise<string>;
  /** Re-renders the root message from the incident's current state and its actions. */
  updateRoot(incident: Incident, actions?: readonly Action[]): Promise<void>;
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

/** AWS's request id of a change, for the record (absent when AWS sent none). */
export type RequestId = string | undefined;

/**
 * IAM changes (each resolving to AWS's request id) and the reads that check them. Errors are `AwsError` with AWS's code
 * (NoSuchEntity, LimitExceeded, DeleteConflict, AccessDenied, Throttling …).
 */
export interface IamWriter {
  setAccessKeyStatus(userName: string, keyId: string, status: 'Active' | 'Inactive'): Promise<RequestId>;
  deleteAccessKey(userName: string, keyId: string): Promise<RequestId>;
  /** Creates a key; the caller must store the secret at once and drop it. */
  createAccessKey(userName: string): Promise<NewAccessKey>;
  putUserPolicy(userName: string, policyName: string, document: PolicyDocument): Promise<RequestId>;
  /** The inline policy's document, or undefined when the user has no such policy. */
  getUserPolicy(userName: string, policyName: string): Promise<PolicyDocument | undefined>;
  deleteUserPolicy(userName: string, policyName: string): Promise<RequestId>;
  attachUserPolicy(userName: string, policyArn: string): Promise<RequestId>;
  detachUserPolicy(userName: string, policyArn: string): Promise<RequestId>;
  listAttachedUserPolicyArns(userName: string): Promise<string[]>;
  /** Everything that blocks DeleteUser; NoSuchEntity when the user does not exist. */
  getUserFootprint(userName: string): Promise<UserFootprint>;
  deleteLoginProfile(userName: string): Promise<RequestId>;
  deleteSigningCertificate(userName: string, certificateId: string): Promise<RequestId>;
  deleteSshPublicKey(userName: string, sshPublicKeyId: string): Promise<RequestId>;
  deleteServiceSpecificCredential(userName: string, credentialId: string): Promise<RequestId>;
  deactivateMfaDevice(userName: string, serialNumber: string): Promise<RequestId>;
  deleteVirtualMfaDevice(serialNumber: string): Promise<RequestId>;
  removeUserFromGroup(userName: string, groupName: string): Promise<RequestId>;
  /** Role changes, for cutting a role's sessions (AWS's "revoke active sessions" on a role). */
  putRolePolicy(roleName: string, policyName: string, document: PolicyDocument): Promise<RequestId>;
  /** The role's inline policy, or undefined when the role has no such policy. */
  getRolePolicy(roleName: string, policyName: string): Promise<PolicyDocument | undefined>;
  deleteRolePolicy(roleName: string, policyName: string): Promise<RequestId>;
  /** Whether the role exists (GetRole). */
  roleExists(roleName: string): Promise<boolean>;
  detachRolePolicy(roleName: string, policyArn: string): Promise<RequestId>;
  listAttachedRolePolicyArns(roleName: string): Promise<string[]>;
  deleteUser(userName: string): Promise<RequestId>;
}

/** Where replacement keys' secrets go (AWS Secrets Manager). Errors are `AwsError`. */
export interface SecretStore {
  /** Stores a new key's id and secret under `name`; returns the secret's ARN. */
  storeAccessKey(name: string, key: NewAccessKey, description: string): Promise<{ arn: string }>;
  /** The ARN of a secret by name, or undefined when there is none. */
  findSecret(name: string): Promise<{ arn: string } | undefined>;
}

/** Proposed actions and their transitions. Every write is conditional and carries its events. */
export interface ActionRepository {
  /**
   * Stores a new proposal with its events and the guard that makes it the only pending
   * proposal for `subject`. Throws `ActionAlreadyPendingError` naming the pending one.
   */
  create(action: Action, subject: string, events: readonly TimelineEvent[]): Promise<void>;
  get(incidentId: string, actionId: string): Promise<Action | undefined>;
  /** The incident's actions, oldest first. */
  list(incidentId: string): Promise<Action[]>;
  /**
   * Replaces `current` with `next` when the stored version is still `current.version`
   * (stores `version + 1`), writing `events` in the same transaction; keeps the executing
   * marker in step with the status and releases the subject's guard when `next` is final.
   * Throws `StaleActionError` when someone else wrote first.
   */
  transition(current: Action, next: Action, subject: string, events: readonly TimelineEvent[]): Promise<Action>;
  /** Actions left executing (found after a crash), across incidents. */
  listExecuting(): Promise<Array<{ incidentId: string; actionId: string }>>;
}

/** Who may approve right now (the approver user group's members are looked up, briefly cached). */
export interface ApproverDirectory {
  approvers(): Promise<ApproverSet>;
}

/** The incident's actions in chat: proposal messages in the thread. Errors are `SlackError`. */
export interface ActionNotifier {
  /** Posts the proposal in the incident's thread; returns its ts. */
  postProposal(incident: Incident, action: Action): Promise<string>;
  /** Re-renders the proposal message from the action's current state. */
  updateProposal(incident: Incident, action: Action): Promise<void>;
  /** A plain line in the incident's thread. */
  postNote(incident: Incident, text: string): Promise<void>;
}

/**
 * One CloudTrail lookup: iterate it once for pages of events, newest first as CloudTrail returns
 * them (empty pages are not yielded). The counters fill in as pages arrive.
 */
export interface TrailScan extends AsyncIterable<TrailEvent[]> {
  /** Records skipped so far because their `CloudTrailEvent` was not a readable record. */
  readonly skipped: number;
  /** Ids of the skipped records, when CloudTrail gave one. */
  readonly skippedEventIds: readonly string[];
  /** LookupEvents pages received so far (retries not counted, empty pages counted). */
  readonly pages: number;
}

/** CloudTrail event history (LookupEvents, last 90 days). Errors are `AwsError`, thrown by the iteration. */
export interface CloudTrailReader {
  /**
   * Events made with `accessKeyId` in `region` between `start` and `end` (both inclusive).
   * Pages already yielded stay valid when a later page fails.
   */
  lookupByAccessKey(region: string, accessKeyId: string, start: Date, end: Date): TrailScan;
  /** Events named `eventName` (e.g. `AssumeRole`) in `region` between `start` and `end`. */
  lookupByEventName(region: string, eventName: string, start: Date, end: Date): TrailScan;
}

/** Progress of a running review, as shown in the thread. */
export interface ReviewProgress {
  readonly regionsDone: number;
  readonly regions: number;
  readonly events: number;
  readonly keys: number;
}

/** The review's presence in the incident thread. Errors are `SlackError`. */
export interface ReviewNotifier {
  /** Posts the progress line; returns its ts. */
  postReviewProgress(incident: Incident, progress: ReviewProgress): Promise<string>;
  updateReviewProgress(incident: Incident, ts: string, progress: ReviewProgress, done: boolean): Promise<void>;
  /** Posts the summary, the credential tree and the findings. */
  postReviewResult(incident: Incident, result: ReviewResult): Promise<void>;
}

/** Uploads a file into an incident's thread (files.getUploadURLExternal + completeUploadExternal). */
export interface FileUploader {
  /**
   * Uploads `content` (streamed; it may be large) as `filename` into the thread `threadTs` of
   * `channelId`. Resolves with Slack's file id. Errors are `SlackError`.
   */
  uploadToThread(channelId: string, threadTs: string, filename: string, title: string, content: AsyncIterable<string>): Promise<{ fileId: string }>;
}

/** How the event reached us: for deduplication of Slack's redeliveries. */
export interface Delivery {
  /** The Events API `event_id` (the same on every retry of one event). */
  readonly eventId: string | undefined;
  /** `event_time` as ISO time. */
  readonly eventTime: string | undefined;
  /** `X-Slack-Retry-Num` (0 for a first delivery). */
  readonly retryNum: number;
  /** `X-Slack-Retry-Reason`, on retries. */
  readonly retryReason: string | undefined;
}

/** A reply posted in a thread. */
export interface ReplyPosted {
  readonly channel: string;
  readonly threadTs: string;
  readonly ts: string;
  readonly user: string;
  readonly text: string;
  /** When it was posted (from `ts`), ISO. */
  readonly at: string;
  /** The client's own id for the message (absent for some clients and integrations). */
  readonly clientMsgId: string | undefined;
  readonly delivery: Delivery;
}

/** A reply's new text after an edit. */
export interface ReplyEdited {
  readonly channel: string;
  readonly threadTs: string;
  readonly ts: string;
  readonly user: string;
  readonly text: string;
  /** The text before the edit, when Slack sent it. */
  readonly previousText: string | undefined;
  /** When the reply was first posted (from `ts`), ISO. */
  readonly at: string;
  /** When it was edited (from `edited.ts`), ISO. */
  readonly editedAt: string;
  readonly clientMsgId: string | undefined;
  readonly delivery: Delivery;
}

/** A reply deleted. */
export interface ReplyDeleted {
  readonly channel: string;
  readonly threadTs: string;
  readonly ts: string;
  /** Author of the deleted reply, when Slack sent the previous message. */
  readonly user: string | undefined;
  /** Its last text, when Slack sent it. */
  readonly text: string | undefined;
  /** When the reply was posted (from `ts`), ISO. */
  readonly at: string;
  /** When it was deleted (from the event's `ts`), ISO. */
  readonly deletedAt: string;
  readonly delivery: Delivery;
}

/** "Add to incident timeline" used on a message. */
export interface ShortcutUsed {
  readonly channel: string;
  /** The message's thread (undefined for a top-level message that has no replies). */
  readonly threadTs: string | undefined;
  readonly ts: string;
  /** The message's author (undefined for some bot/integration messages). */
  readonly user: string | undefined;
  readonly text: string;
  /** When the message was posted (from `ts`), ISO. */
  readonly at: string;
  /** When it was last edited, ISO. */
  readonly editedAt: string | undefined;
  /** Who used the shortcut. */
  readonly addedBy: string;
  /** When (from `action_ts`), ISO. */
  readonly addedAt: string;
  readonly triggerId: string;
  readonly responseUrl: string;
}

/** Where thread activity goes: replies, edits, deletions and the message shortcut. The shortcut's answer goes privately to its user. */
export interface ThreadCapture {
  replyPosted(e: ReplyPosted): Promise<void>;
  replyEdited(e: ReplyEdited): Promise<void>;
  replyDeleted(e: ReplyDeleted): Promise<void>;
  shortcut(e: ShortcutUsed): Promise<string>;
}
