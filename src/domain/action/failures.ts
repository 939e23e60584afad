/** Plain explanations of AWS failures while executing an action. Pure. */
import { ACCOUNT_NOT_ALLOWED } from '../assessment/cross-account.js';
import type { AwsFailure } from '../assessment/problems.js';

const EXPLAIN: Readonly<Record<string, (f: AwsFailure) => string>> = {
  AccessDenied: (f) => `The bot's AWS role is not allowed to call ${f.service.toLowerCase()}:${f.operation}. Grant it, then propose the action again.`,
  Throttling: (f) => `AWS kept throttling ${f.operation} after several retries. Nothing more was changed; propose the action again in a minute.`,
  NoSuchEntity: () => 'AWS could not find the user or key any more: it may have been changed by someone else.',
  LimitExceeded: () => 'The user already has 2 access keys, the most IAM allows. Delete the inactive one first (proposed below), then create the replacement.',
  DeleteConflict: (f) => `IAM refused ${f.operation} because something still depends on it: ${f.message}`,
  EntityTemporarilyUnmodifiable: () => 'IAM says the entity is being changed right now. Propose the action again in a moment.',
};
const ALIASES: Readonly<Record<string, string>> = {
  AccessDeniedException: 'AccessDenied',
  ThrottlingException: 'Throttling',
  RequestLimitExceeded: 'Throttling',
  ResourceNotFoundException: 'NoSuchEntity',
};

/** One sentence for the thread and the timeline. */
export function explainActionFailure(failure: AwsFailure): string {
  // The bot refused the account itself: its message says why; nothing was asked of AWS there.
  if (failure.code === ACCOUNT_NOT_ALLOWED) return failure.message;
  if (failure.operation === 'AssumeRole') {
    return `The bot could not assume its role in the key's account (${failure.code}: ${failure.message}). Check that the member-account role is still deployed there, then propose the action again.`;
  }
  const explain = EXPLAIN[ALIASES[failure.code] ?? failure.code];
  return explain ? explain(failure) : `${failure.service}:${failure.operation} failed with ${failure.code}: ${failure.message}`;
}
