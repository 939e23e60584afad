/**
 * Settings, parsed once from the environment, typed and frozen. Every problem is collected
 * so that one start-up message names them all. Values of secrets are never echoed.
 */
import { type Env, Reader } from './config-reader.js';
import { READER_ARN } from './domain/action/secret-policy.js';

export const SlackMode = { Socket: 'socket', Http: 'http' } as const;
export type SlackMode = (typeof SlackMode)[keyof typeof SlackMode];

export interface Config {
  readonly slack: {
    readonly mode: SlackMode;
    readonly botToken: string;
    readonly signingSecret?: string;
    readonly appToken?: string;
    /** Web API base URL ending in `/`, when not Slack's own. */
    readonly apiUrl?: string;
  };
  readonly port: number;
  readonly awsRegion: string;
  readonly incidentTable: string;
  readonly approvers: {
    readonly userIds: readonly string[];
    readonly usergroupId?: string;
    readonly anyone: boolean;
  };
  readonly cloudTrailRegions: readonly string[];
  /** Response in other accounts through the member-account role; absent when off. */
  readonly crossAccount?: {
    readonly roleName: string;
    readonly externalId?: string;
  };
  /** ALLOWED_ACCOUNT_IDS: accounts outside the bot's organization it may act in all the same. */
  readonly allowedAccountIds: readonly string[];
  /** Who may read a replacement key's secret, and the KMS key it is encrypted with. */
  readonly replacementSecret: ReplacementSecretConfig;
  readonly dryRun: boolean;
  readonly logLevel: string;
  /** How much of CloudTrail one review reads in each region before it reports the rest unread. */
  readonly review: {
    /** REVIEW_MAX_PAGES_PER_REGION: LookupEvents pages (50 events each). */
    readonly maxPagesPerRegion: number;
    /** REVIEW_MAX_SECONDS_PER_REGION: from the review's start. */
    readonly maxSecondsPerRegion: number;
  };
  /** How approved actions are held and how often interrupted ones are looked for. */
  readonly execution: {
    /** ACTION_LEASE_MS: how long an attempt holds an action without renewing. */
    readonly leaseMs: number;
    /** ACTION_SWEEP_INTERVAL_MS: how often each replica looks for actions whose lease ran out. */
    readonly sweepIntervalMs: number;
  };
}

