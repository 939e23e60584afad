/** Why a finding of the assessment is not known: it failed, it is still coming, or it cannot be had. Pure. */
import { type Assessment, canActIn } from './assessment.js';

/**
 * `failed`: AWS refused and a problem was recorded; `pending`: a stage still to run will find
 * it; `not-available`: nothing will (the assessment is over, or the account is out of reach).
 */
export type MissingFinding = 'failed' | 'pending' | 'not-available';

/** The findings shown while the assessment runs. */
export type ShownFinding = 'account' | 'owner' | 'permissions';

const failedAt = (a: Assessment, stage: ShownFinding) => a.problems.some((p) => p.stage === stage);

/** For the owner (and all a user's key facts): the owner stage failed, or will not run any more. */
function ownerMissing(a: Assessment): MissingFinding {
  if (failedAt(a, 'owner')) return 'failed';
  return a.complete || !canActIn(a.account) ? 'not-available' : 'pending';
}

/**
 * Why `finding` is absent from `a` (ask only when it is). The account comes first, so it is
 * pending until it fails; permissions are read once the owner is known, before completion.
 */
export function whyMissing(a: Assessment, finding: ShownFinding): MissingFinding {
  switch (finding) {
    case 'account':
      return failedAt(a, 'account') ? 'failed' : 'pending';
    case 'owner':
      return ownerMissing(a);
    case 'permissions':
      if (failedAt(a, 'permissions')) return 'failed';
      return a.owner && !a.complete ? 'pending' : ownerMissing(a);
  }
}
