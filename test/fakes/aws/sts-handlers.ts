/**
 * STS operations (2011-06-15).
 *
 * AssumeRole follows the API reference: RoleArn (20–2048 characters), RoleSessionName (2–64,
 * `[\w+=,.@-]*`), ExternalId (2–1224, `[\w+=,.@:\/-]*`) and DurationSeconds (900–43200, default
 * 3600) are checked first and every violation is reported in one ValidationError, as STS words
 * them. A role that does not exist, or whose trust policy does not let the caller in (see
 * `trust-policy.ts`), is the same 403 AccessDenied, so a caller cannot tell the two apart. A
 * duration over the role's MaxSessionDuration, or over an hour for a role session assuming
 * another role (role chaining), is a ValidationError. The session's `ASIA…` key decodes to
 * the role's account and is registered, so requests signed with it are made by the session.
 */
import { randomBytes } from 'node:crypto';
import { keyIdForAccount } from './access-key-id.js';
import { FakeAwsFault, validationError } from './faults.js';
import type { HandlerContext, HandlerTable } from './handlers.js';
import type { QueryParams } from './request.js';
import type { RoleState } from './state.js';
import { trustAllows } from './trust-policy.js';
import type { XmlFields } from './xml.js';

const MIN_KEY_ID_LENGTH = 16;

const MIN_DURATION = 900;
const MAX_DURATION = 43_200;
const DEFAULT_DURATION = 3600;
/** A role session may assume another role for an hour at most, whatever the role allows. */
const ROLE_CHAINING_LIMIT = 3600;

/** An IAM role ARN: `arn:aws:iam::<account>:role/<path><name>`. */
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/** A string member's constraints as the API reference gives them, and how STS prints its pattern. */
interface StringRule {
  readonly member: string;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  readonly patternText: string;
}

const ROLE_ARN_RULE: StringRule = {
  member: 'roleArn',
  min: 20,
  max: 2048,
  pattern: /^[\t\n\r\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]+$/u,
  patternText: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+',
};
const SESSION_NAME_RULE: StringRule = { member: 'roleSessionName', min: 2, max: 64, pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' };
const EXTERNAL_ID_RULE: StringRule = { member: 'externalId', min: 2, max: 1224, pattern: /^[\w+=,.@:/-]*$/, patternText: '[\\w+=,.@:\\/-]*' };

function getAccessKeyInfo(ctx: HandlerContext): XmlFields {
  const keyId = ctx.params.required('AccessKeyId');
  if (keyId.length < MIN_KEY_ID_LENGTH) {
    throw validationError(
      `Value '${keyId}' at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16`,
    );
  }
  const account = ctx.world.accountOfKey(keyId);
  if (account === undefined) {
    throw new FakeAwsFault('InvalidParameterValue', `The access key ID ${keyId} is not valid.`);
  }
  return { Account: account };
}

function getCallerIdentity(ctx: HandlerContext): XmlFields {
  return { Arn: ctx.caller.arn, UserId: ctx.caller.userId, Account: ctx.caller.account };
}

interface AssumeRoleRequest {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly externalId: string | undefined;
  readonly durationSeconds: number;
}

function assumeRole(ctx: HandlerContext): XmlFields {
  const request = assumeRoleRequest(ctx.params);
  const role = trustedRole(ctx, request);
  checkDuration(ctx, role, request.durationSeconds);
  const account = request.roleArn.split(':')[4]!;
  const arn = `arn:aws:sts::${account}:assumed-role/${role.name}/${request.sessionName}`;
  const identity = { account, arn, userId: `${role.id}:${request.sessionName}` };
  const accessKeyId = keyIdForAccount(account, 'ASIA');
  const expiration = new Date(Date.now() + request.durationSeconds * 1000);
  const { sessionName, externalId } = request;
  ctx.world.sessions.add({ accessKeyId, roleArn: role.arn, sessionName, externalId, callerArn: ctx.caller.arn, expiration, identity });
  return {
    AssumedRoleUser: { AssumedRoleId: identity.userId, Arn: arn },
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: randomBytes(30).toString('base64'),
      SessionToken: randomBytes(300).toString('base64'),
      Expiration: expiration,
    },
  };
}

/** The request, once every member satisfies its constraints. */
function assumeRoleRequest(params: QueryParams): AssumeRoleRequest {
  const roleArn = params.required('RoleArn');
  const sessionName = params.required('RoleSessionName');
  const externalId = params.optional('ExternalId');
  const duration = params.optional('DurationSeconds');
  const violations = [
    ...stringViolations(roleArn, ROLE_ARN_RULE),
    ...stringViolations(sessionName, SESSION_NAME_RULE),
    ...durationViolations(duration),
    ...(externalId === undefined ? [] : stringViolations(externalId, EXTERNAL_ID_RULE)),
  ];
  if (violations.length > 0) throw validationError(...violations);
  return { roleArn, sessionName, externalId, durationSeconds: duration === undefined ? DEFAULT_DURATION : Number(duration) };
}

function stringViolations(value: string, rule: StringRule): string[] {
  const at = `Value '${value}' at '${rule.member}' failed to satisfy constraint: Member must`;
  const violations: string[] = [];
  if (!rule.pattern.test(value)) violations.push(`${at} satisfy regular expression pattern: ${rule.patternText}`);
  if (value.length < rule.min) violations.push(`${at} have length greater than or equal to ${rule.min}`);
  if (value.length > rule.max) violations.push(`${at} have length less than or equal to ${rule.max}`);
  return violations;
}

function durationViolations(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const at = `Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must`;
  const seconds = Number(raw);
  // The SDK only sends integers; this wording for anything else is the fake's own.
  if (!Number.isInteger(seconds)) return [`${at} be an integer`];
  if (seconds < MIN_DURATION) return [`${at} have value greater than or equal to ${MIN_DURATION}`];
  if (seconds > MAX_DURATION) return [`${at} have value less than or equal to ${MAX_DURATION}`];
  return [];
}

/** The role the request names, if it exists and trusts the caller; AccessDenied otherwise, either way. */
function trustedRole(ctx: HandlerContext, request: AssumeRoleRequest): RoleState {
  const { caller, world } = ctx;
  const match = ROLE_ARN.exec(request.roleArn);
  const role = match ? world.accounts.get(match[1]!)?.roles.get(match[2]!) : undefined;
  const principals = new Set([caller.account, `arn:aws:iam::${caller.account}:root`, caller.arn, world.principalArn(caller)]);
  const trusted = role?.arn === request.roleArn && trustAllows(role.assumeRolePolicy, { principals, externalId: request.externalId });
  if (!role || !trusted) {
    throw new FakeAwsFault('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${request.roleArn}`);
  }
  return role;
}

function checkDuration(ctx: HandlerContext, role: RoleState, seconds: number): void {
  if (seconds > role.maxSessionDuration) {
    throw new FakeAwsFault('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  if (seconds > ROLE_CHAINING_LIMIT && ctx.world.sessions.byArn(ctx.caller.arn)) {
    throw new FakeAwsFault('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
}

export const stsHandlers: HandlerTable = {
  AssumeRole: assumeRole,
  GetAccessKeyInfo: getAccessKeyInfo,
  GetCallerIdentity: getCallerIdentity,
};
