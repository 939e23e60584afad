/**
 * A replacement key: its secret is first made in Secrets Manager without a value, encrypted
 * with the configured KMS key and fenced off by a resource policy that only the named readers
 * and the bot pass; then the key is created in IAM, its id recorded on the attempt and its
 * secret handed straight to that secret, and only the secret's ARN kept. The secret is never
 * logged, posted or stored anywhere else. Nothing here deletes a key it did not just make: a
 * key left without its secret is proposed for deletion (two approvers). Without readers or a
 * KMS key configured, nothing is made.
 */
import { type Action, type ActionOutcome, OutcomeResult } from '../../domain/action/lifecycle.js';
import type { AccessKeyMeta } from '../../domain/assessment/assessment.js';
import type { NewAccessKey } from '../../domain/action/iam-footprint.js';
import { AwsError } from '../../domain/errors.js';
import { replacementSecretPolicy } from '../../domain/action/secret-policy.js';
import { type Executor, type ExecutorDeps, READY } from './executor.js';

/** One secret per action, so a retry or a restart finds the secret it made. */
export const replacementSecretName = (a: Action) => `key-incident/${a.incidentId}/${a.id}`;

/** A key left without its secret: when IAM made it, and whether an attempt recorded it. */
export interface OrphanKey {
  readonly keyId: string;
  readonly createdAt?: string;
  /** The attempt that recorded the key's id, when one did. */
  readonly attempt?: number;
}

function orphanOutcome(code: string, why: string, orphans: readonly OrphanKey[]): ActionOutcome {
  const named = orphans.map((k) => `${k.keyId} (created ${k.createdAt ?? 'at an unknown time'}${k.attempt ? ` by attempt ${k.attempt}` : ', not recorded by any attempt'})`).join(', ');
  return {
    result: OutcomeResult.Failed, code,
    message: `${why} Key ${named} has no stored secret: deleting it is proposed (two approvers). Propose the replacement again once it is gone.`,
    details: { orphanKeys: orphans },
  };
}

async function storeSecret(deps: ExecutorDeps, a: Action, key: NewAccessKey): Promise<string> {
  return (await deps.secrets.storeAccessKey(replacementSecretName(a), key)).arn;
}

/** The readers named in the thread: the configured ones, and the bot itself (to store the value). */
const readersLine = (readers: readonly string[], kmsKeyId: string) =>
  `Only ${readers.join(', ')} and key-incident's own role can read it; it is encrypted with KMS key ${kmsKeyId}.`;

/** Why a replacement is refused before anything is made, or undefined when it may go ahead. */
export function replacementRefusal(deps: ExecutorDeps): ActionOutcome | undefined {
  const { readers, kmsKeyId } = deps.replacementSecret;
  const missing = [...(readers.length === 0 ? ['REPLACEMENT_SECRET_READERS (the role or user ARNs that will deploy the new key)'] : []),
    ...(kmsKeyId === undefined ? ['REPLACEMENT_SECRET_KMS_KEY_ID (the KMS key infra/key-incident.yaml creates)'] : [])];
  if (missing.length === 0) return undefined;
  return {
    result: OutcomeResult.Failed, code: 'SecretReadersNotSet',
    message: `Not created: nobody is named to read the new key's secret, so anyone who can read secrets in the account (perhaps the exposed key) could. Set ${missing.join(' and ')} on the bot, restart it, then propose the replacement again.`,
  };
}

/** Makes the empty secret and fences it off; an outcome when that fails (nothing else is made, nothing deleted). */
async function guardSecret(deps: ExecutorDeps, a: Action, kmsKeyId: string): Promise<ActionOutcome | undefined> {
  if (!deps.botPrincipal) throw new Error('a replacement key runs only inside an attempt');
  const description = `Replacement access key for IAM user ${a.target.userName}, created by key-incident for incident ${a.incidentId}.`;
  const resourcePolicy = replacementSecretPolicy([...deps.replacementSecret.readers, await deps.botPrincipal()]);
  try {
    await deps.secrets.guardSecret(replacementSecretName(a), { description, kmsKeyId, resourcePolicy });
    return undefined;
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    return {
      result: OutcomeResult.Failed, code: err.code,
      message: `The secret ${replacementSecretName(a)} could not be fenced off (${err.operation}: ${err.code}), so no key was created and no secret stored. Nothing was deleted. Check the bot's secretsmanager:CreateSecret and PutResourcePolicy permissions and KMS key ${kmsKeyId}, then propose the replacement again.`,
      ...(err.requestId ? { requestIds: [err.requestId] } : {}),
      details: { operation: err.operation, service: err.service },
    };
  }
}

