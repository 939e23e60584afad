/**
 * Services acting in the key's account: the bot's own, or another through its member-account
 * role, and only one of the bot's organization or listed in ALLOWED_ACCOUNT_IDS.
 */
import { actingAccount, type CrossAccountReach, type OrganizationAnswer } from '../domain/assessment/assessment.js';
import { ACCOUNT_NOT_ALLOWED, type NotAllowed, notAllowedReason, organizationRefusal } from '../domain/assessment/cross-account.js';
import { AwsError } from '../domain/errors.js';
import { principalArnOf } from '../domain/action/secret-policy.js';
import type { Incident } from '../domain/incident/incident.js';
import type { ServiceDeps } from './deps.js';

/**
 * Why the bot will not act in another account, or undefined when it may: ALLOWED_ACCOUNT_IDS
 * lists it, or Organizations (`answer`, when already read) says the organization holds it.
 */
export async function refusedAccount(deps: ServiceDeps, accountId: string, answer?: OrganizationAnswer): Promise<NotAllowed | undefined> {
  if (deps.allowedAccountIds.includes(accountId)) return undefined;
  return organizationRefusal(answer ?? await deps.organizations.describeAccount(accountId));
}

/**
 * `deps` whose IAM, Secrets Manager and CloudTrail ports act in `accountId`; `deps` itself
 * for the bot's account (`accountId` undefined). Throws `AwsError` when the account is not one
 * the bot may act in (nothing is assumed there) or the role is refused.
 */
export async function inAccount(deps: ServiceDeps, accountId: string | undefined): Promise<ServiceDeps> {
  if (accountId === undefined) return deps;
  const refusal = await refusedAccount(deps, accountId);
  if (refusal) {
    deps.log.warn({ accountId, awsError: refusal.code }, 'account not allowed: no role assumed');
    throw new AwsError(ACCOUNT_NOT_ALLOWED, notAllowedReason(accountId, refusal), 'sts', 'AssumeRole');
  }
  return { ...deps, ...(await deps.accounts.portsIn(accountId)) };
}

/** The ARN the bot's principal is matched by in `accountId` (its own account when undefined): its role there. */
export async function botPrincipalIn(deps: ServiceDeps, accountId: string | undefined): Promise<string> {
  const roleArn = accountId === undefined ? undefined : deps.accounts.roleArn(accountId);
  return roleArn ?? principalArnOf((await deps.sts.getCallerIdentity()).arn);
}

/** `deps` acting in the account of the incident's key. */
export function inIncidentAccount(deps: ServiceDeps, incident: Incident): Promise<ServiceDeps> {
  return inAccount(deps, actingAccount(incident.assessment.account));
}

/**
 * Whether the bot can work in another account through its member-account role, or why not: the
 * role is assumed only in an account `refusedAccount` admits (`answer`: Organizations' answer,
 * when already had).
 */
export async function reachAccount(deps: ServiceDeps, accountId: string, answer?: OrganizationAnswer): Promise<CrossAccountReach> {
  const roleArn = deps.accounts.roleArn(accountId);
  if (roleArn === undefined) return { kind: 'not-configured' };
  const refusal = await refusedAccount(deps, accountId, answer);
  if (refusal) return refusal;
  try {
    await deps.accounts.check(accountId);
    return { kind: 'role', roleArn };
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    deps.log.warn({ accountId, awsError: err.code, requestId: err.requestId }, 'member-account role not assumed');
    return { kind: 'refused', roleArn, code: err.code, message: err.message, externalId: deps.accounts.usesExternalId };
  }
}
