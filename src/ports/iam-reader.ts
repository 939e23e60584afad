import type { AccessKeyMeta, LastUse } from '../domain/assessment/assessment.js';
import type { UserAccess } from '../domain/assessment/policy-document.js';

/** Read-only IAM facts for the assessment. Errors are `AwsError`. */
export interface IamReader {
  /** Owner and last use of a key in the bot's account. */
  getAccessKeyLastUsed(keyId: string): Promise<{ userName: string; lastUsed: LastUse | null }>;
  listAccessKeys(userName: string): Promise<AccessKeyMeta[]>;
  /** Inline, attached, group and boundary policies of a user, with decoded documents. */
  getUserAccess(userName: string): Promise<UserAccess>;
}
