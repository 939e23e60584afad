/** The resource policy every replacement secret gets, and the ARN a caller is matched by. */
import { describe, expect, it } from 'vitest';
import { GUARDED_SECRET_ACTIONS, principalArnOf, READER_ARN, replacementSecretPolicy } from '../../../../src/domain/action/secret-policy.js';

const DEPLOYER = 'arn:aws:iam::111122223333:role/Deployer';
const BOT = 'arn:aws:iam::111122223333:role/key-incident-BotRole-EXAMPLE';

describe('the replacement secret policy', () => {
  it('denies the reads of the value and the changes to who can read it to everyone but the readers, by aws:PrincipalArn', () => {
    const policy = JSON.parse(replacementSecretPolicy([DEPLOYER, BOT]));
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'OnlyNamedReaders', Effect: 'Deny', Principal: '*', Action: [...GUARDED_SECRET_ACTIONS], Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [DEPLOYER, BOT] } },
      }],
    });
    expect(GUARDED_SECRET_ACTIONS).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue', 'secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy']));
  });

  it('uses no NotPrincipal and grants nothing (so BlockPublicPolicy accepts it)', () => {
    const text = replacementSecretPolicy([DEPLOYER]);
    expect(text).not.toContain('NotPrincipal');
    expect(JSON.parse(text).Statement.every((s: { Effect: string }) => s.Effect === 'Deny')).toBe(true);
  });

  it('names each reader once, and refuses to build a policy nobody may read', () => {
    expect(JSON.parse(replacementSecretPolicy([DEPLOYER, DEPLOYER, BOT])).Statement[0].Condition.ArnNotEquals['aws:PrincipalArn']).toEqual([DEPLOYER, BOT]);
    expect(() => replacementSecretPolicy([])).toThrow(/at least one reader/);
  });
});

describe('principals', () => {
  it('matches a role session as its role, a user as itself', () => {
    expect(principalArnOf('arn:aws:sts::111122223333:assumed-role/key-incident-BotRole-EXAMPLE/i-0abc')).toBe(BOT);
    expect(principalArnOf('arn:aws:iam::111122223333:user/key-incident-bot')).toBe('arn:aws:iam::111122223333:user/key-incident-bot');
  });

  it('takes role and user ARNs as readers, nothing else', () => {
    for (const ok of [DEPLOYER, 'arn:aws:iam::111122223333:user/ci/deployer', 'arn:aws-us-gov:iam::111122223333:role/x']) expect(READER_ARN.test(ok)).toBe(true);
    for (const bad of ['*', 'arn:aws:iam::111122223333:root', 'arn:aws:sts::111122223333:assumed-role/x/y', 'Deployer', 'arn:aws:iam::*:role/x']) expect(READER_ARN.test(bad)).toBe(false);
  });
});
