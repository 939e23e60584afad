/** What to tell people when the key's account is out of the bot's reach, and how to fix it. Pure. */
import type { AccountFinding, CrossAccountReach, OrganizationAnswer } from './assessment.js';

export type NotAllowed = Extract<CrossAccountReach, { kind: 'not-allowed' }>;

/** Code of the failure of work refused in an account outside the organization and ALLOWED_ACCOUNT_IDS. */
export const ACCOUNT_NOT_ALLOWED = 'AccountNotAllowed';

/**
 * Whether Organizations' answer lets the bot act in an account not in ALLOWED_ACCOUNT_IDS:
 * undefined when its organization holds the account, else the refusal. Fails closed: an
 * organization that cannot be read (not in use, not allowed, throttled) admits nothing.
 */
export function organizationRefusal(answer: OrganizationAnswer): NotAllowed | undefined {
  if (answer.kind === 'unavailable') return { kind: 'not-allowed', code: answer.code };
  return answer.finding.member ? undefined : { kind: 'not-allowed' };
}

/** Why the bot will not act in `accountId`, in one sentence. */
export function notAllowedReason(accountId: string, refusal: NotAllowed): string {
  return refusal.code === undefined
    ? `Account ${accountId} is not in your organization and not in ALLOWED_ACCOUNT_IDS: the bot will not assume a role there.`
    : `The bot could not check that account ${accountId} is in your organization (${refusal.code}), and it is not in ALLOWED_ACCOUNT_IDS: the bot will not assume a role there.`;
}

/** The member-account template, as the repository ships it. */
export const MEMBER_TEMPLATE = 'infra/member-account-role.yaml';
/** The role name the template and the README suggest. */
export const SUGGESTED_ROLE_NAME = 'KeyIncidentResponder';

/** The role's name in `arn:aws:iam::<account>:role/<path/><name>`. */
function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/** The bot's own role name, from its `…:assumed-role/<role>/<session>` ARN. */
export function botRoleName(botArn: string | undefined): string | undefined {
  return /:assumed-role\/([^/]+)\//.exec(botArn ?? '')?.[1];
}

/** Why the bot cannot act in the account, in one sentence; undefined when it can. */
export function outOfReachReason(account: AccountFinding): string | undefined {
  const reach = account.reach;
  if (account.sameAccount || reach?.kind === 'role') return undefined;
  if (reach?.kind === 'not-allowed') return notAllowedReason(account.accountId, reach);
  if (reach?.kind === 'refused') {
    return reach.code === 'AccessDenied'
      ? `The bot could not assume ${reach.roleArn} (AccessDenied): the role is not deployed in account ${account.accountId}, or it does not trust the bot's role, or its external id differs.`
      : `The bot could not assume ${reach.roleArn} (${reach.code}: ${reach.message}).`;
  }
  return `Cross-account response is off (CROSS_ACCOUNT_ROLE_NAME is not set), so the bot works in its own account${account.botAccountId ? ` ${account.botAccountId}` : ''} only.`;
}

/**
 * The exact steps that let the bot act in the account: deploy the member-account role there
 * (one stack, or a StackSet for the whole organization), configure the bot, assess again.
 */
export function deploySteps(account: AccountFinding, incidentId?: string): string[] {
  if (account.reach?.kind === 'not-allowed') return allowSteps(account.accountId, account.reach, incidentId);
  const configured = account.reach?.kind === 'refused';
  const roleName = account.reach?.kind === 'refused' ? roleNameOf(account.reach.roleArn) : SUGGESTED_ROLE_NAME;
  const botRole = botRoleName(account.botArn);
  const params = [
    `BotAccountId=${account.botAccountId ?? '<bot account id>'}`,
    `BotRoleName=${botRole ?? '<the bot’s role name>'}`,
    `RoleName=${roleName}`,
    ...(account.reach?.kind === 'refused' && account.reach.externalId ? ['ExternalId=<value of CROSS_ACCOUNT_EXTERNAL_ID>'] : []),
  ];
  const steps = [
    `In account ${account.accountId}, deploy ${MEMBER_TEMPLATE}: \`aws cloudformation deploy --template-file ${MEMBER_TEMPLATE} --stack-name key-incident-responder --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ${params.join(' ')}\` (or deploy it to every account of the organization as a StackSet; see the README).`,
  ];
  if (!botRole && account.botArn) steps.push(`The bot runs as ${account.botArn}, not as a role: run it with a role (task or instance role) for member accounts to trust.`);
  if (!configured) steps.push(`Set CROSS_ACCOUNT_ROLE_NAME=${roleName} on the bot and restart it.`);
  steps.push(`Then assess again: \`/key-incident assess ${incidentId ?? '<incident id>'}\`.`);
  return steps;
}

/** What lets the bot act in an account it refused: the organization read, or the account listed. */
function allowSteps(accountId: string, refusal: NotAllowed, incidentId?: string): string[] {
  const first = refusal.code === undefined
    ? `Only if account ${accountId} is yours: move it into your organization, or add it to ALLOWED_ACCOUNT_IDS on the bot and restart it. Otherwise do not deploy any role there.`
    : `Let the bot read AWS Organizations (run it in the management account or a delegated administrator account, with organizations:DescribeAccount, which infra/key-incident.yaml grants), or, if account ${accountId} is yours, add it to ALLOWED_ACCOUNT_IDS on the bot and restart it.`;
  return [first, `Then assess again: \`/key-incident assess ${incidentId ?? '<incident id>'}\`.`];
}
