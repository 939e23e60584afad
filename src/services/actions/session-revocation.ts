/**
 * Revoking a user's or a role's sessions: an inline policy that denies everything to sessions
 * issued before a cutoff (AWS's "revoke active sessions"), and lifting it again.
 */
import type { Action } from '../../domain/action/lifecycle.js';
import { REVOKE_POLICY_NAME, ROLE_REVOKE_POLICY_NAME } from '../../domain/action/kinds.js';
import type { PolicyDocument } from '../../domain/assessment/policy-document.js';
import type { RequestId } from '../../ports/iam-writer.js';
import { already, changed, done, type Executor, type ExecutorDeps, type Precheck, READY } from './executor.js';

/** Deny everything to sessions issued before `cutoff` (AWS's "revoke active sessions"). */
export function revokePolicy(cutoff: Date): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff.toISOString() } } }],
  };
}

function revokeCutoff(doc: PolicyDocument | undefined): number | undefined {
  const statements = doc ? (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) : [];
  const value = (statements[0]?.Condition?.DateLessThan as Record<string, string> | undefined)?.['aws:TokenIssueTime'];
  return value === undefined ? undefined : Date.parse(value);
}

/** Where the revoke policy lives: a user's inline policy or a role's. */
interface RevocationSite {
  readonly policyName: string;
  /** How messages name the holder mid-sentence (`alice`, `role deployer`) and first (`alice`, `Role deployer`). */
  name(a: Action): string;
  subject(a: Action): string;
  /** The target still exists (a user: NoSuchEntity is thrown; a role: a changed target). */
  precheck(deps: ExecutorDeps, a: Action): Promise<Precheck>;
  read(deps: ExecutorDeps, a: Action): Promise<PolicyDocument | undefined>;
  put(deps: ExecutorDeps, a: Action, document: PolicyDocument): Promise<RequestId>;
  remove(deps: ExecutorDeps, a: Action): Promise<RequestId>;
}

const USER: RevocationSite = {
  policyName: REVOKE_POLICY_NAME,
  name: (a) => a.target.userName,
  subject: (a) => a.target.userName,
  precheck: async (deps, a) => { await deps.iam.listAccessKeys(a.target.userName); return READY; },
  read: (deps, a) => deps.iam.getUserPolicy(a.target.userName, REVOKE_POLICY_NAME),
  put: (deps, a, document) => deps.iamWriter.putUserPolicy(a.target.userName, REVOKE_POLICY_NAME, document),
  remove: (deps, a) => deps.iamWriter.deleteUserPolicy(a.target.userName, REVOKE_POLICY_NAME),
};

const ROLE: RevocationSite = {
  policyName: ROLE_REVOKE_POLICY_NAME,
  name: (a) => `role ${a.target.roleName}`,
  subject: (a) => `Role ${a.target.roleName}`,
  precheck: async (deps, a) =>
    ((await deps.iam.roleExists(a.target.roleName!)) ? READY : changed(`Role ${a.target.roleName} no longer exists: nothing to revoke.`)),
  read: (deps, a) => deps.iam.getRolePolicy(a.target.roleName!, ROLE_REVOKE_POLICY_NAME),
  put: (deps, a, document) => deps.iamWriter.putRolePolicy(a.target.roleName!, ROLE_REVOKE_POLICY_NAME, document),
  remove: (deps, a) => deps.iamWriter.deleteRolePolicy(a.target.roleName!, ROLE_REVOKE_POLICY_NAME),
};

/** Cutting the sessions of a user or a role: in place when the policy's cutoff is no earlier than the action's start. */
export function sessionRevocation(on: 'user' | 'role'): Executor {
  const site = on === 'user' ? USER : ROLE;
  return {
    precheck: (deps, a) => site.precheck(deps, a),
    async run(deps, a, now) {
      const id = await site.put(deps, a, revokePolicy(now));
      return done(id, `Sessions of ${site.name(a)} issued before ${now.toISOString()} no longer work.`, { cutoff: now.toISOString(), policyName: site.policyName });
    },
    async inPlace(deps, a) {
      const cutoff = revokeCutoff(await site.read(deps, a));
      return cutoff !== undefined && a.startedAt !== undefined && cutoff >= Date.parse(a.startedAt);
    },
    wouldHave: (a) => `Would have revoked the sessions of ${site.name(a)} issued before now.`,
  };
}

/** Lifting a revocation: the revoke policy goes. */
export function revocationLift(on: 'user' | 'role'): Executor {
  const site = on === 'user' ? USER : ROLE;
  return {
    precheck: async (deps, a) => ((await site.read(deps, a)) ? READY : already(`${site.subject(a)} has no ${site.policyName} policy.`)),
    async run(deps, a) {
      const id = await site.remove(deps, a);
      return done(id, `Removed ${site.policyName} from ${site.name(a)}.`);
    },
    inPlace: async (deps, a) => (await site.read(deps, a)) === undefined,
    wouldHave: (a) => `Would have removed ${site.policyName} from ${site.name(a)}.`,
  };
}
