/**
 * One JSON 1.1 request in (`X-Amz-Target: secretsmanager.CreateSecret`,
 * `CloudTrail_20131101.LookupEvents`, `AWSOrganizationsV20161128.ListAccounts`), one JSON
 * answer out: `{"__type": code, "Message": …}` (plus members such as Organizations' `Reason`)
 * with the error's status, or the operation's output.
 * Test faults use the IAM names: Throttling becomes ThrottlingException (Organizations:
 * TooManyRequestsException) and AccessDenied AccessDeniedException, as a JSON service calls them.
 */
import { randomUUID } from 'node:crypto';
import { cloudTrailHandlers } from './cloudtrail-handlers.js';
import type { AwsCall } from './dispatch.js';
import { FakeAwsFault, type FailureSpec, type FaultPlan } from './faults.js';
import { organizationsHandlers } from './organizations-handlers.js';
import { credentialScope } from './request.js';
import { secretsManagerHandlers, type JsonHandler, type JsonObject } from './secrets-handlers.js';
import type { Caller, FakeAwsWorld } from './world.js';

/** Target prefix → service name as in the SigV4 scope. */
const TARGET_PREFIXES: Readonly<Record<string, string>> = {
  secretsmanager: 'secretsmanager',
  CloudTrail_20131101: 'cloudtrail',
  AWSOrganizationsV20161128: 'organizations',
};

/** Service name → its operations. */
const HANDLERS: Readonly<Record<string, Readonly<Record<string, JsonHandler>>>> = {
  secretsmanager: secretsManagerHandlers,
  cloudtrail: cloudTrailHandlers,
  organizations: organizationsHandlers,
};

/** Request members whose values never go into the call log. */
const SECRET_MEMBERS: ReadonlySet<string> = new Set(['SecretString', 'SecretBinary']);
/** What the call log shows instead of a secret value. */
export const REDACTED = '(redacted)';

const JSON_FAULT_NAMES: Readonly<Record<string, string>> = {
  Throttling: 'ThrottlingException',
  AccessDenied: 'AccessDeniedException',
};

/** Services whose errors are named otherwise. */
const SERVICE_FAULT_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  organizations: { Throttling: 'TooManyRequestsException' },
};

/** A JSON request as the server read it. */
export interface JsonRequest {
  readonly target: string;
  readonly body: string;
  readonly authorization: string | undefined;
}

/** The answer to send, and the call to record. */
export interface JsonDispatchResult {
  readonly status: number;
  readonly json: string;
  readonly requestId: string;
  readonly call: AwsCall;
}

/** The operation named by an `X-Amz-Target` header (`secretsmanager.CreateSecret` → `CreateSecret`). */
export function targetAction(target: string): string {
  return target.slice(target.indexOf('.') + 1);
}

/** The request's members for the call log, secret values replaced by `(redacted)`. */
export function loggedMembers(input: JsonObject): Record<string, string> {
  const members: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (SECRET_MEMBERS.has(name)) members[name] = REDACTED;
    else members[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return members;
}

/** Answers one JSON request, recording it as an `AwsCall`. */
export function dispatchJson(request: JsonRequest, world: FakeAwsWorld, faults: FaultPlan): JsonDispatchResult {
  const requestId = randomUUID();
  const scope = credentialScope(request.authorization);
  const prefix = request.target.slice(0, request.target.indexOf('.'));
  const action = targetAction(request.target);
  const input = parseInput(request.body);
  const service = scope?.service ?? TARGET_PREFIXES[prefix] ?? 'unknown';
  const call = {
    service,
    region: scope?.region,
    action,
    params: input ? loggedMembers(input) : {},
    accessKeyId: scope?.accessKeyId,
    requestId,
  };
  try {
    if (!scope) throw new FakeAwsFault('MissingAuthenticationTokenException', 'Missing Authentication Token', 400);
    const targetService = TARGET_PREFIXES[prefix];
    const handler = targetService ? HANDLERS[targetService]?.[action] : undefined;
    if (!targetService || !handler) throw new FakeAwsFault('UnknownOperationException', undefined, 400);
    if (!input) throw new FakeAwsFault('SerializationException', 'Start of structure or map found where not expected.', 400);
    const caller = world.caller(scope.accessKeyId);
    const planned = faults.isDenied(action) ? { code: 'AccessDenied' } : faults.take(action);
    if (planned) throw jsonFault(planned, caller, targetService, `${service}:${action}`, resourceOf(input));
    const output = handler({ input, world, caller, region: scope.region });
    return { status: 200, json: JSON.stringify(output), requestId, call: { ...call, status: 200 } };
  } catch (error) {
    const fault = error instanceof FakeAwsFault ? error : internalError(error);
    const json = JSON.stringify({ __type: fault.code, Message: fault.message, ...fault.fields });
    return { status: fault.status, json, requestId, call: { ...call, status: fault.status, errorCode: fault.code } };
  }
}

function parseInput(body: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(body === '' ? '{}' : body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

function jsonFault(planned: FailureSpec, caller: Caller, targetService: string, permission: string, resource: string): FakeAwsFault {
  const code = SERVICE_FAULT_NAMES[targetService]?.[planned.code] ?? JSON_FAULT_NAMES[planned.code] ?? planned.code;
  const denied = `User: ${caller.arn} is not authorized to perform: ${permission} on resource: ${resource} because no identity-based policy allows the ${permission} action`;
  const message = code === 'AccessDeniedException' ? (planned.message ?? denied) : planned.message;
  return new FakeAwsFault(code, message, planned.status ?? (code.endsWith('Exception') ? 400 : undefined));
}

/** The secret a request is about, as an access-denied message names it. */
function resourceOf(input: JsonObject): string {
  const id = input.SecretId ?? input.Name;
  return typeof id === 'string' ? id : '*';
}

function internalError(error: unknown): FakeAwsFault {
  const detail = error instanceof Error ? error.message : String(error);
  return new FakeAwsFault('InternalServiceError', `Fake AWS handler failed: ${detail}`, 500);
}
