/** A read-only key that can read secret values is disabled before any replacement is made. */
import { describe, expect, it } from 'vitest';
import { permissionCatalogFor } from '../../../../src/adapters/iam/permission-catalog.js';
import { AccessLevel, type Assessment, RecommendedAction } from '../../../../src/domain/assessment/assessment.js';
import { assessPermissions } from '../../../../src/domain/assessment/permissions.js';
import type { NamedPolicy, PolicyDocument, UserAccess } from '../../../../src/domain/assessment/policy-document.js';
import { recommend } from '../../../../src/domain/assessment/recommendation.js';
import { secretReadsIn } from '../../../../src/domain/assessment/secret-reach.js';
import { matchesWildcard } from '../../../../src/domain/wildcard.js';

const wildcardMatches = (pattern: string, text: string) => matchesWildcard(pattern, text, { ignoreCase: true });

const NOW = new Date('2026-11-29T03:00:00Z');
const allow = (...Action: string[]): PolicyDocument => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource: '*' }] });
const inline = (document: PolicyDocument, name = 'p'): NamedPolicy => ({ name, document });

async function recommendationFor(policies: readonly NamedPolicy[], boundary?: NamedPolicy): Promise<Assessment['recommendation']> {
  const access: UserAccess = { userName: 'app', userArn: 'arn:aws:iam::111122223333:user/app', inline: policies, attached: [], groups: [], ...(boundary ? { boundary } : {}) };
  const docs = [...policies, ...(boundary ? [boundary] : [])].map((p) => p.document);
  const permissions = assessPermissions(access, await permissionCatalogFor(docs));
  const lastUsed = { at: new Date(NOW.getTime() - 5 * 60_000).toISOString(), service: 's3', region: 'eu-west-1' };
  return recommend({
    account: { accountId: '111122223333', botAccountId: '111122223333', sameAccount: true },
    owner: { userName: 'app', keyStatus: 'Active', otherKeys: [], lastUsed },
    permissions, problems: [], complete: false,
  }, NOW);
}

describe('matching IAM wildcards', () => {
  it.each([
    ['secretsmanager:GetSecretValue', true], ['secretsmanager:Get*', true], ['SecretsManager:getsecret*', true], ['secretsmanager:*', true],
    ['*', true], ['secrets*:*Value', true], ['secretsmanager:Get?ecretValue', true], ['secretsmanager:List*', false], ['secretsmanager:GetSecret', false],
  ])('%s against secretsmanager:GetSecretValue: %s', (pattern, expected) => {
    expect(wildcardMatches(pattern, 'secretsmanager:GetSecretValue')).toBe(expected);
  });

  it('takes linear time on a pattern written to make a backtracking matcher blow up', () => {
    const started = performance.now();
    expect(wildcardMatches(`secretsmanager:${'*'.repeat(40)}Z`, 'secretsmanager:GetSecretValue')).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('what reads secret values', () => {
  it('finds GetSecretValue, its batch form and kms:Decrypt, by name, wildcard or NotAction', () => {
    expect(secretReadsIn([allow('secretsmanager:GetSecretValue')])).toEqual(['secretsmanager:GetSecretValue']);
    expect(secretReadsIn([allow('secretsmanager:*')])).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue']);
    expect(secretReadsIn([allow('kms:Decrypt')])).toEqual(['kms:Decrypt']);
    expect(secretReadsIn([{ Statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' } }])).toHaveLength(3);
    expect(secretReadsIn([allow('secretsmanager:ListSecrets', 'secretsmanager:DescribeSecret', 's3:GetObject')])).toEqual([]);
    expect(secretReadsIn([{ Statement: { Effect: 'Deny', Action: 'secretsmanager:*', Resource: '*' } }])).toEqual([]);
  });
});

describe('the recommendation for a read-only key in use', () => {
  it('is disable first, saying why, when it can read secrets (no more replace-first)', async () => {
    const r = await recommendationFor([inline(allow('s3:GetObject', 'secretsmanager:GetSecretValue', 'secretsmanager:ListSecrets'))]);
    expect(r?.action).toBe(RecommendedAction.Disable);
    expect(r?.headline).toBe('Disable the key first: it can read secrets');
    expect(r?.reason).toContain('can call secretsmanager:GetSecretValue, so it could read a replacement key');
    expect(r?.steps[0]).toBe('Disable the key (reversible).');
  });

  it('is never replace-first when it can decrypt with KMS (AWS files kms:Decrypt under Write: disable now)', async () => {
    const r = await recommendationFor([inline(allow('s3:GetObject', 'kms:Decrypt'))]);
    expect(r?.action).toBe(RecommendedAction.DisableNow);
  });

  it('stays replace-first when it reads nothing secret, or a boundary keeps it from secrets', async () => {
    expect((await recommendationFor([inline(allow('s3:GetObject', 'secretsmanager:ListSecrets'))]))?.action).toBe(RecommendedAction.ReplaceFirst);
    const boundary: NamedPolicy = { name: 'only-s3', arn: 'arn:aws:iam::111122223333:policy/only-s3', document: allow('s3:Get*') };
    expect((await recommendationFor([inline(allow('s3:GetObject', 'secretsmanager:GetSecretValue'))], boundary))?.action).toBe(RecommendedAction.ReplaceFirst);
  });

  it('leaves the level summary read-only: reading secrets is not writing', async () => {
    const access: UserAccess = { userName: 'app', userArn: 'arn:aws:iam::111122223333:user/app', inline: [inline(allow('secretsmanager:GetSecretValue'))], attached: [], groups: [] };
    const found = assessPermissions(access, await permissionCatalogFor([allow('secretsmanager:GetSecretValue')]));
    expect(found).toMatchObject({ level: AccessLevel.Read, secretReads: ['secretsmanager:GetSecretValue'] });
  });
});
