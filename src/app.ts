/** Wiring: config → clients → adapters → services → Bolt. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { DestinationStream, Logger } from 'pino';
import { createAwsClients, destroyAwsClients } from './adapters/aws-clients.js';
import { DynamoActionRepository } from './adapters/dynamodb/dynamo-action-repository.js';
import { createDocumentClient } from './adapters/dynamodb/document-client.js';
import { DynamoIncidentRepository } from './adapters/dynamodb/dynamo-incident-repository.js';
import { DynamoShownVersions } from './adapters/dynamodb/dynamo-shown-versions.js';
import { ensureTable } from './adapters/dynamodb/table.js';
import { backfillLookupEntries } from './adapters/dynamodb/backfill-lookup-entries.js';
import { closeServer, type HealthCheck, healthRoute, listenForHealth, portError } from './adapters/http/health-server.js';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { accountPorts } from './adapters/cross-account/account-ports.js';
import { AssumedRoleGateway } from './adapters/cross-account/assumed-role-gateway.js';
import { permissionCatalogFor } from './adapters/iam/permission-catalog.js';
import { SdkOrganizationsReader } from './adapters/organizations/sdk-organizations-reader.js';
import { SlackApproverDirectory } from './adapters/slack/outgoing/slack-approver-directory.js';
import { SlackChannelMembers } from './adapters/slack/outgoing/slack-channel-members.js';
import { SlackFileUploader } from './adapters/slack/outgoing/slack-file-uploader.js';
import { registerListeners } from './adapters/slack/listeners/index.js';
import { ackEventsAfterRecord } from './adapters/slack/listeners/events/ack-after-record.js';
import { SlackNotifier } from './adapters/slack/outgoing/slack-notifier.js';
import { SdkStsReader } from './adapters/sts/sdk-sts-reader.js';
import { type Config, SlackMode } from './config.js';
import { boltLogger, createLogger } from './logger.js';
import type { Clock } from './ports/clock.js';
import type { IdSource } from './ports/id-source.js';
import type { IncidentRepository } from './ports/incident-repository.js';
import { systemIds } from './adapters/system-ids.js';
import { bindServices, type Services } from './services/index.js';
import { Background } from './services/shared/background.js';
import { REVIEW_LEASE_MS } from './services/review/review-lease.js';

/** Attempts per AWS call (the first included); the SDK backs off between them. */
const AWS_MAX_ATTEMPTS = 4;

/**
 * Slack Web API calls: a request timeout and a few retries (429s wait for Retry-After), instead
 * of the client's default of retrying for about 30 minutes with no timeout. Only displays wait
 * on Slack: nothing that changes IAM does.
 */
const SLACK_CLIENT_OPTIONS = { timeout: 10_000, retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 } };

/**
 * A proposal or root message whose update failed, or took as long as the request timeout (the
 * client may have given up on a request Slack still applies later), is shown again this long after.
 */
const SLACK_REPAIR_AFTER_MS = 10_000;

/** First wait before an IAM change or a record is tried again after a passing failure. */
const RETRY_BASE_MS = 200;

export interface AppOptions {
  /** Where logs go (default stdout). */
  readonly logDestination?: DestinationStream;
  readonly clock?: Clock;
  readonly ids?: IdSource;
}

export interface RunningApp {
  readonly app: App;
  readonly log: Logger;
  /** The HTTP port actually bound (`/slack/events` in HTTP mode, `/healthz` in both). */
  readonly port: number;
  /** Settles with the number of interrupted actions the first sweep, at start, took over. */
  readonly reconciled: Promise<number>;
  /** Settles with the number of incidents given lookup entries at start (0 once done for the table). */
  readonly backfilled: Promise<number>;
  stop(): Promise<void>;
}

const systemClock: Clock = { now: () => new Date() };

/** Socket Mode leaves the HTTP port to the bot's own health server; HTTP mode serves /healthz beside Slack's requests. */
function createReceiver(config: Config, log: Logger, health: HealthCheck): Receiver {
  const logger = boltLogger(log);
  const clientOptions = { ...SLACK_CLIENT_OPTIONS, ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}) };
  // Thread replies are recorded before Slack hears they arrived (`ack-after-record.ts`).
  if (config.slack.mode === SlackMode.Socket) {
    return ackEventsAfterRecord(new SocketModeReceiver({ appToken: config.slack.appToken!, logger, installerOptions: { clientOptions } }));
  }
  return ackEventsAfterRecord(new HTTPReceiver({ signingSecret: config.slack.signingSecret!, logger, customRoutes: [healthRoute(health)] }));
}

/**
 * Binds the HTTP port, then connects to Slack: in Socket Mode the health server first, so a
 * taken port stops start-up before Slack is reached. Resolves with the port bound.
 */
async function listen(app: App, config: Config, health: HealthCheck): Promise<{ port: number; close: () => Promise<void> }> {
  const own = config.slack.mode === SlackMode.Socket ? await listenForHealth(config.port, health) : undefined;
  const started = await app.start(config.port).catch(async (err: unknown) => {
    if (own) await closeServer(own);
    throw portError(err, config.port);
  });
  const server = own ?? (started as Server);
  return { port: (server.address() as AddressInfo).port, close: async () => { if (own) await closeServer(own); } };
}

