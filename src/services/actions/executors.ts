/**
 * What each action does in IAM: a re-check of the target just before acting, the change
 * itself, and a check of whether the change is in place (used after a crash).
 */
import { type Action, type ActionOutcome, OutcomeResult } from '../../domain/action/lifecycle.js';
import { ActionKind, QUARANTINE_POLICY_ARN, REVOKE_POLICY_NAME, ROLE_REVOKE_POLICY_NAME } from '../../domain/action/kinds.js';
import type { PolicyDocument } from '../../domain/assessment/policy-document.js';
import type { IamReader } from '../../ports/iam-reader.js';
import type { IamWriter, RequestId } from '../../ports/iam-writer.js';
import type { SecretStore } from '../../ports/secret-store.js';
import { deleteUserCompletely, userIsGone, userSnapshot } from './delete-user.js';
import { createReplacementKey, replacementInPlace } from './replacement-key.js';

export interface ExecutorDeps {
  readonly iam: IamReader;
  readonly iamWriter: IamWriter;
  readonly secrets: SecretStore;
}

/** Ready to act, or an outcome that makes acting unnecessary or wrong. */
export type Precheck = { readonly ready: true } | { readonly ready: false; readonly outcome: ActionOutcome };

export interface Executor {
  precheck(deps: ExecutorDeps, action: Action): Promise<Precheck>;
  /** Makes the change; throws `AwsError` on failure. */
  run(deps: ExecutorDeps, action: Action, now: Date): Promise<ActionOutcome>;
  /**
   * Whether the change is in place now (used after a crash). May undo a half-made change that
   * can never be completed, such as a replacement key whose secret was lost.
   */
  inPlace(deps: ExecutorDeps, action: Action): Promise<boolean>;
  /** What the change will remove, recorded in the timeline before it runs. */
  snapshot?(deps: ExecutorDeps, action: Action): Promise<Record<string, unknown>>;
  /** "Would have …" for dry runs. */
  wouldHave(action: Action): string;
}

const READY: Precheck = { ready: true };
const done = (requestId: RequestId, message: string, details?: Record<string, unknown>): ActionOutcome => ({
  result: OutcomeResult.Done,
  message,
  ...(requestId ? { requestIds: [requestId] } : {}),
  ...(details ? { details } : {}),
});
const already = (message: string): Precheck => ({ ready: false, outcome: { result: OutcomeResult.Already, message } });
const changed = (message: string): Precheck => ({ ready: false, outcome: { result: OutcomeResult.TargetChanged, message } });

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

const revokeSessions: Executor = {
  precheck: async (deps, a) => { await deps.iam.listAccessKeys(a.target.userName); return READY; },
  async run(deps, a, now) {
    const id = await deps.iamWriter.putUserPolicy(a.target.userName, REVOKE_POLICY_NAME, revokePolicy(now));
    return done(id, `Sessions of ${a.target.userName} issued before ${now.toISOString()} no longer work.`, { cutoff: now.toISOString(), policyName: REVOKE_POLICY_NAME });
  },
  async inPlace(deps, a) {
    const cutoff = revokeCutoff(await deps.iam.getUserPolicy(a.target.userName, REVOKE_POLICY_NAME));
    return cutoff !== undefined && a.startedAt !== undefined && cutoff >= Date.parse(a.startedAt);
  },
  wouldHave: (a) => `Would have revoked the sessions of ${a.target.userName} issued before now.`,
};

const roleRevokeSessions: Executor = {
  async precheck(deps, a) {
    return (await deps.iam.roleExists(a.target.roleName!)) ? READY : changed(`Role ${a.target.roleName} no longer exists: nothing to revoke.`);
  },
  async run(deps, a, now) {
    const id = await deps.iamWriter.putRolePolicy(a.target.roleName!, ROLE_REVOKE_POLICY_NAME, revokePolicy(now));
    return done(id, `Sessions of role ${a.target.roleName} issued before ${now.toISOString()} no longer work.`, { cutoff: now.toISOString(), policyName: ROLE_REVOKE_POLICY_NAME });
  },
  async inPlace(deps, a) {
    const cutoff = revokeCutoff(await deps.iam.getRolePolicy(a.target.roleName!, ROLE_REVOKE_POLICY_NAME));
    return cutoff !== undefined && a.startedAt !== undefined && cutoff >= Date.parse(a.startedAt);
  },
  wouldHave: (a) => `Would have revoked the sessions of role ${a.target.roleName} issued before now.`,
};

