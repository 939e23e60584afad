import type { Logger } from 'pino';
import type { AccountGateway } from '../ports/account-gateway.js';
import type { PermissionCatalogLoader } from '../ports/permission-catalog.js';
import type { Notifier } from '../ports/notifier.js';
import type { ActionRepository } from '../ports/action-repository.js';
import type { ApproverDirectory } from '../ports/approver-directory.js';
import type { ChannelMembers } from '../ports/channel-members.js';
import type { Clock } from '../ports/clock.js';
import type { IamReader } from '../ports/iam-reader.js';
import type { IamWriter } from '../ports/iam-writer.js';
import type { IdSource } from '../ports/id-source.js';
import type { IncidentRepository } from '../ports/incident-repository.js';
import type { CloudTrailReader } from '../ports/cloudtrail-reader.js';
import type { OrganizationsReader } from '../ports/organizations-reader.js';
import type { FileUploader } from '../ports/file-uploader.js';
import type { SecretStore } from '../ports/secret-store.js';
import type { StsReader } from '../ports/sts-reader.js';
import type { ShownVersions } from '../ports/shown-versions.js';
import type { Background } from './shared/background.js';

/** Where the CloudTrail review reads. */
export interface ReviewSettings {
  /** CLOUDTRAIL_REGIONS; empty means "where the key was seen". */
  readonly regions: readonly string[];
  readonly homeRegion: string;
  /** LookupEvents pages one review reads in a region, the exposed key and its temporary keys together. */
  readonly maxPagesPerRegion: number;
  /** How long after the review's start a region is still read. */
  readonly maxSecondsPerRegion: number;
  /** How long a running review's claim lasts without renewal (renewed every third of it). */
  readonly leaseMs: number;
}

/** How approved actions are carried out. */
export interface ExecutionSettings {
  /** How long an attempt holds an action without renewing (ACTION_LEASE_MS). */
  readonly leaseMs: number;
  /** First wait before retrying an IAM change or a record that failed for a passing reason. */
  readonly retryBaseMs: number;
  /** Set when the process stops: its attempts make no further IAM change (the sweep of a replica takes over). */
  readonly stopping?: { readonly stopped: boolean };
}

/** REPLACEMENT_SECRET_READERS and REPLACEMENT_SECRET_KMS_KEY_ID. */
export interface ReplacementSecretSettings {
  /** Role or user ARNs that may read a replacement key's secret; none: replacements are refused. */
  readonly readers: readonly string[];
  readonly kmsKeyId?: string;
}

/** How Slack is kept showing what is recorded. */
export interface DisplaySettings {
  /** A Slack call that took this long may have timed out and been given up on, and still land later. */
  readonly uncertainAfterMs: number;
  /** How long after such a call (or a failed one) the message is shown again. */
  readonly repairAfterMs: number;
}

/**
 * Everything the use cases need, injected once by `app.ts`. `iam`, `iamWriter`, `secrets` and
 * `trail` act in the bot's account; `inAccount` swaps them for another account's.
 */
export interface ServiceDeps {
  readonly repo: IncidentRepository;
  readonly notifier: Notifier;
  readonly iam: IamReader;
  readonly sts: StsReader;
  readonly permissionCatalog: PermissionCatalogLoader;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly log: Logger;
  readonly actions: ActionRepository;
  readonly approvers: ApproverDirectory;
  /** Who is in a channel: whether someone other than an approver may see its incidents. */
  readonly members: ChannelMembers;
  readonly iamWriter: IamWriter;
  readonly secrets: SecretStore;
  readonly replacementSecret: ReplacementSecretSettings;
  /** Record what would have been done; never change IAM. */
  readonly dryRun: boolean;
  readonly trail: CloudTrailReader;
  readonly review: ReviewSettings;
  readonly uploader: FileUploader;
  /** Other accounts, through the member-account role. */
  readonly accounts: AccountGateway;
  /** ALLOWED_ACCOUNT_IDS: accounts outside the organization the bot may act in all the same. */
  readonly allowedAccountIds: readonly string[];
  readonly organizations: OrganizationsReader;
  /** Which state version each Slack message last showed. */
  readonly shown: ShownVersions;
  /** Slack updates and late records, run after the work that asked for them. */
  readonly background: Background;
  readonly execution: ExecutionSettings;
  readonly display: DisplaySettings;
}
