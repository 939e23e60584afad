import { describe, expect, it } from 'vitest';
import { AccessLevel, type Assessment, type OwnerFinding, RecommendedAction } from '../../../../src/domain/assessment/assessment.js';
import { recommend } from '../../../../src/domain/assessment/recommendation.js';

const NOW = new Date('2026-11-29T03:00:00Z');
const minutesBefore = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

function owner(parts: Partial<OwnerFinding> = {}): OwnerFinding {
  return { userName: 'ci-bot', keyStatus: 'Active', otherKeys: [], lastUsed: { at: minutesBefore(600), service: 's3', region: 'eu-west-1' }, ...parts };
}

function assessment(level: AccessLevel | undefined, o: OwnerFinding | null = owner(), extra: Partial<Assessment> = {}): Assessment {
  return {
    account: { accountId: '111122223333', botAccountId: '111122223333', sameAccount: true },
    ...(o ? { owner: o } : {}),
    ...(level ? { permissions: { level, summary: level, quarantinePolicies: [], sources: [] } } : {}),
    problems: [],
    complete: false,
    ...extra,
  };
}

describe('the recommended order of containment', () => {
  it.each([AccessLevel.Admin, AccessLevel.Permissions, AccessLevel.Write])('disables a %s key now', (level) => {
    expect(recommend(assessment(level), NOW)?.action).toBe(RecommendedAction.DisableNow);
  });

  it('disables a writer now even when it is in use, and says what will break', () => {
    const r = recommend(assessment(AccessLevel.Write, owner({ lastUsed: { at: minutesBefore(5), service: 's3', region: 'eu-west-1' } })), NOW);
    expect(r?.action).toBe(RecommendedAction.DisableNow);
    expect(r?.reason).toMatch(/used 5 min ago/);
  });

  it('replaces a read-only key used in the last hour before disabling it', () => {
    const r = recommend(assessment(AccessLevel.Read, owner({ lastUsed: { at: minutesBefore(12), service: 'dynamodb', region: 'us-east-1' } })), NOW);
    expect(r?.action).toBe(RecommendedAction.ReplaceFirst);
    expect(r?.reason).toMatch(/used 12 min ago \(dynamodb, us-east-1\)\. Disabling it now will break/);
    expect(r?.steps[0]).toMatch(/replacement key/);
  });

  it('disables a read-only key that has not been used in the last hour', () => {
    expect(recommend(assessment(AccessLevel.Read, owner({ lastUsed: { at: minutesBefore(61), service: 's3', region: 'eu-west-1' } })), NOW)?.action)
      .toBe(RecommendedAction.Disable);
    expect(recommend(assessment(AccessLevel.Read, owner({ lastUsed: null })), NOW)?.action).toBe(RecommendedAction.Disable);
  });

  it('assumes the worst when the permissions could not be read', () => {
    const a = assessment(undefined, owner(), { problems: [{ stage: 'permissions', code: 'AccessDenied', message: 'x' }] });
    expect(recommend(a, NOW)?.action).toBe(RecommendedAction.DisableNow);
  });

  it('points to revoking sessions when the key is already inactive', () => {
    const r = recommend(assessment(AccessLevel.Admin, owner({ keyStatus: 'Inactive' })), NOW);
    expect(r?.action).toBe(RecommendedAction.Review);
    expect(r?.reason).toMatch(/36 hours/);
  });

  it('sends a key of another account to that account', () => {
    const r = recommend({ account: { accountId: '444455556666', botAccountId: '111122223333', sameAccount: false }, problems: [], complete: false }, NOW);
    expect(r?.action).toBe(RecommendedAction.Review);
    expect(r?.headline).toContain('444455556666');
  });

  it('waits while the owner or permissions are still unknown', () => {
    expect(recommend(assessment(undefined), NOW)).toBeUndefined();
    expect(recommend(assessment(AccessLevel.Admin, null), NOW)).toBeUndefined();
  });
});
