/**
 * Wire-level fake of AWS IAM, STS, Secrets Manager, CloudTrail and Organizations for integration tests. See `aws/fake-aws.ts`.
 */
export { FakeAws, DEFAULT_BOT_ACCOUNT, type FakeAwsOptions, type Latency, type SecretLocation } from './aws/fake-aws.js';
export type { AwsCall } from './aws/dispatch.js';
export type { FailOptions } from './aws/faults.js';
export { ANY_ACTION } from './aws/faults.js';
export type { HeldRequest, HoldHandle, HoldOptions } from './aws/holds.js';
export type { AssumedRoleSessionSnapshot, RoleSnapshot, SecretSnapshot, UserSnapshot } from './aws/inspect.js';
export type {
  AccountSeeder,
  CredentialSeed,
  GroupBuilder,
  KeySeed,
  MfaSeed,
  PolicyBuilder,
  PolicyDocumentInput,
  RoleBuilder,
  RoleSeed,
  UserBuilder,
} from './aws/builders.js';
export { trustAccount } from './aws/builders.js';
export type { OrganizationAccountSeed, OrganizationAccountStatus, OrganizationSeed } from './aws/organization-state.js';
export { accountFromKeyId, keyIdForAccount } from './aws/access-key-id.js';
export { REDACTED } from './aws/json-dispatch.js';
export type { CloudTrailRecord, CloudTrailState, RateLimit, RegionTrail } from './aws/cloudtrail-state.js';
export { LOOKUP_EVENTS_RATE_LIMIT } from './aws/cloudtrail-state.js';
