/**
 * In-memory fakes of every port, and `memoryDeps()`: a full `ServiceDeps` wired to them with a
 * manual clock and deterministic ids, plus the fakes themselves to seed and inspect.
 */
import { pino } from 'pino';
import type { ServiceDeps } from '../../../src/services/deps.js';
import { MemoryAccountGateway } from './memory-account-gateway.js';
import { MemoryActionRepository } from './memory-action-repository.js';
import { MemoryApproverDirectory } from './memory-approver-directory.js';
import { MemoryChannelMembers } from './memory-channel-members.js';
import { MemoryCloudTrailReader } from './memory-cloudtrail-reader.js';
import { MemoryFileUploader } from './memory-file-uploader.js';
import { MemoryIam } from './memory-iam.js';
import { MemoryIncidentRepository } from './memory-incident-repository.js';
import { MemoryOrganizationsReader } from './memory-organizations-reader.js';
import { memoryPermissionCatalog } from './memory-permission-catalog.js';
import { MemorySecretStore } from './memory-secret-store.js';
import { MemoryStsReader } from './memory-sts-reader.js';
import { MemoryTable } from './memory-table.js';
import { MemoryShownVersions } from './memory-shown-versions.js';
import { Background } from '../../../src/services/shared/background.js';
import { ManualClock } from './manual-clock.js';
import { RecordingNotifier } from './recording-notifier.js';
import { SequentialIds } from './sequential-ids.js';

export { deferred, Faults, type Deferred, type Hold } from './faults.js';
export { ALLOW_ALL, memoryKeyId } from './iam-world-state.js';
export { IAM_WRITE_METHODS, MemoryIam } from './memory-iam.js';
export { APPROVER, NON_APPROVER, SECOND_APPROVER } from './memory-approver-directory.js';
export {
  ManualClock, MemoryAccountGateway, MemoryActionRepository, MemoryApproverDirectory, MemoryChannelMembers, MemoryCloudTrailReader, MemoryFileUploader,
  MemoryIncidentRepository, MemoryOrganizationsReader, MemorySecretStore, MemoryShownVersions, MemoryStsReader, MemoryTable, RecordingNotifier, SequentialIds,
};

/** The lease the memory world's attempts take (the production default). */
export const MEMORY_LEASE_MS = 15_000;
/** How long the memory world's review claims last without renewal. */
export const MEMORY_REVIEW_LEASE_MS = 60_000;
/** Readers and KMS key of replacement secrets, as an operator configures them. */
export const MEMORY_SECRET_READERS = { readers: ['arn:aws:iam::111122223333:role/Deployer'], kmsKeyId: 'alias/key-incident-replacement-secrets' } as const;
/** What the memory world's services take for Slack's request timeout (the clock is the test's). */
export const MEMORY_SLACK_TIMEOUT_MS = 10_000;

/** The fakes behind a `memoryDeps()`, to seed before and inspect after. */
export interface MemoryWorld {
  readonly deps: ServiceDeps;
  readonly clock: ManualClock;
  readonly ids: SequentialIds;
  readonly table: MemoryTable;
  readonly repo: MemoryIncidentRepository;
  readonly actions: MemoryActionRepository;
  /** The bot's own account: reader and writer in one. */
  readonly iam: MemoryIam;
  readonly sts: MemoryStsReader;
  readonly notifier: RecordingNotifier;
  readonly approvers: MemoryApproverDirectory;
  readonly members: MemoryChannelMembers;
  readonly secrets: MemorySecretStore;
  readonly trail: MemoryCloudTrailReader;
  readonly accounts: MemoryAccountGateway;
  readonly organizations: MemoryOrganizationsReader;
  readonly uploader: MemoryFileUploader;
  readonly shown: MemoryShownVersions;
}

/** `ServiceDeps` on fresh in-memory fakes; `overrides` replace any dependency. */
export function memoryDeps(overrides: Partial<ServiceDeps> = {}): MemoryWorld {
  const clock = new ManualClock();
  const ids = new SequentialIds();
  const table = new MemoryTable();
  const iam = new MemoryIam(clock);
  const world = {
    clock, ids, table, iam,
    repo: new MemoryIncidentRepository(table),
    actions: new MemoryActionRepository(table),
    sts: new MemoryStsReader(iam.accountId),
    notifier: new RecordingNotifier(),
    approvers: new MemoryApproverDirectory(),
    members: new MemoryChannelMembers(),
    secrets: new MemorySecretStore(iam.accountId),
    trail: new MemoryCloudTrailReader(),
    accounts: new MemoryAccountGateway(clock),
    organizations: new MemoryOrganizationsReader(),
    uploader: new MemoryFileUploader(),
    shown: new MemoryShownVersions(table),
  };
  const log = pino({ level: 'silent' });
  const deps: ServiceDeps = {
    repo: world.repo, notifier: world.notifier,
    iam, iamWriter: iam, sts: world.sts, permissionCatalog: memoryPermissionCatalog, clock, ids,
    log, actions: world.actions, approvers: world.approvers, members: world.members, secrets: world.secrets,
    replacementSecret: MEMORY_SECRET_READERS, dryRun: false, trail: world.trail, review: { regions: [], homeRegion: 'eu-west-1', maxPagesPerRegion: 1_000, maxSecondsPerRegion: 600, leaseMs: MEMORY_REVIEW_LEASE_MS }, uploader: world.uploader,
    accounts: world.accounts, organizations: world.organizations, allowedAccountIds: [],
    shown: world.shown, background: new Background(log), execution: { leaseMs: MEMORY_LEASE_MS, retryBaseMs: 1 },
    display: { uncertainAfterMs: MEMORY_SLACK_TIMEOUT_MS, repairAfterMs: 1 },
    ...overrides,
  };
  return { ...world, deps };
}
