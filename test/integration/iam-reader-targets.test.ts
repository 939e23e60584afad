import { describe, expect, it } from 'vitest';
import type { SdkIamReader } from '../../src/adapters/iam/sdk-iam-reader.js';
import type { FakeAws } from '../fakes/fake-aws.js';
import { rejection, useFakeIam } from '../support/aws.js';
import { denyAll, fullyLoaded, READ_ONLY_ARN } from '../support/iam-users.js';

const REGION = 'eu-west-1';
const POLICY = 'key-incident-revoke-sessions';

let aws: FakeAws;
let reader: SdkIamReader;
useFakeIam(REGION, (a, _writer, r) => {
  aws = a;
  reader = r;
});

/** The last request as the fake recorded it. */
const lastCall = () => aws.calls.at(-1);

describe('SdkIamReader: the footprint of a user', () => {
  it('collects every kind of leftover across pages', async () => {
    const carol = fullyLoaded(aws, 'carol');
    aws.capPageSize(1);

    const footprint = await reader.getUserFootprint('carol');

    expect(footprint).toEqual({
      userName: 'carol',
      loginProfile: true,
      accessKeyIds: carol.keyIds,
      signingCertificateIds: carol.signingCertificateIds,
      sshPublicKeyIds: carol.sshPublicKeyIds,
      serviceSpecificCredentialIds: carol.serviceCredentialIds,
      mfaDevices: [
        { serialNumber: 'arn:aws:iam::111122223333:mfa/carol', virtual: true },
        { serialNumber: carol.mfaSerials[1], virtual: false },
      ],
      inlinePolicyNames: ['a', 'b'],
      attachedPolicyArns: [READ_ONLY_ARN],
      groupNames: ['devs', 'ops'],
    });
    expect(aws.count('ListSSHPublicKeys')).toBe(2);
    expect(aws.count('ListMFADevices')).toBe(2);
  });

  it('finds nothing on a bare user, and no login profile from GetLoginProfile NoSuchEntity', async () => {
    aws.user('dave');

    const footprint = await reader.getUserFootprint('dave');

    expect(footprint).toMatchObject({ loginProfile: false, accessKeyIds: [], mfaDevices: [], groupNames: [] });
    expect(aws.calls.find((c) => c.action === 'GetLoginProfile')).toMatchObject({ status: 404, errorCode: 'NoSuchEntity' });
  });

  it('fails with NoSuchEntity for a user that does not exist', async () => {
    const error = await rejection(reader.getUserFootprint('nobody'));

    expect(error).toMatchObject({ code: 'NoSuchEntity', message: 'The user with name nobody cannot be found.' });
  });
});

describe('SdkIamReader: inline policies, read before and after a change', () => {
  it('reads no document for a policy the user does not have', async () => {
    aws.user('alice').inline('other', denyAll);

    expect(await reader.getUserPolicy('alice', 'key-incident-quarantine')).toBeUndefined();
  });

  it('reads no document for a policy the role lacks, or for a missing role', async () => {
    aws.role('deployer');

    expect(await reader.getRolePolicy('deployer', POLICY)).toBeUndefined();
    expect(lastCall()).toMatchObject({ status: 404, errorCode: 'NoSuchEntity' });
    expect(await reader.getRolePolicy('ghost', POLICY)).toBeUndefined();
  });
});

describe('SdkIamReader: roleExists', () => {
  it('is true for a role and false for a name IAM does not know', async () => {
    aws.role('deployer', { path: '/ci/' });

    expect(await reader.roleExists('deployer')).toBe(true);
    expect(await reader.roleExists('ghost')).toBe(false);
    expect(lastCall()).toMatchObject({ action: 'GetRole', status: 404, errorCode: 'NoSuchEntity' });
  });

  it('throws other failures as AwsError rather than answering false', async () => {
    aws.role('deployer');
    aws.deny('GetRole');

    const error = await rejection(reader.roleExists('deployer'));

    expect(error).toMatchObject({ code: 'AccessDenied', operation: 'GetRole', retryable: false });
    expect(error.message).toContain('iam:GetRole on resource: arn:aws:iam::111122223333:role/deployer');
  });

  it('retries throttling, and throws Throttling once the attempts run out', async () => {
    aws.role('deployer');
    aws.throttle('GetRole', 1);
    expect(await reader.roleExists('deployer')).toBe(true);
    expect(aws.count('GetRole')).toBe(2);

    aws.throttle('GetRole', 3);
    const error = await rejection(reader.roleExists('deployer'));
    expect(error).toMatchObject({ code: 'Throttling', retryable: true });
    expect(aws.count('GetRole')).toBe(5);
  });
});
