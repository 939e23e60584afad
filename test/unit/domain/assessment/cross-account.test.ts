import { describe, expect, it } from 'vitest';
import { type AccountFinding, AccessLevel, actingAccount, canActIn, RecommendedAction } from '../../../../src/domain/assessment/assessment.js';
import { botRoleName, deploySteps, MEMBER_TEMPLATE, organizationRefusal, outOfReachReason } from '../../../../src/domain/assessment/cross-account.js';
import { recommend } from '../../../../src/domain/assessment/recommendation.js';

const NOW = new Date('2026-11-30T03:00:00Z');
const BOT = '111122223333';
const MEMBER = '444455556666';
const BOT_ARN = `arn:aws:sts::${BOT}:assumed-role/key-incident-BotRole-1A2B3C/i-0abc`;
const ROLE_ARN = `arn:aws:iam::${MEMBER}:role/Responders`;

function other(parts: Partial<AccountFinding> = {}): AccountFinding {
  return { accountId: MEMBER, botAccountId: BOT, botArn: BOT_ARN, sameAccount: false, ...parts };
}
const refused = (code = 'AccessDenied', externalId = false): AccountFinding =>
  other({ reach: { kind: 'refused', roleArn: ROLE_ARN, code, message: 'not authorized', externalId } });

describe('whether the bot can act in the key\'s account', () => {
  it('acts in its own account and in another one reached through the role, nowhere else', () => {
    const reached = other({ reach: { kind: 'role', roleArn: ROLE_ARN } });
    const own: AccountFinding = { accountId: BOT, botAccountId: BOT, sameAccount: true };
    expect([canActIn(undefined), canActIn(own), canActIn(reached), canActIn(refused()), canActIn(other({ reach: { kind: 'not-configured' } })), canActIn(other())])
      .toEqual([true, true, true, false, false, false]);
    expect([actingAccount(own), actingAccount(reached), actingAccount(refused())]).toEqual([undefined, MEMBER, undefined]);
  });

  it('says why it cannot: the role refused, another AssumeRole error, or the feature off', () => {
    expect(outOfReachReason(refused())).toContain(`could not assume ${ROLE_ARN} (AccessDenied): the role is not deployed in account ${MEMBER}`);
    expect(outOfReachReason(refused('RegionDisabledException'))).toBe(`The bot could not assume ${ROLE_ARN} (RegionDisabledException: not authorized).`);
    expect(outOfReachReason(other({ reach: { kind: 'not-configured' } }))).toContain(`CROSS_ACCOUNT_ROLE_NAME is not set), so the bot works in its own account ${BOT} only`);
    expect(outOfReachReason(other({ reach: { kind: 'role', roleArn: ROLE_ARN } }))).toBeUndefined();
  });
});

describe('what to deploy', () => {
  it('gives the exact deploy command with the bot\'s account, its role and the configured role name', () => {
    const steps = deploySteps(refused(), 'KI-ABC123');
    expect(steps[0]).toContain(`In account ${MEMBER}, deploy ${MEMBER_TEMPLATE}`);
    expect(steps[0]).toContain(`--parameter-overrides BotAccountId=${BOT} BotRoleName=key-incident-BotRole-1A2B3C RoleName=Responders\``);
    expect(steps[0]).not.toContain('ExternalId');
    expect(steps.at(-1)).toBe('Then assess again: `/key-incident assess KI-ABC123`.');
    expect(steps.some((s) => s.includes('CROSS_ACCOUNT_ROLE_NAME'))).toBe(false);
  });

  it('asks for the external id by name, never by value', () => {
    expect(deploySteps(refused('AccessDenied', true))[0]).toContain('RoleName=Responders ExternalId=<value of CROSS_ACCOUNT_EXTERNAL_ID>');
  });

  it('tells to configure the bot when cross-account response is off, with the suggested role name', () => {
    const steps = deploySteps(other({ reach: { kind: 'not-configured' } }));
    expect(steps[0]).toContain('RoleName=KeyIncidentResponder');
    expect(steps).toContain('Set CROSS_ACCOUNT_ROLE_NAME=KeyIncidentResponder on the bot and restart it.');
  });

  it('warns when the bot runs as a user, which member accounts cannot trust through the template', () => {
    const steps = deploySteps(other({ botArn: `arn:aws:iam::${BOT}:user/bot`, reach: { kind: 'not-configured' } }));
    expect(steps[0]).toContain('BotRoleName=<the bot’s role name>');
    expect(steps).toContain(`The bot runs as arn:aws:iam::${BOT}:user/bot, not as a role: run it with a role (task or instance role) for member accounts to trust.`);
    expect(botRoleName(BOT_ARN)).toBe('key-incident-BotRole-1A2B3C');
  });
});

