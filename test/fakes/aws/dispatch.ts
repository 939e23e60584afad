/**
 * One awsQuery request in, one XML answer out: find the service and operation, apply the
 * test's faults, run the handler, render the answer or the error envelope.
 */
import { randomUUID } from 'node:crypto';
import { FakeAwsFault, type FaultPlan, type FailureSpec } from './faults.js';
import type { HandlerTable } from './handlers.js';
import { iamCredentialHandlers } from './iam-credential-handlers.js';
import { iamReadHandlers } from './iam-read-handlers.js';
import { iamRoleHandlers } from './iam-role-handlers.js';
import { iamWriteHandlers } from './iam-write-handlers.js';
import { QueryParams, credentialScope } from './request.js';
import { stsHandlers } from './sts-handlers.js';
import type { Caller, FakeAwsWorld } from './world.js';
import { Namespace, errorXml, successXml, type XmlFields } from './xml.js';

interface ServiceDefinition {
  readonly version: string;
  readonly namespace: string;
  readonly handlers: HandlerTable;
  /** The code this service uses for its own 500s. */
  readonly internalErrorCode: string;
}

const SERVICES: Readonly<Record<string, ServiceDefinition>> = {
  iam: {
    version: '2010-05-08',
    namespace: Namespace.iam,
    handlers: { ...iamReadHandlers, ...iamWriteHandlers, ...iamCredentialHandlers, ...iamRoleHandlers },
    internalErrorCode: 'ServiceFailure',
  },
  sts: { version: '2011-06-15', namespace: Namespace.sts, handlers: stsHandlers, internalErrorCode: 'InternalFailure' },
};

/** One request as the fake saw it, for assertions. */
export interface AwsCall {
  /** From the SigV4 credential scope (`iam`, `sts`), else guessed from Version. */
  readonly service: string;
  /** From the SigV4 credential scope. */
  readonly region: string | undefined;
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  readonly accessKeyId: string | undefined;
  readonly status: number;
  readonly requestId: string;
  /** AWS error code of the answer, when it was an error. */
  readonly errorCode?: string;
  /** The `app/<id>` of the request's User-Agent, when it has one (which process sent it). */
  readonly agent?: string;
}

export interface RawRequest {
  readonly body: string;
  readonly authorization: string | undefined;
}

export interface DispatchResult {
  readonly status: number;
  readonly xml: string;
  readonly requestId: string;
  readonly call: AwsCall;
}

/** Answers one request, recording it as an `AwsCall`. */
export async function dispatch(request: RawRequest, world: FakeAwsWorld, faults: FaultPlan): Promise<DispatchResult> {
  const requestId = randomUUID();
  const scope = credentialScope(request.authorization);
  const { action, version, params } = QueryParams.parse(request.body);
  const service = scope?.service ?? serviceOfVersion(version);
  const definition = SERVICES[service];
  const namespace = definition?.namespace ?? Namespace.iam;
  const call = {
    service,
    region: scope?.region,
    action,
    params: params.toObject(),
    accessKeyId: scope?.accessKeyId,
    requestId,
  };
  try {
    if (!scope) throw new FakeAwsFault('MissingAuthenticationToken', 'Request is missing Authentication Token');
    const caller = world.caller(scope.accessKeyId);
    const handler = definition && version === definition.version ? definition.handlers[action] : undefined;
    if (!handler) throw new FakeAwsFault('InvalidAction', `Could not find operation ${action} for version ${version}`);
    const planned = faults.isDenied(action) ? { code: 'AccessDenied' } : faults.take(action);
    if (planned) throw plannedFault(planned, { caller, service, action, params });
    const result: XmlFields | undefined = await handler({ params, world, caller, account: world.account(caller.account) });
    return { status: 200, xml: successXml(action, namespace, result, requestId), requestId, call: { ...call, status: 200 } };
  } catch (error) {
    const fault = error instanceof FakeAwsFault ? error : internalFault(error, definition);
    const xml = errorXml(fault, namespace, requestId);
    return { status: fault.status, xml, requestId, call: { ...call, status: fault.status, errorCode: fault.code } };
  }
}

function serviceOfVersion(version: string): string {
  return Object.entries(SERVICES).find(([, d]) => d.version === version)?.[0] ?? 'unknown';
}

interface CallContext {
  readonly caller: Caller;
  readonly service: string;
  readonly action: string;
  readonly params: QueryParams;
}

/** A test-planned failure; AccessDenied without a message gets IAM's usual wording. */
function plannedFault(planned: FailureSpec, call: CallContext): FakeAwsFault {
  const message = planned.code === 'AccessDenied' ? (planned.message ?? accessDeniedMessage(call)) : planned.message;
  return new FakeAwsFault(planned.code, message, planned.status);
}

/** What AWS says to a principal whose policies do not allow the action. */
function accessDeniedMessage({ caller, service, action, params }: CallContext): string {
  const permission = `${service}:${action}`;
  const resource = deniedResource(caller.account, params);
  return `User: ${caller.arn} is not authorized to perform: ${permission} on resource: ${resource} because no identity-based policy allows the ${permission} action`;
}

function deniedResource(account: string, params: QueryParams): string {
  const user = params.optional('UserName');
  if (user !== undefined) return `arn:aws:iam::${account}:user/${user}`;
  const group = params.optional('GroupName');
  if (group !== undefined) return `arn:aws:iam::${account}:group/${group}`;
  const role = params.optional('RoleName');
  if (role !== undefined) return `arn:aws:iam::${account}:role/${role}`;
  return params.optional('PolicyArn') ?? params.optional('RoleArn') ?? '*';
}

function internalFault(error: unknown, definition: ServiceDefinition | undefined): FakeAwsFault {
  const detail = error instanceof Error ? error.message : String(error);
  return new FakeAwsFault(definition?.internalErrorCode ?? 'InternalFailure', `Fake AWS handler failed: ${detail}`, 500);
}