/** CreateAccessKey's answer was lost: a key IAM shows now and did not before is the one it made. */
async function reconcileLostAnswer(deps: ExecutorDeps, a: Action, before: readonly AccessKeyMeta[], err: AwsError): Promise<ActionOutcome> {
  const after = await deps.iam.listAccessKeys(a.target.userName);
  const made = after.filter((k) => !before.some((b) => b.keyId === k.keyId));
  if (made.length === 0) throw err;
  const orphans = made.map((k) => ({ keyId: k.keyId, ...(k.createdAt ? { createdAt: k.createdAt } : {}), ...(a.attempt ? { attempt: a.attempt.number } : {}) }));
  return orphanOutcome('AnswerLost', `IAM's answer to CreateAccessKey was lost (${err.code}).`, orphans);
}

export async function createReplacementKey(deps: ExecutorDeps, a: Action): Promise<ActionOutcome> {
  const { readers, kmsKeyId } = deps.replacementSecret;
  if (kmsKeyId === undefined || readers.length === 0) return replacementRefusal(deps)!;
  const unguarded = await guardSecret(deps, a, kmsKeyId);
  if (unguarded) return unguarded;
  const before = await deps.iam.listAccessKeys(a.target.userName);
  let key: NewAccessKey;
  try {
    key = await deps.iamWriter.createAccessKey(a.target.userName);
  } catch (err) {
    if (err instanceof AwsError) return reconcileLostAnswer(deps, a, before, err);
    throw err;
  }
  const [recorded, stored] = await Promise.allSettled([deps.progress?.({ newKeyId: key.keyId, newKeyAt: key.createdAt }), storeSecret(deps, a, key)]);
  if (stored.status === 'rejected') {
    // This key was made a moment ago by this attempt and its secret is lost: remove it, then report.
    await deps.iamWriter.deleteAccessKey(a.target.userName, key.keyId).catch(() => undefined);
    throw stored.reason;
  }
  // The key and its secret exist (in place); an attempt that lost its hold leaves the record to the next.
  if (recorded.status === 'rejected') throw recorded.reason;
  return {
    result: OutcomeResult.Done,
    message: `New key ${key.keyId} created for ${a.target.userName}; its secret is in Secrets Manager: ${stored.value}. ${readersLine(readers, kmsKeyId)}`,
    details: { newKeyId: key.keyId, secretArn: stored.value, readers, kmsKeyId },
  };
}

/** True when the action's secret holds its value. Reads only. */
export async function replacementInPlace(deps: ExecutorDeps, a: Action): Promise<boolean> {
  return (await deps.secrets.findSecret(replacementSecretName(a)))?.hasValue === true;
}

/**
 * Keys an interrupted replacement may have left without their secret: the one its attempt
 * recorded, and any other key made since the action started (a crash between IAM's answer
 * and the record). Nobody deletes them automatically: each is proposed for deletion.
 */
export async function orphanKeys(deps: ExecutorDeps, a: Action): Promise<OrphanKey[]> {
  const started = Date.parse(a.startedAt ?? a.proposedAt);
  const keys = await deps.iam.listAccessKeys(a.target.userName);
  return keys
    .filter((k) => k.keyId !== a.target.keyId)
    .filter((k) => k.keyId === a.attempt?.newKeyId || (k.createdAt !== undefined && Date.parse(k.createdAt) >= started - 1000))
    .map((k) => ({ keyId: k.keyId, ...(k.createdAt ? { createdAt: k.createdAt } : {}), ...(k.keyId === a.attempt?.newKeyId ? { attempt: a.attempt.number } : {}) }));
}

/** The outcome of an interrupted replacement that left `orphans`. */
export const interruptedReplacement = (orphans: readonly OrphanKey[]): ActionOutcome =>
  orphanOutcome('Interrupted', 'Interrupted before its secret was stored.', orphans);

/** A new key for the user, its secret kept in Secrets Manager; refused while the user has the two keys IAM allows. */
export const createReplacement: Executor = {
  async precheck(deps, a) {
    const refused = replacementRefusal(deps);
    if (refused) return { ready: false, outcome: refused };
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