export interface ReplacementSecretConfig {
  /** REPLACEMENT_SECRET_READERS: role or user ARNs; empty means replacement keys are refused. */
  readonly readers: readonly string[];
  /** REPLACEMENT_SECRET_KMS_KEY_ID: key id, key ARN, alias name or alias ARN. */
  readonly kmsKeyId?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`key-incident cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const USERGROUP_ID = /^S[A-Z0-9]{2,}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
/** IAM's role-name and external-id alphabets and lengths. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const ACCOUNT_ID = /^\d{12}$/;
const KMS_KEY_ID = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[\w-]+|alias\/[\w/-]+)|alias\/[\w/-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

function readSlack(r: Reader): Config['slack'] {
  const botToken = r.token('SLACK_BOT_TOKEN', 'xoxb-', 'a bot token', true) ?? '';
  const appToken = r.token('SLACK_APP_TOKEN', 'xapp-', 'an app-level token', false);
  const mode = appToken ? SlackMode.Socket : SlackMode.Http;
  const signingSecret = r.get('SLACK_SIGNING_SECRET');
  r.check(mode === SlackMode.Socket || signingSecret !== undefined,
    'SLACK_SIGNING_SECRET is missing: HTTP mode (no SLACK_APP_TOKEN) needs it to verify Slack\'s requests.');
  const rawUrl = r.get('SLACK_API_URL');
  let apiUrl: string | undefined;
  if (rawUrl !== undefined) {
    const ok = /^https?:\/\/[^\s]+$/.test(rawUrl) && URL.canParse(rawUrl);
    r.check(ok, `SLACK_API_URL is not an http(s) URL: ${JSON.stringify(rawUrl)}.`);
    if (ok) apiUrl = rawUrl.endsWith('/') ? rawUrl : `${rawUrl}/`;
  }
  return {
    mode,
    botToken,
    ...(signingSecret === undefined ? {} : { signingSecret }),
    ...(appToken === undefined ? {} : { appToken }),
    ...(apiUrl === undefined ? {} : { apiUrl }),
  };
}

function readApprovers(r: Reader): Config['approvers'] {
  const userIds = r.list('APPROVER_USER_IDS');
  for (const id of userIds) r.check(USER_ID.test(id), `APPROVER_USER_IDS has ${JSON.stringify(id)}, which is not a Slack user id (like U012AB3CD).`);
  const usergroupId = r.get('APPROVER_USERGROUP_ID');
  r.check(usergroupId === undefined || USERGROUP_ID.test(usergroupId),
    `APPROVER_USERGROUP_ID ${JSON.stringify(usergroupId)} is not a Slack user group id (like S0614TZR7).`);
  const approvers = r.get('APPROVERS');
  r.check(approvers === undefined || approvers === 'anyone', `APPROVERS may only be "anyone" (got ${JSON.stringify(approvers)}).`);
  const anyone = approvers === 'anyone';
  const named = userIds.length > 0 || usergroupId !== undefined;
  r.check(named || anyone,
    'No approvers: set APPROVER_USER_IDS and/or APPROVER_USERGROUP_ID, or APPROVERS=anyone to let anyone in the workspace approve.');
  r.check(!(named && anyone), 'APPROVERS=anyone contradicts APPROVER_USER_IDS/APPROVER_USERGROUP_ID: set one or the other.');
  return { userIds, ...(usergroupId === undefined ? {} : { usergroupId }), anyone };
}

function readBoolean(r: Reader, name: string): boolean {
  const v = r.get(name)?.toLowerCase();
  if (v === undefined) return false;
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  r.check(false, `${name} must be true or false (got ${JSON.stringify(v)}).`);
  return false;
}

function readPort(r: Reader): number {
  const raw = r.get('PORT') ?? '3000';
  const port = Number(raw);
  r.check(/^\d+$/.test(raw) && port >= 0 && port <= 65535, `PORT must be a port number (got ${JSON.stringify(raw)}).`);
  return port;
}

function readCrossAccount(r: Reader): Config['crossAccount'] {
  const roleName = r.get('CROSS_ACCOUNT_ROLE_NAME');
  const externalId = r.get('CROSS_ACCOUNT_EXTERNAL_ID');
  r.check(roleName === undefined || ROLE_NAME.test(roleName),
    `CROSS_ACCOUNT_ROLE_NAME ${JSON.stringify(roleName)} is not an IAM role name (up to 64 letters, digits and +=,.@_-), e.g. KeyIncidentResponder.`);
  // The external id is not a secret to AWS, but it is not repeated either.
  r.check(externalId === undefined || EXTERNAL_ID.test(externalId),
    'CROSS_ACCOUNT_EXTERNAL_ID must be 2 to 1224 letters, digits or +=,.@:/_- characters.');
  r.check(externalId === undefined || roleName !== undefined,
    'CROSS_ACCOUNT_EXTERNAL_ID is set but CROSS_ACCOUNT_ROLE_NAME is not: set the role name the member accounts deploy.');
  if (roleName === undefined) return undefined;
  return { roleName, ...(externalId === undefined ? {} : { externalId }) };
}

function readAllowedAccounts(r: Reader): string[] {
  const ids = r.list('ALLOWED_ACCOUNT_IDS');
  for (const id of ids) {
    r.check(ACCOUNT_ID.test(id), `ALLOWED_ACCOUNT_IDS has ${JSON.stringify(id)}, which is not an AWS account id (12 digits, like 111122223333).`);
  }
  return [...new Set(ids)];
}

function readReplacementSecret(r: Reader): ReplacementSecretConfig {
  const readers = r.list('REPLACEMENT_SECRET_READERS');
  for (const arn of readers) {
    r.check(READER_ARN.test(arn), `REPLACEMENT_SECRET_READERS has ${JSON.stringify(arn)}, which is not an IAM role or user ARN (like arn:aws:iam::111122223333:role/Deployer).`);
  }
  const kmsKeyId = r.get('REPLACEMENT_SECRET_KMS_KEY_ID');
  r.check(kmsKeyId === undefined || KMS_KEY_ID.test(kmsKeyId),
    `REPLACEMENT_SECRET_KMS_KEY_ID ${JSON.stringify(kmsKeyId)} is not a KMS key id, key ARN or alias (like alias/key-incident-replacement-secrets).`);
  return { readers, ...(kmsKeyId === undefined ? {} : { kmsKeyId }) };
}

function readWhole(r: Reader, name: string, unit: string, [fallback, min, max]: readonly [number, number, number]): number {
  const raw = r.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  r.check(/^\d+$/.test(raw) && value >= min && value <= max, `${name} must be a whole number of ${unit} from ${min} to ${max} (got ${JSON.stringify(raw)}).`);
  return value;
}

const readMillis = (r: Reader, name: string, fallback: number, min: number, max: number) => readWhole(r, name, 'milliseconds', [fallback, min, max]);

/**
 * LookupEvents answers 2 requests a second per account and Region, 50 events a page: 1,000
 * pages (50,000 events) take at least 500 s, and 600 s leaves room for throttled retries and
 * for another review sharing the pace. Past either cap the review says what it did not read.
 */
function readReview(r: Reader): Config['review'] {
  return {
    maxPagesPerRegion: readWhole(r, 'REVIEW_MAX_PAGES_PER_REGION', 'LookupEvents pages (50 events each)', [1_000, 1, 100_000]),
    maxSecondsPerRegion: readWhole(r, 'REVIEW_MAX_SECONDS_PER_REGION', 'seconds', [600, 10, 86_400]),
  };
}

/** An interrupted action must settle within 30 s: a lease and a sweep interval that add up to less. */
function readExecution(r: Reader): Config['execution'] {
  const leaseMs = readMillis(r, 'ACTION_LEASE_MS', 15_000, 1_000, 20_000);
  const sweepIntervalMs = readMillis(r, 'ACTION_SWEEP_INTERVAL_MS', 5_000, 100, 10_000);
  return { leaseMs, sweepIntervalMs };
}

/** Parses and validates the environment. Throws `ConfigError` naming every problem. */
export function loadConfig(env: Env): Config {
  const r = new Reader(env);
  const slack = readSlack(r);
  const port = readPort(r);
  const awsRegion = r.require('AWS_REGION', 'the AWS region the bot works in, e.g. eu-west-1');
  r.check(awsRegion === '' || REGION.test(awsRegion), `AWS_REGION ${JSON.stringify(awsRegion)} is not an AWS region name.`);
  const incidentTable = r.get('INCIDENT_TABLE') ?? 'key-incidents';
  r.check(TABLE_NAME.test(incidentTable), `INCIDENT_TABLE ${JSON.stringify(incidentTable)} is not a valid DynamoDB table name.`);
  const approvers = readApprovers(r);
  const cloudTrailRegions = r.list('CLOUDTRAIL_REGIONS');
  for (const region of cloudTrailRegions) r.check(REGION.test(region), `CLOUDTRAIL_REGIONS has ${JSON.stringify(region)}, which is not an AWS region name.`);
  const crossAccount = readCrossAccount(r);
  const allowedAccountIds = readAllowedAccounts(r);
  const replacementSecret = readReplacementSecret(r);
  const dryRun = readBoolean(r, 'DRY_RUN');
  const execution = readExecution(r);
  const review = readReview(r);
  const logLevel = (r.get('LOG_LEVEL') ?? 'info').toLowerCase();
  r.check(LOG_LEVELS.includes(logLevel), `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(logLevel)}).`);
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return Object.freeze({
    slack, port, awsRegion, incidentTable, approvers, cloudTrailRegions, ...(crossAccount ? { crossAccount } : {}), allowedAccountIds, replacementSecret, dryRun, logLevel, execution, review,
  });
}
