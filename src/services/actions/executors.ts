/** Every kind of action with its executor; the key and console-password ones are here, the rest beside. */
import type { Action } from '../../domain/action/lifecycle.js';
import { ActionKind } from '../../domain/action/kinds.js';
import { userDeletion } from './delete-user.js';
import { already, changed, done, type Executor, type ExecutorDeps, READY } from './executor.js';
import { inlinePolicyDeletion, policyDetachment, quarantineExecutor } from './policy-executors.js';
import { createReplacement } from './replacement-key.js';
import { revocationLift, sessionRevocation } from './session-revocation.js';

async function keyStatus(deps: ExecutorDeps, a: Action): Promise<string | undefined> {
  const keys = await deps.iam.listAccessKeys(a.target.userName);
  return keys.find((k) => k.keyId === a.target.keyId)?.status;
}

function keyStatusExecutor(status: 'Active' | 'Inactive'): Executor {
  const verb = status === 'Inactive' ? 'disabled' : 're-enabled';
  return {
    async precheck(deps, a) {
      const current = await keyStatus(deps, a);
      if (current === undefined) return changed(`Key ${a.target.keyId} no longer exists: nothing to change.`);
      return current === status ? already(`Key ${a.target.keyId} was already ${status === 'Inactive' ? 'inactive' : 'active'}.`) : READY;
    },
    async run(deps, a) {
      const id = await deps.iamWriter.setAccessKeyStatus(a.target.userName, a.target.keyId!, status);
      return done(id, `Key ${a.target.keyId} ${verb}.`);
    },
    inPlace: async (deps, a) => (await keyStatus(deps, a)) === status,
    wouldHave: (a) => `Would have ${verb} key ${a.target.keyId}.`,
  };
}

const deleteKey: Executor = {
  async precheck(deps, a) {
    return (await keyStatus(deps, a)) === undefined ? already(`Key ${a.target.keyId} was already deleted.`) : READY;
  },
  async run(deps, a) {
    const id = await deps.iamWriter.deleteAccessKey(a.target.userName, a.target.keyId!);
    return done(id, `Key ${a.target.keyId} deleted.`);
  },
  inPlace: async (deps, a) => (await keyStatus(deps, a)) === undefined,
  wouldHave: (a) => `Would have deleted key ${a.target.keyId}.`,
};

const deleteLoginProfile: Executor = {
  async precheck(deps, a) {
    return (await deps.iam.getUserFootprint(a.target.userName)).loginProfile ? READY : already(`${a.target.userName} has no console password.`);
  },
  async run(deps, a) {
    return done(await deps.iamWriter.deleteLoginProfile(a.target.userName), `Console password of ${a.target.userName} deleted.`);
  },
  inPlace: async (deps, a) => !(await deps.iam.getUserFootprint(a.target.userName)).loginProfile,
  wouldHave: (a) => `Would have deleted the console password of ${a.target.userName}.`,
};

/** How each kind of action is checked, made and verified. */
export const EXECUTORS: Readonly<Record<ActionKind, Executor>> = {
  [ActionKind.DeleteLoginProfile]: deleteLoginProfile,
  [ActionKind.DetachUserPolicy]: policyDetachment('user'),
  [ActionKind.DetachRolePolicy]: policyDetachment('role'),
  [ActionKind.DeleteUserPolicy]: inlinePolicyDeletion('user'),
  [ActionKind.DeleteRolePolicy]: inlinePolicyDeletion('role'),
  [ActionKind.DisableKey]: keyStatusExecutor('Inactive'),
  [ActionKind.EnableKey]: keyStatusExecutor('Active'),
  [ActionKind.RevokeSessions]: sessionRevocation('user'),
  [ActionKind.LiftSessionRevocation]: revocationLift('user'),
  [ActionKind.RevokeRoleSessions]: sessionRevocation('role'),
  [ActionKind.LiftRoleSessionRevocation]: revocationLift('role'),
  [ActionKind.AttachQuarantine]: quarantineExecutor(true),
  [ActionKind.DetachQuarantine]: quarantineExecutor(false),
  [ActionKind.CreateReplacementKey]: createReplacement,
  [ActionKind.DeleteKey]: deleteKey,
  [ActionKind.DeleteUser]: userDeletion,
};
