/**
 * Deleting an IAM user: IAM refuses `DeleteUser` (DeleteConflict) while anything is attached,
 * so everything is removed first, in an order that is safe to resume after a crash: each
 * step treats "already gone" (NoSuchEntity) as done.
 */
import { type Action, type ActionOutcome, OutcomeResult } from '../../domain/action/lifecycle.js';
import { AwsError } from '../../domain/errors.js';
import type { UserFootprint } from '../../domain/action/iam-footprint.js';
import type { RequestId } from '../../ports/iam-writer.js';
import { already, type Executor, type ExecutorDeps, READY } from './executor.js';

const gone = (err: unknown) => err instanceof AwsError && err.code === 'NoSuchEntity';

/** Runs a removal step, keeping its request id; a step whose target has already gone counts as done. */
async function stepOf(requestIds: string[], fn: () => Promise<RequestId>): Promise<void> {
  try {
    const id = await fn();
    if (id) requestIds.push(id);
  } catch (err) {
    if (!gone(err)) throw err;
  }
}

async function footprintOrGone(deps: ExecutorDeps, userName: string): Promise<UserFootprint | undefined> {
  try {
    return await deps.iam.getUserFootprint(userName);
  } catch (err) {
    if (gone(err)) return undefined;
    throw err;
  }
}

export async function userIsGone(deps: ExecutorDeps, userName: string): Promise<boolean> {
  return (await footprintOrGone(deps, userName)) === undefined;
}

/** Everything the deletion will remove, with inline policy documents so they can be restored. */
export async function userSnapshot(deps: ExecutorDeps, userName: string): Promise<Record<string, unknown>> {
  const f = await footprintOrGone(deps, userName);
  if (!f) return { userName, alreadyGone: true };
  const inlinePolicies = await Promise.all(
    f.inlinePolicyNames.map(async (name) => ({ name, document: await deps.iam.getUserPolicy(userName, name) })),
  );
  return { ...f, inlinePolicies };
}

async function removeEverything(deps: ExecutorDeps, f: UserFootprint, ids: string[]): Promise<void> {
  const w = deps.iamWriter;
  const u = f.userName;
  const step = (fn: () => Promise<RequestId>) => stepOf(ids, fn);
  if (f.loginProfile) await step(() => w.deleteLoginProfile(u));
  for (const id of f.accessKeyIds) await step(() => w.deleteAccessKey(u, id));
  for (const id of f.signingCertificateIds) await step(() => w.deleteSigningCertificate(u, id));
  for (const id of f.sshPublicKeyIds) await step(() => w.deleteSshPublicKey(u, id));
  for (const id of f.serviceSpecificCredentialIds) await step(() => w.deleteServiceSpecificCredential(u, id));
  for (const mfa of f.mfaDevices) {
    await step(() => w.deactivateMfaDevice(u, mfa.serialNumber));
    // Virtual devices outlive their user unless deleted; hardware ones belong to no account.
    if (mfa.virtual) await step(() => w.deleteVirtualMfaDevice(mfa.serialNumber));
  }
  for (const name of f.inlinePolicyNames) await step(() => w.deleteUserPolicy(u, name));
  for (const arn of f.attachedPolicyArns) await step(() => w.detachUserPolicy(u, arn));
  for (const group of f.groupNames) await step(() => w.removeUserFromGroup(u, group));
}

export async function deleteUserCompletely(deps: ExecutorDeps, a: Action): Promise<ActionOutcome> {
  const f = await footprintOrGone(deps, a.target.userName);
  if (!f) return { result: OutcomeResult.Already, message: `User ${a.target.userName} was already deleted.` };
  const requestIds: string[] = [];
  await removeEverything(deps, f, requestIds);
  await stepOf(requestIds, () => deps.iamWriter.deleteUser(f.userName));
  const removed = {
    loginProfile: f.loginProfile, accessKeys: f.accessKeyIds.length, signingCertificates: f.signingCertificateIds.length,
    sshPublicKeys: f.sshPublicKeyIds.length, serviceSpecificCredentials: f.serviceSpecificCredentialIds.length,
    mfaDevices: f.mfaDevices.length, inlinePolicies: f.inlinePolicyNames.length, attachedPolicies: f.attachedPolicyArns.length, groups: f.groupNames.length,
  };
  return { result: OutcomeResult.Done, message: `User ${f.userName} and everything it had were deleted.`, requestIds, details: { removed } };
}

/** Deleting a user with everything it has; what goes is recorded first (snapshot). */
export const userDeletion: Executor = {
  precheck: async (deps, a) => ((await userIsGone(deps, a.target.userName)) ? already(`User ${a.target.userName} was already deleted.`) : READY),
  run: (deps, a) => deleteUserCompletely(deps, a),
  inPlace: (deps, a) => userIsGone(deps, a.target.userName),
  snapshot: (deps, a) => userSnapshot(deps, a.target.userName),
  wouldHave: (a) => `Would have removed everything ${a.target.userName} has and deleted the user.`,
};
