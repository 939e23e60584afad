/** Services acting in the key's account: the bot's own, or another through its member-account role. */
import { actingAccount } from '../domain/assessment.js';
import type { Incident } from '../domain/incident.js';
import type { ServiceDeps } from './deps.js';

/**
 * `deps` whose IAM, Secrets Manager and CloudTrail ports act in `accountId`; `deps` itself
 * for the bot's account (`accountId` undefined). Throws `AwsError` when the role is refused.
 */
export async function inAccount(deps: ServiceDeps, accountId: string | undefined): Promise<ServiceDeps> {
  return accountId === undefined ? deps : { ...deps, ...(await deps.accounts.portsIn(accountId)) };
}

/** `deps` acting in the account of the incident's key. */
export function inIncidentAccount(deps: ServiceDeps, incident: Incident): Promise<ServiceDeps> {
  return inAccount(deps, actingAccount(incident.assessment.account));
}
