/**
 * Builds CloudTrail records as CloudTrail writes them (`eventID`, `sourceIPAddress`, STS
 * expirations as `Sep 30, 2026 3:40:11 AM`), following the record contents reference, and
 * reads them through the production parser.
 */
import { toTrailEvent } from '../../../../src/domain/review/parse.js';
import type { TrailEvent } from '../../../../src/domain/review/types.js';

export const ACCOUNT = '111122223333';
export const ROOT_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const ATTACKER_IP = '203.0.113.77';
export const OFFICE_IP = '198.51.100.10';
export const T0 = '2026-11-28T02:40:00Z';

export type Raw = Record<string, unknown>;

/** `userIdentity` of a call made with an IAM user's key. */
export function iamUser(userName = 'ci-bot', accessKeyId = ROOT_KEY): Raw {
  return {
    type: 'IAMUser',
    principalId: 'AIDAJ45Q7YFFAREXAMPLE',
    arn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
    accountId: ACCOUNT,
    accessKeyId,
    userName,
  };
}

/** `userIdentity` of a call made with a role session's temporary key. */
export function assumedRole(roleName: string, session: string, accessKeyId: string): Raw {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLEROLEID:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}`,
    accountId: ACCOUNT,
    accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLEID', arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`, accountId: ACCOUNT, userName: roleName },
      attributes: { creationDate: T0, mfaAuthenticated: 'false' },
    },
  };
}

/** `userIdentity` of a call made with GetSessionToken credentials (CloudTrail shows the user). */
export function sessionOf(userName: string, accessKeyId: string): Raw {
  return { ...iamUser(userName, accessKeyId), sessionContext: { attributes: { creationDate: T0, mfaAuthenticated: 'false' } } };
}

let sequence = 0;

/** `T0` plus some seconds, as CloudTrail writes times. */
export function at(seconds: number): string {
  return new Date(Date.parse(T0) + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** CloudTrail's format for STS expirations: `Nov 28, 2026 3:40:00 AM`. */
export function cloudTrailDate(iso: string): string {
  const d = new Date(iso);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

export interface RecordParts {
  readonly eventName: string;
  readonly eventSource: string;
  readonly awsRegion?: string;
  readonly eventTime?: string;
  readonly userIdentity?: Raw;
  readonly requestParameters?: Raw | null;
  readonly responseElements?: Raw | null;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly readOnly?: boolean;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly eventID?: string;
}

/** A whole CloudTrail record (management event, API call). */
export function record(parts: RecordParts): Raw {
  sequence += 1;
  const { eventID, errorCode, errorMessage, readOnly, ...rest } = parts;
  return {
    eventVersion: '1.11',
    userIdentity: iamUser(),
    eventTime: T0,
    awsRegion: 'us-east-1',
    sourceIPAddress: ATTACKER_IP,
    userAgent: 'aws-cli/2.17.60 md/command#iam.create-user',
    requestParameters: null,
    responseElements: null,
    ...rest,
    ...(errorCode && { errorCode, errorMessage: errorMessage ?? 'not authorized' }),
    requestID: `req-${sequence}`,
    eventID: eventID ?? `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    ...(readOnly !== undefined && { readOnly }),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
}

/** A record read as the review reads it. */
export function trail(parts: RecordParts | Raw): TrailEvent {
  // Whole records (from `record` or a fixture) carry `eventVersion`; parts do not.
  const raw = 'eventVersion' in parts ? parts : record(parts as RecordParts);
  const event = toTrailEvent(raw);
  if (!event) throw new Error(`builder made an unreadable record: ${JSON.stringify(raw)}`);
  return event;
}

/** An IAM API call. */
export function iam(eventName: string, requestParameters: Raw | null, responseElements: Raw | null = null, extra: Partial<RecordParts> = {}): TrailEvent {
  return trail({ eventName, eventSource: 'iam.amazonaws.com', requestParameters, responseElements, ...extra });
}

/** STS credentials as CloudTrail records them (the secret is never logged; the token is). */
function credentials(accessKeyId: string, expiresIso: string): Raw {
  return { accessKeyId, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN', expiration: cloudTrailDate(expiresIso) };
}

export interface Minting {
  readonly by: Raw;
  readonly newKey: string;
  readonly time?: string;
  readonly expires?: string;
}

/** A successful GetSessionToken. */
export function getSessionToken(m: Minting): TrailEvent {
  return trail({
    eventName: 'GetSessionToken', eventSource: 'sts.amazonaws.com', userIdentity: m.by, eventTime: m.time ?? T0,
    requestParameters: { durationSeconds: 43200 },
    responseElements: { credentials: credentials(m.newKey, m.expires ?? at(43200)) },
  });
}

/** A successful GetFederationToken for federated user `name`. */
export function getFederationToken(m: Minting & { name: string }): TrailEvent {
  return trail({
    eventName: 'GetFederationToken', eventSource: 'sts.amazonaws.com', userIdentity: m.by, eventTime: m.time ?? T0,
    requestParameters: { name: m.name, durationSeconds: 3600 },
    responseElements: {
      credentials: credentials(m.newKey, m.expires ?? at(3600)),
      federatedUser: { federatedUserId: `${ACCOUNT}:${m.name}`, arn: `arn:aws:sts::${ACCOUNT}:federated-user/${m.name}` },
    },
  });
}

/** A successful AssumeRole of `roleName` with session `session`. */
export function assumeRole(m: Minting & { roleName: string; session: string; rolePath?: string }): TrailEvent {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${m.rolePath ?? ''}${m.roleName}`;
  return trail({
    eventName: 'AssumeRole', eventSource: 'sts.amazonaws.com', userIdentity: m.by, eventTime: m.time ?? T0, readOnly: true,
    requestParameters: { roleArn, roleSessionName: m.session },
    responseElements: {
      credentials: credentials(m.newKey, m.expires ?? at(3600)),
      assumedRoleUser: { assumedRoleId: `AROAEXAMPLEROLEID:${m.session}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${m.roleName}/${m.session}` },
    },
  });
}
