/** Services acting in the key's account: the bot's own, or another through its member-account role. */
import { actingAccount, type CrossAccountReach } from '../domain/assessment/assessment.js';
import { AwsError } from '../domain/errors.js';
import { principalArnOf } from '../domain/action/secret-policy.js';
import type { Incident } from '../domain/incident/incident.js';
import type { ServiceDeps } from './deps.js';

/**
 * `deps` whose IAM, Secrets Manager and CloudTrail ports act in `accountId`; `deps` itself
 * for the bot's account (`accountId` undefined). Throws `AwsError` when the role is refused.
 */
export async function inAccount(deps: ServiceDeps, accountId: string | undefined): Promise<ServiceDeps> {
  return accountId === undefined ? deps : { ...deps, ...(await deps.accounts.portsIn(accountId)) };
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

/** Whether the bot can work in another account through its member-account role, or why not. */
export async function reachAccount(deps: ServiceDeps, accountId: string): Promise<CrossAccountReach> {
  const roleArn = deps.accounts.roleArn(accountId);
  if (roleArn === undefined) return { kind: 'not-configured' };
  try {
    await deps.accounts.check(accountId);
    return { kind: 'role', roleArn };
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    deps.log.warn({ accountId, awsError: err.code, requestId: err.requestId }, 'member-account role not assumed');
    return { kind: 'refused', roleArn, code: err.code, message: err.message, externalId: deps.accounts.usesExternalId };
  }
}
