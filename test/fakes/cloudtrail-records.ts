/**
 * CloudTrail records written after CloudTrail's documented record format (eventVersion 1.09,
 * `userIdentity` for IAM users, GetSessionToken sessions and assumed roles with their
 * `sessionContext`, STS `responseElements.credentials`, AccessDenied errors …), so a test can
 * write a compromise scenario in a few lines and load it with `aws.trail(region).add(records)`.
 * Also `readTrailLog`, which reads a CloudTrail log file and reports a broken one clearly.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { keyIdForAccount } from './aws/access-key-id.js';
import type { CloudTrailRecord } from './aws/cloudtrail-state.js';
import { uniqueId } from './aws/state.js';

/** The `userIdentity` element of a record. */
export type UserIdentity = Readonly<Record<string, unknown>> & { readonly accountId: string; readonly arn: string };

/** A request made with an IAM user's long-term key (`AKIA…`). */
export function iamUser(account: string, userName: string, accessKeyId: string): UserIdentity {
  const arn = `arn:aws:iam::${account}:user/${userName}`;
  return { type: 'IAMUser', principalId: uniqueId('AIDA', arn), arn, accountId: account, accessKeyId, userName };
}

/** A request made with GetSessionToken credentials (`ASIA…`) of an IAM user. */
export function sessionUser(account: string, userName: string, accessKeyId: string, createdAt: Date, mfa = false): UserIdentity {
  const attributes = { creationDate: isoSeconds(createdAt), mfaAuthenticated: String(mfa) };
  return { ...iamUser(account, userName, accessKeyId), sessionContext: { attributes } };
}

/** A request made with a role session's credentials (`ASIA…`). */
export function assumedRole(
  account: string,
  roleName: string,
  sessionName: string,
  accessKeyId: string,
  createdAt: Date,
  mfa = false,
): UserIdentity {
  const roleArn = `arn:aws:iam::${account}:role/${roleName}`;
  const roleId = uniqueId('AROA', roleArn);
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${sessionName}`,
    arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
    accountId: account,
    accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: roleId, arn: roleArn, accountId: account, userName: roleName },
      webIdFederationData: {},
      attributes: { creationDate: isoSeconds(createdAt), mfaAuthenticated: String(mfa) },
    },
  };
}

/** What varies between records; the rest is filled in as CloudTrail would. */
export interface RecordSeed {
  readonly identity: UserIdentity;
  readonly eventName: string;
  /** e.g. `iam.amazonaws.com`. */
  readonly eventSource: string;
  readonly time: Date;
  /** Default us-east-1. */
  readonly region?: string;
  readonly readOnly?: boolean;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly requestParameters?: Readonly<Record<string, unknown>> | null;
  readonly responseElements?: Readonly<Record<string, unknown>> | null;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly resources?: ReadonlyArray<{ readonly ARN: string; readonly type: string; readonly accountId?: string }>;
  readonly eventId?: string;
}

/** Where the attacker in scenarios calls from, unless a seed says otherwise. */
export const ATTACKER_IP = '203.0.113.77';
/** The attacker's user agent in scenarios, unless a seed says otherwise. */
export const ATTACKER_AGENT = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/iam.list-users';

/** A management event record as CloudTrail delivers it. */
export function cloudTrailRecord(seed: RecordSeed): CloudTrailRecord {
  const region = seed.region ?? 'us-east-1';
  const service = seed.eventSource.split('.')[0]!;
  return {
    eventVersion: '1.09',
    userIdentity: seed.identity,
    eventTime: isoSeconds(seed.time),
    eventSource: seed.eventSource,
    eventName: seed.eventName,
    awsRegion: region,
    sourceIPAddress: seed.sourceIPAddress ?? ATTACKER_IP,
    userAgent: seed.userAgent ?? ATTACKER_AGENT,
    ...(seed.errorCode === undefined ? {} : { errorCode: seed.errorCode, errorMessage: seed.errorMessage ?? seed.errorCode }),
    requestParameters: seed.requestParameters ?? null,
    responseElements: seed.responseElements ?? null,
    requestID: randomUUID(),
    eventID: seed.eventId ?? randomUUID(),
    readOnly: seed.readOnly ?? /^(Get|List|Describe|Head|Lookup)/.test(seed.eventName),
    ...(seed.resources ? { resources: seed.resources } : {}),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: seed.identity.accountId,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${service}.${region}.amazonaws.com`,
    },
  };
}

/** When and where an STS or refused call happened; the rest of its record as `RecordSeed`. */
export interface CallSeed extends Partial<Omit<RecordSeed, 'identity' | 'time'>> {
  readonly time: Date;
}

