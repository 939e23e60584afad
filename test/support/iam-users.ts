/** IAM users seeded in the fake for the tests of user deletion and its footprint. */
import type { FakeAws, UserBuilder } from '../fakes/fake-aws.js';

export const READ_ONLY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
export const denyAll = { Version: '2012-10-17', Statement: [{ Sid: 'Quarantine', Effect: 'Deny', Action: '*', Resource: '*' }] } as const;

/** A user with one of everything that blocks DeleteUser, two of some. */
export function fullyLoaded(aws: FakeAws, name: string): UserBuilder {
  aws.policy('custom', denyAll);
  return aws
    .user(name)
    .loginProfile()
    .key()
    .key({ status: 'Inactive' })
    .signingCertificate()
    .sshPublicKey()
    .sshPublicKey({ status: 'Inactive' })
    .serviceCredential()
    .mfa()
    .mfa({ hardware: true })
    .inline('a', denyAll)
    .inline('b', denyAll)
    .attach(READ_ONLY_ARN)
    .memberOf('devs', 'ops');
}
