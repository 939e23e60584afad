import { describe, expect, it } from 'vitest';
import { permissionCatalogFor } from '../../../../src/adapters/iam/permission-catalog.js';
import { AccessLevel } from '../../../../src/domain/assessment/assessment.js';
import type { PolicyDocument } from '../../../../src/domain/assessment/policy-document.js';
import { reachOf } from '../../../../src/domain/assessment/policy-summary.js';

const allow = (...actions: string[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
});

async function timedReach(document: PolicyDocument) {
  const catalog = await permissionCatalogFor([document]);
  const started = performance.now();
  const reach = reachOf([document], catalog);
  return { reach, ms: performance.now() - started };
}

/**
 * An attacker holding the key can write any policy the bot then assesses. Patterns built to
 * make a backtracking RegExp explode (a run of `*` before a letter no action ends with) took
 * 2.2 s at 10 stars and ×4 per star more: 20 stars would hold the bot for days.
 */
describe('assessing a policy the attacker wrote', () => {
  const stars = (n: number) => '*'.repeat(n);

  it('assesses 20 and 40 stars before a letter no action ends with, in well under 100 ms', async () => {
    const { reach, ms } = await timedReach(allow(`ec2:${stars(20)}Z`, `ec2:${stars(40)}Q`));
    expect(reach.level).toBe(AccessLevel.Unknown);
    expect(ms).toBeLessThan(100);
  });

  it('assesses stars mixed with `?` and letters', async () => {
    const { reach, ms } = await timedReach(
      allow(`ec2:${'*?'.repeat(20)}Z`, `iam:${'?*'.repeat(20)}x`, `s3:${'*e'.repeat(20)}Z`),
    );
    expect(reach.level).toBe(AccessLevel.Unknown);
    expect(ms).toBeLessThan(100);
  });

  it('still finds what such a pattern grants', async () => {
    const { reach, ms } = await timedReach(allow(`iam:${stars(20)}Policy`));
    expect(reach.level).toBe(AccessLevel.Permissions);
    expect(ms).toBeLessThan(100);
  });
});
