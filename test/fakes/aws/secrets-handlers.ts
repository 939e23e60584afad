/**
 * Secrets Manager operations (JSON 1.1, `secretsmanager.<Operation>`), in the shapes of the
 * Secrets Manager API reference. Times are epoch seconds, as the JSON protocols send them.
 *
 * CreateSecret is idempotent on ClientRequestToken as documented: the same token with the same
 * value answers as the first call did; an existing name with another token is
 * ResourceExistsException ("The operation failed because the secret … already exists.").
 */
import { randomUUID } from 'node:crypto';
import { FakeAwsFault } from './faults.js';
import { versionAt, type SecretState, type SecretTag } from './secrets-state.js';
import { enforceResourcePolicy, putResourcePolicy, putSecretValue, tagResource } from './secrets-policy-handlers.js';
import type { Caller, FakeAwsWorld } from './world.js';

/** A parsed JSON request or answer body. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** What a Secrets Manager handler gets: the request, the world, who signed, which region. */
export interface JsonHandlerContext {
  readonly input: JsonObject;
  readonly world: FakeAwsWorld;
  readonly caller: Caller;
  /** From the SigV4 credential scope. */
  readonly region: string;
}

/** Returns the operation's output or throws `FakeAwsFault`. */
export type JsonHandler = (ctx: JsonHandlerContext) => JsonObject;

const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const MIN_TOKEN = 32;
const MAX_TOKEN = 64;

function createSecret(ctx: JsonHandlerContext): JsonObject {
  const name = requiredString(ctx.input, 'Name');
  if (!NAME_PATTERN.test(name)) {
    throw new FakeAwsFault('InvalidParameterException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
  }
  const token = optionalString(ctx.input, 'ClientRequestToken') ?? randomUUID();
  checkTokenLength(token);
  const secretString = optionalString(ctx.input, 'SecretString');
  const kmsKeyId = optionalString(ctx.input, 'KmsKeyId');
  const existing = ctx.world.secrets.find(ctx.caller.account, ctx.region, name);
  if (existing) return repeatedCreate(existing, token, secretString);
  const secret = ctx.world.secrets.add({
    name,
    account: ctx.caller.account,
    region: ctx.region,
    description: optionalString(ctx.input, 'Description'),
    tags: tagsOf(ctx.input),
    ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    ...(secretString === undefined ? {} : { version: { id: token, secretString } }),
  });
  return { ARN: secret.arn, Name: secret.name, ...(secretString === undefined ? {} : { VersionId: token }) };
}

/** A CreateSecret for a name that exists: the same call again, or a conflict. */
function repeatedCreate(secret: SecretState, token: string, secretString: string | undefined): JsonObject {
  const version = secret.versions.get(token);
  if (!version) {
    throw new FakeAwsFault('ResourceExistsException', `The operation failed because the secret ${secret.name} already exists.`);
  }
  if (version.secretString !== secretString) {
    throw new FakeAwsFault('ResourceExistsException', "You can't modify an existing version, you can only create a new version.");
  }
  return { ARN: secret.arn, Name: secret.name, VersionId: version.id };
}

function describeSecret(ctx: JsonHandlerContext): JsonObject {
  const secret = secretOf(ctx);
  const stages = Object.fromEntries([...secret.versions.values()].map((v) => [v.id, [...v.stages]]));
  const lastChanged = Math.max(secret.createdAt.getTime(), ...[...secret.versions.values()].map((v) => v.createdAt.getTime()));
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description === undefined ? {} : { Description: secret.description }),
    LastChangedDate: epochSeconds(new Date(lastChanged)),
    ...(secret.tags.length > 0 ? { Tags: secret.tags } : {}),
    ...(secret.kmsKeyId === undefined ? {} : { KmsKeyId: secret.kmsKeyId }),
    VersionIdsToStages: stages,
    CreatedDate: epochSeconds(secret.createdAt),
  };
}

function getSecretValue(ctx: JsonHandlerContext): JsonObject {
  const secret = secretOf(ctx);
  enforceResourcePolicy(ctx, secret, 'secretsmanager:GetSecretValue');
  const versionId = optionalString(ctx.input, 'VersionId');
  const stage = optionalString(ctx.input, 'VersionStage');
  const version = versionId === undefined ? versionAt(secret, stage) : secret.versions.get(versionId);
  if (!version || (stage !== undefined && !version.stages.includes(stage))) {
    const what = versionId === undefined ? `staging label: ${stage ?? 'AWSCURRENT'}` : `VersionId: ${versionId}`;
    throw new FakeAwsFault('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${what}`);
  }
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.id,
    ...(version.secretString === undefined ? {} : { SecretString: version.secretString }),
    VersionStages: [...version.stages],
    CreatedDate: epochSeconds(version.createdAt),
  };
}

export function secretOf(ctx: JsonHandlerContext): SecretState {
  const id = requiredString(ctx.input, 'SecretId');
  const secret = ctx.world.secrets.find(ctx.caller.account, ctx.region, id);
  if (!secret) throw new FakeAwsFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  return secret;
}

export function tagsOf(input: JsonObject): SecretTag[] {
  const tags = input.Tags;
  if (tags === undefined) return [];
  const valid = Array.isArray(tags) && tags.every((t: unknown) => isTag(t));
  if (!valid) throw new FakeAwsFault('InvalidParameterException', 'You provided an invalid value for a parameter.');
  return (tags as SecretTag[]).map(({ Key, Value }) => ({ Key, Value }));
}

function isTag(value: unknown): value is SecretTag {
  const tag = value as Partial<SecretTag> | null;
  return typeof tag === 'object' && tag !== null && typeof tag.Key === 'string' && typeof tag.Value === 'string';
}

export function checkTokenLength(token: string): void {
  if (token.length < MIN_TOKEN) throw lengthError(token, `greater than or equal to ${MIN_TOKEN}`);
  if (token.length > MAX_TOKEN) throw lengthError(token, `less than or equal to ${MAX_TOKEN}`);
}

function lengthError(token: string, bound: string): FakeAwsFault {
  return new FakeAwsFault(
    'ValidationException',
    `1 validation error detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length ${bound}`,
  );
}

export function requiredString(input: JsonObject, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined) {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    throw new FakeAwsFault('ValidationException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

export function optionalString(input: JsonObject, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FakeAwsFault('SerializationException', `Invalid value for ${name}`);
  return value;
}

/** Seconds since the epoch with milliseconds, as Secrets Manager writes timestamps. */
function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** Operation name (after `secretsmanager.`) → handler. */
export const secretsManagerHandlers: Readonly<Record<string, JsonHandler>> = {
  CreateSecret: createSecret,
  DescribeSecret: describeSecret,
  GetSecretValue: getSecretValue,
  PutResourcePolicy: putResourcePolicy,
  PutSecretValue: putSecretValue,
  TagResource: tagResource,
};