type Clients = ReturnType<typeof createClients>;

/** The process's SDK clients, created once, and how to destroy them all. */
function createClients(config: Config) {
  const dynamo = new DynamoDBClient({ region: config.awsRegion, maxAttempts: AWS_MAX_ATTEMPTS });
  const aws = createAwsClients({ region: config.awsRegion, maxAttempts: AWS_MAX_ATTEMPTS });
  const accounts = new AssumedRoleGateway({ ...config.crossAccount, region: config.awsRegion, maxAttempts: AWS_MAX_ATTEMPTS, sts: aws.sts });
  // Organizations is global: its endpoint is in us-east-1 whatever the bot's Region.
  const organizations = new OrganizationsClient({ region: 'us-east-1', maxAttempts: AWS_MAX_ATTEMPTS });
  const destroy = () => { dynamo.destroy(); destroyAwsClients(aws); accounts.destroy(); organizations.destroy(); };
  return { dynamo, documents: createDocumentClient(dynamo), aws, accounts, organizations, destroy };
}

/** Every adapter the services use, bound to them. */
function createServices(config: Config, app: App, clients: Clients, repo: IncidentRepository, log: Logger, options: AppOptions & { stopping: { stopped: boolean } }): Services {
  const notifier = new SlackNotifier(app.client);
  const clock = options.clock ?? systemClock;
  return bindServices({
    repo,
    notifier,
    ...accountPorts(clients.aws),
    sts: new SdkStsReader(clients.aws.sts),
    permissionCatalog: permissionCatalogFor,
    clock,
    ids: options.ids ?? systemIds(),
    log,
    actions: new DynamoActionRepository(clients.documents, config.incidentTable),
    approvers: new SlackApproverDirectory(app.client, config.approvers, clock, log),
    members: new SlackChannelMembers(app.client, clock),
    replacementSecret: config.replacementSecret,
    dryRun: config.dryRun,
    review: { regions: config.cloudTrailRegions, homeRegion: config.awsRegion, ...config.review, leaseMs: REVIEW_LEASE_MS },
    uploader: new SlackFileUploader(app.client),
    accounts: clients.accounts,
    allowedAccountIds: config.allowedAccountIds,
    organizations: new SdkOrganizationsReader(clients.organizations, log),
    shown: new DynamoShownVersions(clients.documents, config.incidentTable),
    background: new Background(log),
    execution: { leaseMs: config.execution.leaseMs, retryBaseMs: RETRY_BASE_MS, stopping: options.stopping },
    display: { uncertainAfterMs: SLACK_CLIENT_OPTIONS.timeout, repairAfterMs: SLACK_REPAIR_AFTER_MS },
  });
}

/** Start-up work that runs beside the app: logged when it fails, never stopping it. */
function inBackground(log: Logger, what: string, work: () => Promise<number>): Promise<number> {
  return work().catch((err: unknown) => {
    log.error({ err: (err as Error).message }, `${what} failed`);
    return 0;
  });
}

/** Builds the whole app, makes sure its table exists, and starts listening. */
export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const log = createLogger(config.logLevel, options.logDestination);
  const clients = createClients(config);
  try {
    await ensureTable(clients.dynamo, config.incidentTable);
  } catch (err) {
    clients.destroy();
    throw new Error(`cannot reach or create the DynamoDB table ${config.incidentTable}: ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
  }
  const repo = new DynamoIncidentRepository(clients.documents, config.incidentTable);
  const health = () => repo.ping();
  const app = new App({
    token: config.slack.botToken,
    receiver: createReceiver(config, log, health),
    logger: boltLogger(log),
    clientOptions: { ...SLACK_CLIENT_OPTIONS, ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}) },
  });
  const stopping = { stopped: false };
  const services = createServices(config, app, clients, repo, log, { ...options, stopping });
  registerListeners(app, services);
  app.error(async (err) => {
    log.error({ err: { name: err.name, code: (err as { code?: string }).code, message: err.message } }, 'unhandled listener error');
  });
  const bound = await listen(app, config, health).catch((err: unknown) => {
    clients.destroy();
    throw err;
  });
  // Actions whose attempt died (here or in another replica): now, then every few seconds.
  const sweeper = services.startSweeper(config.execution.sweepIntervalMs);
  const backfilled = inBackground(log, 'lookup entries backfill', async () => {
    const incidents = await backfillLookupEntries(clients.documents, config.incidentTable);
    if (incidents > 0) log.info({ incidents }, 'lookup entries backfilled');
    return incidents;
  });
  log.info({ mode: config.slack.mode, port: bound.port, table: config.incidentTable, dryRun: config.dryRun }, 'key-incident started');
  return {
    app,
    log,
    port: bound.port,
    reconciled: sweeper.first,
    backfilled,
    stop: async () => {
      stopping.stopped = true;
      sweeper.stop();
      await Promise.all([app.stop(), bound.close()]);
      clients.destroy();
    },
  };
}
