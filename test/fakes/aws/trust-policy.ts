/**
 * Whether a role's trust policy lets a caller assume it: the part of IAM's evaluation that the
 * fake's cross-account tests need. A statement applies when its Action matches `sts:AssumeRole`
 * (wildcards allowed, case-insensitive), its `Principal` is `*` or names the caller under `AWS`
 * (account id, `arn:aws:iam::<account>:root`, or the caller's ARN), and its Condition, if any,
 * is exactly `StringEquals` on `sts:ExternalId` with the request's ExternalId. Any other
 * condition, `NotAction` or `NotPrincipal` makes the statement not apply, so the fake never
 * grants what real IAM might refuse. An applying Deny wins over any Allow; a policy that is
 * not JSON trusts no one.
 */

/** What IAM compares a trust policy with. */
export interface AssumeRoleRequestContext {
  /** Every name the caller matches as a principal. */
  readonly principals: ReadonlySet<string>;
  readonly externalId: string | undefined;
}

const ACTION = 'sts:AssumeRole';
const EXTERNAL_ID_KEY = 'sts:externalid';

type Statement = Readonly<Record<string, unknown>>;

export function trustAllows(policyText: string, request: AssumeRoleRequestContext): boolean {
  const applying = statementsOf(policyText).filter((s) => applies(s, request));
  return applying.some((s) => s.Effect === 'Allow') && !applying.some((s) => s.Effect === 'Deny');
}

function statementsOf(policyText: string): Statement[] {
  let policy: unknown;
  try {
    policy = JSON.parse(policyText);
  } catch {
    return [];
  }
  const statement = isObject(policy) ? policy.Statement : undefined;
  return asList(statement).filter(isObject);
}

function applies(statement: Statement, request: AssumeRoleRequestContext): boolean {
  return (
    asList(statement.Action).some((a) => typeof a === 'string' && wildcard(a).test(ACTION)) &&
    principalMatches(statement.Principal, request.principals) &&
    conditionHolds(statement.Condition, request.externalId)
  );
}

function principalMatches(principal: unknown, principals: ReadonlySet<string>): boolean {
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  return asList(principal.AWS).some((p) => p === '*' || (typeof p === 'string' && principals.has(p)));
}

/** No condition, or only `StringEquals: { "sts:ExternalId": value(s) }` matching the request. */
function conditionHolds(condition: unknown, externalId: string | undefined): boolean {
  if (condition === undefined) return true;
  if (!isObject(condition) || Object.keys(condition).length !== 1 || !isObject(condition.StringEquals)) return false;
  const entries = Object.entries(condition.StringEquals);
  if (entries.length !== 1 || entries[0]![0].toLowerCase() !== EXTERNAL_ID_KEY) return false;
  return externalId !== undefined && asList(entries[0]![1]).includes(externalId);
}

/** An IAM action pattern (`*` and `?` wildcards) as a case-insensitive regular expression. */
function wildcard(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i');
}

/** IAM lets a single value stand for a one-element list. */
function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isObject(value: unknown): value is Statement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
