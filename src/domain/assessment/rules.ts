/** How each finding changes the assessment. Pure: returns a new assessment. */
import type {
  AccountFinding,
  Assessment,
  AssessmentProblem,
  OwnerFinding,
  PermissionFinding,
  SessionFinding,
} from './assessment.js';
import { recommend } from './recommendation.js';

export const withSession = (a: Assessment, session: SessionFinding): Assessment => ({ ...a, session });
export const withAccount = (a: Assessment, account: AccountFinding): Assessment => ({ ...a, account });
export const withOwner = (a: Assessment, owner: OwnerFinding): Assessment => ({ ...a, owner });
export const withPermissions = (a: Assessment, permissions: PermissionFinding): Assessment => ({ ...a, permissions });
export const withProblem = (a: Assessment, problem: AssessmentProblem): Assessment => ({ ...a, problems: [...a.problems, problem] });

/** Closes the assessment with the recommendation the findings support (if any). */
export function completed(a: Assessment, now: Date): Assessment {
  const recommendation = recommend(a, now);
  return { ...a, complete: true, ...(recommendation ? { recommendation } : {}) };
}
