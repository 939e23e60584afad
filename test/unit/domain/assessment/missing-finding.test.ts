import { describe, expect, it } from 'vitest';
import type { AccountFinding, Assessment, AssessmentStage } from '../../../../src/domain/assessment/assessment.js';
import { whyMissing } from '../../../../src/domain/assessment/missing-finding.js';

const owner = { userName: 'deploy-bot', otherKeys: [], lastUsed: null };
const outOfReach: AccountFinding = { accountId: '222222222222', sameAccount: false, reach: { kind: 'not-configured' } };
const problem = (stage: AssessmentStage) => ({ stage, code: 'AccessDenied', message: 'denied' });
const assessment = (parts: Partial<Assessment> = {}): Assessment => ({ problems: [], complete: false, ...parts });

describe('why a finding of the assessment is not known', () => {
  it('the account is coming until its stage fails', () => {
    expect(whyMissing(assessment(), 'account')).toBe('pending');
    expect(whyMissing(assessment({ problems: [problem('account')] }), 'account')).toBe('failed');
  });

  it('the owner is coming while the assessment runs in reach, and not to be had after or out of reach', () => {
    expect(whyMissing(assessment(), 'owner')).toBe('pending');
    expect(whyMissing(assessment({ problems: [problem('owner')] }), 'owner')).toBe('failed');
    expect(whyMissing(assessment({ complete: true }), 'owner')).toBe('not-available');
    expect(whyMissing(assessment({ account: outOfReach }), 'owner')).toBe('not-available');
  });

  it('permissions are coming once the owner is known, and follow the owner otherwise', () => {
    expect(whyMissing(assessment({ owner }), 'permissions')).toBe('pending');
    expect(whyMissing(assessment({ owner, problems: [problem('permissions')] }), 'permissions')).toBe('failed');
    expect(whyMissing(assessment({ owner, complete: true }), 'permissions')).toBe('not-available');
    expect(whyMissing(assessment({ problems: [problem('owner')], complete: true }), 'permissions')).toBe('failed');
    expect(whyMissing(assessment(), 'permissions')).toBe('pending');
  });
});