describe('the recommendation for another account', () => {
  it('out of reach: disable it there now, then deploy the role', () => {
    const r = recommend({ account: refused(), problems: [], complete: false }, NOW);
    expect(r?.action).toBe(RecommendedAction.Review);
    expect(r?.headline).toBe(`Key of another account (${MEMBER}): disable it there`);
    expect(r?.steps[0]).toMatch(/^Have someone with access to account 444455556666 disable the key now/);
    expect(r?.steps[1]).toContain(MEMBER_TEMPLATE);
    expect(r?.reason).not.toContain('not an account of your organization');
  });

  it('says when the organization does not hold the account', () => {
    const r = recommend({ account: other({ reach: { kind: 'not-configured' }, organization: { member: false } }), problems: [], complete: false }, NOW);
    expect(r?.reason).toContain('It is not an account of your organization');
  });

  it('reached through the role: the usual order, as for the bot\'s own account', () => {
    const r = recommend({
      account: other({ reach: { kind: 'role', roleArn: ROLE_ARN } }),
      owner: { userName: 'ci', keyStatus: 'Active', otherKeys: [], lastUsed: null },
      permissions: { level: AccessLevel.Admin, summary: 'admin', quarantinePolicies: [], sources: [] },
      problems: [],
      complete: false,
    }, NOW);
    expect(r?.action).toBe(RecommendedAction.DisableNow);
  });
});

describe('accounts outside the organization and ALLOWED_ACCOUNT_IDS', () => {
  it('admits only an account Organizations says the organization holds; no answer admits nothing', () => {
    expect(organizationRefusal({ kind: 'known', finding: { member: true, name: 'Workloads' } })).toBeUndefined();
    expect(organizationRefusal({ kind: 'known', finding: { member: false } })).toEqual({ kind: 'not-allowed' });
    expect(organizationRefusal({ kind: 'unavailable', code: 'AccessDeniedException' })).toEqual({ kind: 'not-allowed', code: 'AccessDeniedException' });
  });

  it('acts nowhere there and says why, with no role to deploy', () => {
    const outside = other({ organization: { member: false }, reach: { kind: 'not-allowed' } });
    const unverified = other({ reach: { kind: 'not-allowed', code: 'AWSOrganizationsNotInUseException' } });

    expect([canActIn(outside), canActIn(unverified), actingAccount(outside)]).toEqual([false, false, undefined]);
    expect(outOfReachReason(outside)).toBe(`Account ${MEMBER} is not in your organization and not in ALLOWED_ACCOUNT_IDS: the bot will not assume a role there.`);
    expect(outOfReachReason(unverified)).toBe(`The bot could not check that account ${MEMBER} is in your organization (AWSOrganizationsNotInUseException), and it is not in ALLOWED_ACCOUNT_IDS: the bot will not assume a role there.`);
    expect(deploySteps(outside, 'KI-ABC123')).toEqual([
      `Only if account ${MEMBER} is yours: move it into your organization, or add it to ALLOWED_ACCOUNT_IDS on the bot and restart it. Otherwise do not deploy any role there.`,
      'Then assess again: `/key-incident assess KI-ABC123`.',
    ]);
    expect(deploySteps(unverified)[0]).toContain('organizations:DescribeAccount');
    expect(recommend({ account: outside, problems: [], complete: true }, NOW)?.reason).toContain('report the exposed key to AWS as abuse');
  });
});
