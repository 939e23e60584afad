/**
 * What an executor is: for one kind of action, a re-check of the target just before acting,
 * the change itself, and a check of whether the change is in place (used after a crash).
 */
import { type Action, type ActionOutcome, OutcomeResult } from '../../domain/action/lifecycle.js';
import type { IamReader } from '../../ports/iam-reader.js';
import type { IamWriter, RequestId } from '../../ports/iam-writer.js';
import type { SecretStore } from '../../ports/secret-store.js';
import type { AttemptProgress } from './attempt-lease.js';
import type { ReplacementSecretSettings } from '../deps.js';

/** The ports an executor acts through, in the incident's account. */
export interface ExecutorDeps {
  readonly iam: IamReader;
  /** While an attempt runs, every change is fenced (`attempt-lease.ts`). */
  readonly iamWriter: IamWriter;
  readonly secrets: SecretStore;
  /** Who may read a replacement key's secret, and its KMS key. */
  readonly replacementSecret: ReplacementSecretSettings;
  /** The bot's principal ARN in this account (as `aws:PrincipalArn` names it); set while an attempt runs. */
  readonly botPrincipal?: () => Promise<string>;
  /** Records what the attempt made (a new key id) on the attempt, under the fence. */
  readonly progress?: (p: AttemptProgress) => Promise<void>;
}

/** Ready to act, or an outcome that makes acting unnecessary or wrong. */
export type Precheck = { readonly ready: true } | { readonly ready: false; readonly outcome: ActionOutcome };

/** How one kind of action is checked, made and verified in IAM. */
export interface Executor {
  precheck(deps: ExecutorDeps, action: Action): Promise<Precheck>;
  /** Makes the change; throws `AwsError` on failure. */
  run(deps: ExecutorDeps, action: Action, now: Date): Promise<ActionOutcome>;
  /** Whether the change is in place now (used after a crash). Reads only: it never changes IAM. */
  inPlace(deps: ExecutorDeps, action: Action): Promise<boolean>;
  /** What the change will remove, recorded in the timeline before it runs. */
  snapshot?(deps: ExecutorDeps, action: Action): Promise<Record<string, unknown>>;
  /** "Would have …" for dry runs. */
  wouldHave(action: Action): string;
}

/** The target is as expected: act. */
export const READY: Precheck = { ready: true };

/** A change made, with AWS's request id when it sent one. */
export const done = (requestId: RequestId, message: string, details?: Record<string, unknown>): ActionOutcome => ({
  result: OutcomeResult.Done,
  message,
  ...(requestId ? { requestIds: [requestId] } : {}),
  ...(details ? { details } : {}),
});

/** Nothing to do: the change is already in place. */
export const already = (message: string): Precheck => ({ ready: false, outcome: { result: OutcomeResult.Already, message } });

/** Not acting: the target is no longer what the proposal saw. */
export const changed = (message: string): Precheck => ({ ready: false, outcome: { result: OutcomeResult.TargetChanged, message } });
