/**
 * A replacement key: created in IAM, its secret handed straight to Secrets Manager, and only
 * the secret's ARN kept. The secret is never logged, posted or stored anywhere else.
 */
import { type Action, type ActionOutcome, OutcomeResult } from '../../domain/action/lifecycle.js';
import { type Executor, type ExecutorDeps, READY } from './executor.js';

/** One secret per action, so a retry or a restart finds the secret it made. */
export const replacementSecretName = (a: Action) => `key-incident/${a.incidentId}/${a.id}`;

export async function createReplacementKey(deps: ExecutorDeps, a: Action): Promise<ActionOutcome> {
  const key = await deps.iamWriter.createAccessKey(a.target.userName);
  try {
    const { arn } = await deps.secrets.storeAccessKey(
      replacementSecretName(a),
      key,
      `Replacement access key for IAM user ${a.target.userName}, created by key-incident for incident ${a.incidentId}.`,
    );
    return {
      result: OutcomeResult.Done,
      message: `New key ${key.keyId} created for ${a.target.userName}; its secret is in Secrets Manager: ${arn}`,
      details: { newKeyId: key.keyId, secretArn: arn },
    };
  } catch (err) {
    // A key whose secret could not be kept is useless and risky: remove it, then report.
    await deps.iamWriter.deleteAccessKey(a.target.userName, key.keyId).catch(() => undefined);
    throw err;
  }
}

/**
 * True when the action's secret exists. Otherwise any key made for the user after the action
 * started has lost its secret (a crash between the two calls): it is deleted so that the
 * action can run again cleanly.
 */
export async function replacementInPlace(deps: ExecutorDeps, a: Action): Promise<boolean> {
  if (await deps.secrets.findSecret(replacementSecretName(a))) return true;
  const started = Date.parse(a.startedAt ?? a.proposedAt);
  const keys = await deps.iam.listAccessKeys(a.target.userName);
  for (const k of keys) {
    if (k.keyId !== a.target.keyId && k.createdAt !== undefined && Date.parse(k.createdAt) >= started - 1000) {
      await deps.iamWriter.deleteAccessKey(a.target.userName, k.keyId);
    }
  }
  return false;
}

/** A new key for the user, its secret kept in Secrets Manager; refused while the user has the two keys IAM allows. */
export const createReplacement: Executor = {
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
};
