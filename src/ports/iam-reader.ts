import type { UserFootprint } from '../domain/action/iam-footprint.js';
import type { AccessKeyMeta, LastUse } from '../domain/assessment/assessment.js';
import type { PolicyDocument, UserAccess } from '../domain/assessment/policy-document.js';

/**
 * Read-only IAM facts: for the assessment, and for the checks before and after an action's
 * change. Errors are `AwsError` with AWS's code.
 */
export interface IamReader {
  /** Owner and last use of a key in the bot's account. */
  getAccessKeyLastUsed(keyId: string): Promise<{ userName: string; lastUsed: LastUse | null }>;
  listAccessKeys(userName: string): Promise<AccessKeyMeta[]>;
  /** Inline, attached, group and boundary policies of a user, with decoded documents. */
  getUserAccess(userName: string): Promise<UserAccess>;
  /** The inline policy's document, or undefined when the user has no such policy. */
  getUserPolicy(userName: string, policyName: string): Promise<PolicyDocument | undefined>;
  listAttachedUserPolicyArns(userName: string): Promise<string[]>;
  /** Everything that blocks DeleteUser; NoSuchEntity when the user does not exist. */
  getUserFootprint(userName: string): Promise<UserFootprint>;
  /** The role's inline policy, or undefined when the role has no such policy. */
  getRolePolicy(roleName: string, policyName: string): Promise<PolicyDocument | undefined>;
  /** Whether the role exists (GetRole). */
  roleExists(roleName: string): Promise<boolean>;
  listAttachedRolePolicyArns(roleName: string): Promise<string[]>;
}