/** GetSessionToken by `identity`, minting `newAccessKeyId` (a fresh `ASIA…` key of the account by default). */
export function getSessionToken(identity: UserIdentity, call: CallSeed & { newAccessKeyId?: string; durationSeconds?: number }): CloudTrailRecord {
  const { newAccessKeyId = asiaKeyFor(identity), durationSeconds = 43_200, ...seed } = call;
  return cloudTrailRecord({
    identity,
    eventName: 'GetSessionToken',
    eventSource: 'sts.amazonaws.com',
    readOnly: true,
    requestParameters: { durationSeconds },
    responseElements: { credentials: credentials(newAccessKeyId, call.time, durationSeconds) },
    ...seed,
  });
}

/** AssumeRole of `roleArn` by `identity`, minting `newAccessKeyId`. */
export function assumeRole(
  identity: UserIdentity,
  call: CallSeed & { roleArn: string; sessionName: string; newAccessKeyId?: string },
): CloudTrailRecord {
  const { roleArn, sessionName, newAccessKeyId = asiaKeyFor(identity), ...seed } = call;
  const account = roleArn.split(':')[4]!;
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  return cloudTrailRecord({
    identity,
    eventName: 'AssumeRole',
    eventSource: 'sts.amazonaws.com',
    readOnly: true,
    requestParameters: { roleArn, roleSessionName: sessionName, durationSeconds: 3600 },
    responseElements: {
      credentials: credentials(newAccessKeyId, call.time, 3600),
      assumedRoleUser: {
        assumedRoleId: `${uniqueId('AROA', roleArn)}:${sessionName}`,
        arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
      },
    },
    resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: roleArn }],
    ...seed,
  });
}

/** A call refused with AccessDenied, worded as IAM words it. */
export function accessDenied(identity: UserIdentity, call: CallSeed & { eventName: string; eventSource: string }): CloudTrailRecord {
  const permission = `${call.eventSource.split('.')[0]}:${call.eventName}`;
  return cloudTrailRecord({
    identity,
    errorCode: 'AccessDenied',
    errorMessage:
      `User: ${identity.arn} is not authorized to perform: ${permission} on resource: * ` +
      `because no identity-based policy allows the ${permission} action`,
    ...call,
  });
}

/** `count` read calls by `identity`, spread evenly from `from` to `to` (inclusive), cycling through common reads. */
export function history(identity: UserIdentity, count: number, from: Date, to: Date, region = 'us-east-1'): CloudTrailRecord[] {
  const calls = [
    ['ListBuckets', 's3.amazonaws.com'],
    ['DescribeInstances', 'ec2.amazonaws.com'],
    ['ListUsers', 'iam.amazonaws.com'],
    ['GetCallerIdentity', 'sts.amazonaws.com'],
  ] as const;
  const step = count > 1 ? (to.getTime() - from.getTime()) / (count - 1) : 0;
  return Array.from({ length: count }, (_, i) => {
    const [eventName, eventSource] = calls[i % calls.length]!;
    return cloudTrailRecord({ identity, time: new Date(from.getTime() + Math.round(i * step)), eventName, eventSource, region });
  });
}

/** A log file's records, or what is wrong with the file. */
export type TrailLog =
  | { readonly ok: true; readonly file: string; readonly records: CloudTrailRecord[] }
  | { readonly ok: false; readonly file: string; readonly problem: string };

/** Reads a CloudTrail log file (`{"Records": [...]}`); a broken file is reported with its line and column. */
export function readTrailLog(path: string): TrailLog {
  const file = basename(path);
  const text = readFileSync(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, file, problem: `${file} is not valid JSON: ${jsonProblem(error, text)}` };
  }
  const records = (parsed as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records) || !records.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    return { ok: false, file, problem: `${file} is not a CloudTrail log: it has no "Records" array of objects` };
  }
  return { ok: true, file, records: records as CloudTrailRecord[] };
}

function jsonProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  if (!position || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

function credentials(accessKeyId: string, issued: Date, durationSeconds: number): Record<string, string> {
  const expires = new Date(issued.getTime() + durationSeconds * 1000);
  // CloudTrail writes STS expirations in this US English form, not ISO-8601.
  const expiration = expires
    .toLocaleString('en-US', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'medium' })
    .replace(/\s/g, ' ');
  return { accessKeyId, sessionToken: `IQoJb3JpZ2luX2VjEXAMPLE${accessKeyId.slice(-8)}`, expiration };
}

/** A fresh `ASIA…` key id in the identity's account. */
export function asiaKeyFor(identity: UserIdentity): string {
  return keyIdForAccount(identity.accountId, 'ASIA');
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
