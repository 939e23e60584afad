/**
 * Wire-level fake of AWS IAM and STS for integration tests. See `aws/fake-aws.ts`.
 */
export { FakeAws, DEFAULT_BOT_ACCOUNT, type FakeAwsOptions } from './aws/fake-aws.js';
export type { AwsCall } from './aws/dispatch.js';
export type { FailOptions } from './aws/faults.js';
export { ANY_ACTION } from './aws/faults.js';
export type { AccountSeeder, GroupBuilder, KeySeed, PolicyBuilder, PolicyDocumentInput, UserBuilder } from './aws/builders.js';
export { accountFromKeyId, keyIdForAccount } from './aws/access-key-id.js';