const roleLiftRevocation: Executor = {
  async precheck(deps, a) {
    const doc = await deps.iam.getRolePolicy(a.target.roleName!, ROLE_REVOKE_POLICY_NAME);
    return doc ? READY : already(`Role ${a.target.roleName} has no ${ROLE_REVOKE_POLICY_NAME} policy.`);
  },
  async run(deps, a) {
    const id = await deps.iamWriter.deleteRolePolicy(a.target.roleName!, ROLE_REVOKE_POLICY_NAME);
    return done(id, `Removed ${ROLE_REVOKE_POLICY_NAME} from role ${a.target.roleName}.`);
  },
  inPlace: async (deps, a) => (await deps.iam.getRolePolicy(a.target.roleName!, ROLE_REVOKE_POLICY_NAME)) === undefined,
  wouldHave: (a) => `Would have removed ${ROLE_REVOKE_POLICY_NAME} from role ${a.target.roleName}.`,
};

const liftRevocation: Executor = {
  async precheck(deps, a) {
    const doc = await deps.iam.getUserPolicy(a.target.userName, REVOKE_POLICY_NAME);
    return doc ? READY : already(`${a.target.userName} has no ${REVOKE_POLICY_NAME} policy.`);
  },
  async run(deps, a) {
    const id = await deps.iamWriter.deleteUserPolicy(a.target.userName, REVOKE_POLICY_NAME);
    return done(id, `Removed ${REVOKE_POLICY_NAME} from ${a.target.userName}.`);
  },
  inPlace: async (deps, a) => (await deps.iam.getUserPolicy(a.target.userName, REVOKE_POLICY_NAME)) === undefined,
  wouldHave: (a) => `Would have removed ${REVOKE_POLICY_NAME} from ${a.target.userName}.`,
};

function quarantineExecutor(attach: boolean): Executor {
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

/** Detaching a managed policy from a user or a role. */
function policyDetachment(on: 'user' | 'role'): Executor {
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
function inlinePolicyDeletion(on: 'user' | 'role'): Executor {
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

export const EXECUTORS: Readonly<Record<ActionKind, Executor>> = {
  [ActionKind.DeleteLoginProfile]: deleteLoginProfile,
  [ActionKind.DetachUserPolicy]: policyDetachment('user'),
  [ActionKind.DetachRolePolicy]: policyDetachment('role'),
  [ActionKind.DeleteUserPolicy]: inlinePolicyDeletion('user'),
  [ActionKind.DeleteRolePolicy]: inlinePolicyDeletion('role'),
  [ActionKind.DisableKey]: keyStatusExecutor('Inactive'),
  [ActionKind.EnableKey]: keyStatusExecutor('Active'),
  [ActionKind.RevokeSessions]: revokeSessions,
  [ActionKind.LiftSessionRevocation]: liftRevocation,
  [ActionKind.RevokeRoleSessions]: roleRevokeSessions,
  [ActionKind.LiftRoleSessionRevocation]: roleLiftRevocation,
  [ActionKind.AttachQuarantine]: quarantineExecutor(true),
  [ActionKind.DetachQuarantine]: quarantineExecutor(false),
  [ActionKind.CreateReplacementKey]: {
    async precheck(deps, a) {
      const keys = await deps.iam.listAccessKeys(a.target.userName);
      if (keys.length < 2) return READY;
      // IAM allows two keys per user, inactive ones included: one must go first.
      const next = keys.some((k) => k.status === 'Inactive')
        ? 'Delete the inactive one first (proposed below), then create the replacement again.'
        : 'Both are active: disable one, delete it, then create the replacement again.';
      const message = `The user already has 2 access keys, the most IAM allows. ${next}`;
      return { ready: false, outcome: { result: OutcomeResult.Failed, code: 'LimitExceeded', message, details: { keys: keys.map((k) => ({ keyId: k.keyId, status: k.status })) } } };
    },
    run: (deps, a) => createReplacementKey(deps, a),
    inPlace: (deps, a) => replacementInPlace(deps, a),
    wouldHave: (a) => `Would have created a new access key for ${a.target.userName} and stored its secret in Secrets Manager.`,
  },
  [ActionKind.DeleteKey]: deleteKey,
  [ActionKind.DeleteUser]: {
    precheck: async (deps, a) => ((await userIsGone(deps, a.target.userName)) ? already(`User ${a.target.userName} was already deleted.`) : READY),
    run: (deps, a) => deleteUserCompletely(deps, a),
    inPlace: (deps, a) => userIsGone(deps, a.target.userName),
    snapshot: (deps, a) => userSnapshot(deps, a.target.userName),
    wouldHave: (a) => `Would have removed everything ${a.target.userName} has and deleted the user.`,
  },
};
