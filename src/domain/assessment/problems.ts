/** Plain explanations of AWS failures during the assessment. Pure. */
import type { AssessmentProblem, AssessmentStage } from './assessment.js';

export interface AwsFailure {
  readonly code: string;
  readonly message: string;
  readonly service: string;
  readonly operation: string;
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);
const BAD_CREDENTIALS = new Set(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'CredentialsProviderError']);

function explain(f: AwsFailure, keyId: string): string {
  const call = `${f.service.toLowerCase()}:${f.operation}`;
  if (DENIED.has(f.code)) {
    // IAM answers AccessDenied both for a missing permission and for a key it does not know.
    const orUnknown = f.operation === 'GetAccessKeyLastUsed' ? ` Or ${keyId} no longer exists in this account (deleted keys are reported the same way).` : '';
    return `The bot's AWS role is not allowed to call ${call}; grant it that permission and run the command again.${orUnknown}`;
  }
  if (THROTTLED.has(f.code)) return `AWS kept throttling ${call} after several retries. Nothing was changed; run the command again in a minute.`;
  if (BAD_CREDENTIALS.has(f.code)) return `The bot's own AWS credentials were refused (${call}). Check the role or credentials the bot runs with.`;
  if (f.code === 'NotSeenInCloudTrail') {
    return `No CloudTrail event made with ${keyId} was found in the last 36 hours in the regions reviewed: the session may be unused, already expired, or used only in other regions (set CLOUDTRAIL_REGIONS).`;
  }
  if (f.code === 'NoSuchEntity') {
    return f.operation === 'GetAccessKeyLastUsed'
      ? `AWS does not know ${keyId} in this account: it may already have been deleted.`
      : `AWS could not find what ${call} asked for (it may have just been deleted).`;
  }
  return `${call} failed: ${f.message}`;
}

/** Turns an AWS failure at a stage into a problem line for the thread and the timeline. */
export function problemFrom(stage: AssessmentStage, failure: AwsFailure, keyId: string): AssessmentProblem {
  return { stage, code: failure.code, message: explain(failure, keyId) };
}
