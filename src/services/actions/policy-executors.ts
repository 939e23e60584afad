/** Policy changes on a user or a role: the quarantine policy, managed policy detachment, inline policy deletion. */
import type { Action } from '../../domain/action/lifecycle.js';
import { QUARANTINE_POLICY_ARN } from '../../domain/action/kinds.js';
import { already, done, type Executor, type ExecutorDeps, READY } from './executor.js';

/** Attaching or detaching AWSCompromisedKeyQuarantineV3 on the user. */
export function quarantineExecutor(attach: boolean): Executor {
  const attached = async (deps: ExecutorDeps, a: Action) => (await deps.iam.listAttachedUserPolicyArns(a.target.userName)).includes(QUARANTINE_POLICY_ARN);
  return {
    async precheck(deps, a) {
      return (await attached(deps, a)) === attach ? already(`The quarantine policy was already ${attach ? 'attached to' : 'detached from'} ${a.target.userName}.`) : READY;
    },
    async run(deps, a) {
      const id = attach
        ? await deps.iamWriter.attachUserPolicy(a.target.userName, QUARANTINE_POLICY_ARN)
        : await deps.iamWriter.detachUserPolicy(a.target.userName, QUARANTINE_POLICY_ARN);
      return done(id, `${attach ? 'Attached' : 'Detached'} AWSCompromisedKeyQuarantineV3 ${attach ? 'to' : 'from'} ${a.target.userName}.`);
    },
    inPlace: async (deps, a) => (await attached(deps, a)) === attach,
    wouldHave: (a) => `Would have ${attach ? 'attached' : 'detached'} AWSCompromisedKeyQuarantineV3 ${attach ? 'to' : 'from'} ${a.target.userName}.`,
  };
}

/** Detaching a managed policy from a user or a role. */
export function policyDetachment(on: 'user' | 'role'): Executor {
  const owner = (a: Action) => (on === 'user' ? a.target.userName : a.target.roleName!);
  const attached = (deps: ExecutorDeps, a: Action) => on === 'user'
    ? deps.iam.listAttachedUserPolicyArns(a.target.userName)
    : deps.iam.listAttachedRolePolicyArns(a.target.roleName!);
  return {
    async precheck(deps, a) {
      return (await attached(deps, a)).includes(a.target.policyArn!) ? READY : already(`${a.target.policyArn} is not attached to ${on} ${owner(a)}.`);
    },
    async run(deps, a) {
      const id = on === 'user'
        ? await deps.iamWriter.detachUserPolicy(a.target.userName, a.target.policyArn!)
        : await deps.iamWriter.detachRolePolicy(a.target.roleName!, a.target.policyArn!);
      return done(id, `Detached ${a.target.policyArn} from ${on} ${owner(a)}.`);
    },
    inPlace: async (deps, a) => !(await attached(deps, a)).includes(a.target.policyArn!),
    wouldHave: (a) => `Would have detached ${a.target.policyArn} from ${on} ${owner(a)}.`,
  };
}

/** Deleting an inline policy: its document goes into the timeline first (snapshot). */
export function inlinePolicyDeletion(on: 'user' | 'role'): Executor {
  const owner = (a: Action) => (on === 'user' ? a.target.userName : a.target.roleName!);
  const read = (deps: ExecutorDeps, a: Action) => on === 'user'
    ? deps.iam.getUserPolicy(a.target.userName, a.target.policyName!)
    : deps.iam.getRolePolicy(a.target.roleName!, a.target.policyName!);
  return {
    precheck: async (deps, a) => ((await read(deps, a)) ? READY : already(`${on} ${owner(a)} has no inline policy ${a.target.policyName}.`)),
    async run(deps, a) {
      const id = on === 'user'
        ? await deps.iamWriter.deleteUserPolicy(a.target.userName, a.target.policyName!)
        : await deps.iamWriter.deleteRolePolicy(a.target.roleName!, a.target.policyName!);
      return done(id, `Deleted inline policy ${a.target.policyName} of ${on} ${owner(a)}.`);
    },
    inPlace: async (deps, a) => (await read(deps, a)) === undefined,
    snapshot: async (deps, a) => ({ [on]: owner(a), policyName: a.target.policyName, document: await read(deps, a) }),
    wouldHave: (a) => `Would have deleted inline policy ${a.target.policyName} of ${on} ${owner(a)}.`,
  };
}
