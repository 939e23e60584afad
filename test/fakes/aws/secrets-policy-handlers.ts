/**
 * Secrets Manager's resource policies, values and tags, in the shapes of the API reference:
 * PutResourcePolicy (MalformedPolicyDocumentException for a document that is not a policy;
 * with BlockPublicPolicy, PublicPolicyException for an Allow to every principal), PutSecretValue
 * (idempotent on ClientRequestToken), TagResource, and the policy's Deny statements enforced on
 * the caller: IAM's `aws:PrincipalArn` (a role session counts as its role) against
 * `ArnNotEquals`/`StringNotEquals` (and their `Like` forms) on it.
 */
import { randomUUID } from 'node:crypto';
import { FakeAwsFault } from './faults.js';
import type { SecretState } from './secrets-state.js';
import { checkTokenLength, type JsonHandlerContext, type JsonObject, optionalString, requiredString, secretOf, tagsOf } from './secrets-handlers.js';

interface Statement {
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const NEGATED_ARN_OPERATORS = ['ArnNotEquals', 'ArnNotLike', 'StringNotEquals', 'StringNotLike'];

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function malformed(why: string): FakeAwsFault {
  return new FakeAwsFault('MalformedPolicyDocumentException', `This resource policy contains a syntax error: ${why}`);
}

/** The statements of a resource policy, or MalformedPolicyDocumentException. */
function statementsOf(policy: string): Statement[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw malformed('not JSON');
  }
  const statements = list((parsed as { Statement?: unknown } | null)?.Statement) as Statement[];
  if (statements.length === 0) throw malformed('no Statement');
  for (const s of statements) {
    if (typeof s !== 'object' || s === null) throw malformed('a statement is not an object');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed('Effect must be Allow or Deny');
    if (s.Principal === undefined) throw malformed('a resource policy statement needs a Principal');
    if (list(s.Action).length === 0) throw malformed('a statement needs an Action');
  }
  return statements;
}

const everyone = (principal: unknown) =>
  principal === '*' || list((principal as { AWS?: unknown } | null)?.AWS).includes('*');

/** An Allow to every principal with no condition: what BlockPublicPolicy refuses. */
function isPublic(statements: readonly Statement[]): boolean {
  return statements.some((s) => s.Effect === 'Allow' && everyone(s.Principal) && s.Condition === undefined);
}

export function putResourcePolicy(ctx: JsonHandlerContext): JsonObject {
  const secret = secretOf(ctx);
  const policy = requiredString(ctx.input, 'ResourcePolicy');
  const statements = statementsOf(policy);
  if (ctx.input.BlockPublicPolicy === true && isPublic(statements)) {
    throw new FakeAwsFault('PublicPolicyException', 'The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.');
  }
  enforceResourcePolicy(ctx, secret, 'secretsmanager:PutResourcePolicy');
  secret.resourcePolicy = policy;
  return { ARN: secret.arn, Name: secret.name };
}

export function putSecretValue(ctx: JsonHandlerContext): JsonObject {
  const secret = secretOf(ctx);
  enforceResourcePolicy(ctx, secret, 'secretsmanager:PutSecretValue');
  const token = optionalString(ctx.input, 'ClientRequestToken') ?? randomUUID();
  checkTokenLength(token);
  const secretString = optionalString(ctx.input, 'SecretString');
  const existing = secret.versions.get(token);
  if (existing) {
    if (existing.secretString !== secretString) throw new FakeAwsFault('ResourceExistsException', "You can't modify an existing version, you can only create a new version.");
    return { ARN: secret.arn, Name: secret.name, VersionId: existing.id, VersionStages: [...existing.stages] };
  }
  for (const v of secret.versions.values()) {
    const current = v.stages.indexOf('AWSCURRENT');
    if (current >= 0) v.stages.splice(current, 1, 'AWSPREVIOUS');
  }
  secret.versions.set(token, { id: token, secretString, createdAt: new Date(), stages: ['AWSCURRENT'] });
  return { ARN: secret.arn, Name: secret.name, VersionId: token, VersionStages: ['AWSCURRENT'] };
}

export function tagResource(ctx: JsonHandlerContext): JsonObject {
  const secret = secretOf(ctx);
  const added = tagsOf(ctx.input);
  secret.tags = [...secret.tags.filter((t) => !added.some((a) => a.Key === t.Key)), ...added];
  return {};
}

/** AccessDeniedException when a Deny of the secret's resource policy applies to the caller. */
export function enforceResourcePolicy(ctx: JsonHandlerContext, secret: SecretState, action: string): void {
  if (secret.resourcePolicy === undefined) return;
  const principalArn = ctx.world.principalArn(ctx.caller);
  const denied = statementsOf(secret.resourcePolicy).some((s) =>
    s.Effect === 'Deny' && everyone(s.Principal) && list(s.Action).some((a) => a === action || a === 'secretsmanager:*' || a === '*')
    && conditionHolds(s.Condition, principalArn));
  if (denied) {
    throw new FakeAwsFault('AccessDeniedException',
      `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: ${secret.name} with an explicit deny in a resource-based policy`);
  }
}

/** Every condition of the statement holds for `principalArn` (only negated matches on aws:PrincipalArn are understood). */
function conditionHolds(condition: Statement['Condition'], principalArn: string): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition).every(([operator, keys]) => {
    if (!NEGATED_ARN_OPERATORS.includes(operator)) throw new Error(`the fake does not evaluate ${operator}`);
    return Object.entries(keys).every(([key, values]) => {
      if (key.toLowerCase() !== 'aws:principalarn') throw new Error(`the fake does not evaluate ${key}`);
      return !list(values).includes(principalArn);
    });
  });
}
