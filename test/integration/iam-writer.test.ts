import { describe, expect, it } from 'vitest';
import type { SdkIamReader } from '../../src/adapters/iam/sdk-iam-reader.js';
import { SdkIamWriter } from '../../src/adapters/iam/sdk-iam-writer.js';
import { accountFromKeyId, type FakeAws } from '../fakes/fake-aws.js';
import { rejection, useFakeIam } from '../support/aws.js';

const REGION = 'eu-west-1';
const READ_ONLY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const QUARANTINE_ARN = 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3';
const denyAll = { Version: '2012-10-17', Statement: [{ Sid: 'Quarantine', Effect: 'Deny', Action: '*', Resource: '*' }] } as const;

let aws: FakeAws;
let writer: SdkIamWriter;
let reader: SdkIamReader;
useFakeIam(REGION, (a, w, r) => {
  aws = a;
  writer = w;
  reader = r;
});

/** The last answer's HTTP status, as the fake sent it. */
const lastStatus = () => aws.calls.at(-1)?.status;

describe('SdkIamWriter: access keys', () => {
  it('deactivates a key and activates it again', async () => {
    const alice = aws.user('alice').key();
    const [keyId] = alice.keyIds;

    await writer.setAccessKeyStatus('alice', keyId!, 'Inactive');
    expect(aws.keyStatus(keyId!)).toBe('Inactive');
    await writer.setAccessKeyStatus('alice', keyId!, 'Active');
    expect(aws.keyStatus(keyId!)).toBe('Active');
  });

  it('deletes a key', async () => {
    const alice = aws.user('alice').key().key();
    const [gone, kept] = alice.keyIds;

    await writer.deleteAccessKey('alice', gone!);

    expect(aws.keyStatus(gone!)).toBeUndefined();
    expect(aws.userState('alice')?.keys).toEqual([{ id: kept, status: 'Active' }]);
  });

  it('fails with NoSuchEntity (404) for a key the named user does not have', async () => {
    const bob = aws.user('bob').key();
    aws.user('alice');

    const error = await rejection(writer.setAccessKeyStatus('alice', bob.keyIds[0]!, 'Inactive'));

    expect(error).toMatchObject({ code: 'NoSuchEntity', operation: 'UpdateAccessKey', retryable: false });
    expect(error.message).toBe(`The Access Key with id ${bob.keyIds[0]} cannot be found.`);
    expect(lastStatus()).toBe(404);
    expect(aws.keyStatus(bob.keyIds[0]!)).toBe('Active');
  });

  it('creates an Active key whose id decodes to the account, with a 40-character secret', async () => {
    aws.user('alice');

    const key = await writer.createAccessKey('alice');

    expect(key.keyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(accountFromKeyId(key.keyId)).toBe(aws.botAccount);
    expect(key.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(aws.keySecret(key.keyId)).toBe(key.secretAccessKey);
    expect(Date.parse(key.createdAt)).toBeLessThanOrEqual(Date.now());
    expect(aws.userState('alice')?.keys).toEqual([{ id: key.keyId, status: 'Active' }]);
  });

  it('refuses a third key with LimitExceeded (409), counting inactive keys too', async () => {
    aws.user('alice').key().key({ status: 'Inactive' });

    const error = await rejection(writer.createAccessKey('alice'));

    expect(error).toMatchObject({ code: 'LimitExceeded', message: 'Cannot exceed quota for AccessKeysPerUser: 2', retryable: false });
    expect(lastStatus()).toBe(409);
    expect(aws.userState('alice')?.keys).toHaveLength(2);
    // The SDK's standard retry counts IAM's LimitExceededException as throttling and tries again.
    expect(aws.count('CreateAccessKey')).toBe(3);
  });

  it('lets the SDK retry throttling on a write and succeeds when IAM recovers', async () => {
    const alice = aws.user('alice').key();
    aws.throttle('DeleteAccessKey', 2);

    await writer.deleteAccessKey('alice', alice.keyIds[0]!);

    expect(aws.count('DeleteAccessKey')).toBe(3);
    expect(aws.keyStatus(alice.keyIds[0]!)).toBeUndefined();
  });

  it('does not retry AccessDenied', async () => {
    const alice = aws.user('alice').key();
    aws.deny('UpdateAccessKey');

    const error = await rejection(writer.setAccessKeyStatus('alice', alice.keyIds[0]!, 'Inactive'));

    expect(error).toMatchObject({ code: 'AccessDenied', retryable: false });
    expect(error.message).toContain('iam:UpdateAccessKey on resource: arn:aws:iam::111122223333:user/alice');
    expect(aws.count('UpdateAccessKey')).toBe(1);
  });
});

describe('SdkIamWriter: inline policies', () => {
  it('puts an inline policy and reads the same document back', async () => {
    aws.user('alice');

    await writer.putUserPolicy('alice', 'key-incident-quarantine', denyAll);

    expect(await reader.getUserPolicy('alice', 'key-incident-quarantine')).toEqual(denyAll);
    expect(JSON.parse(aws.userState('alice')!.inlinePolicies['key-incident-quarantine']!)).toEqual(denyAll);
  });

  it('deletes an inline policy, and a second delete is NoSuchEntity', async () => {
    aws.user('alice').inline('p', denyAll);

    await writer.deleteUserPolicy('alice', 'p');
    const error = await rejection(writer.deleteUserPolicy('alice', 'p'));

    expect(aws.userState('alice')?.inlinePolicies).toEqual({});
    expect(error).toMatchObject({ code: 'NoSuchEntity', message: 'The user policy with name p cannot be found.' });
  });

  it('refuses inline policies beyond 2,048 characters per user with LimitExceeded', async () => {
    const resources = Array.from({ length: 60 }, (_, i) => `arn:aws:s3:::bucket-number-${i}/*`);
    aws.user('alice');

    const error = await rejection(
      writer.putUserPolicy('alice', 'big', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: resources }] }),
    );

    expect(error).toMatchObject({ code: 'LimitExceeded', message: 'Maximum policy size of 2048 bytes exceeded for user alice' });
  });
});

describe('SdkIamWriter: managed policies', () => {
  it('attaches AWS and customer managed policies and lists them across pages', async () => {
    const custom = aws.policy('deny-all', denyAll);
    aws.user('alice');
    aws.capPageSize(1);

    await writer.attachUserPolicy('alice', QUARANTINE_ARN);
    await writer.attachUserPolicy('alice', custom.arn);

    expect(await reader.listAttachedUserPolicyArns('alice')).toEqual([QUARANTINE_ARN, custom.arn]);
    expect(aws.count('ListAttachedUserPolicies')).toBe(2);
  });

  it('treats attaching an attached policy as done, as IAM does', async () => {
    aws.user('alice').attach(READ_ONLY_ARN);

    await writer.attachUserPolicy('alice', READ_ONLY_ARN);

    expect(aws.userState('alice')?.attachedPolicyArns).toEqual([READ_ONLY_ARN]);
  });

  it('fails with NoSuchEntity (404) to attach a policy that does not exist', async () => {
    aws.user('alice');
    const arn = 'arn:aws:iam::aws:policy/NoSuchPolicyAnywhere';

    const error = await rejection(writer.attachUserPolicy('alice', arn));

    expect(error).toMatchObject({ code: 'NoSuchEntity', message: `Policy ${arn} does not exist or is not attachable.` });
    expect(lastStatus()).toBe(404);
  });

  it('detaches an attached policy, and fails with NoSuchEntity to detach one that is not attached', async () => {
    aws.user('alice').attach(READ_ONLY_ARN);

    await writer.detachUserPolicy('alice', READ_ONLY_ARN);
    const error = await rejection(writer.detachUserPolicy('alice', READ_ONLY_ARN));

    expect(aws.userState('alice')?.attachedPolicyArns).toEqual([]);
    expect(error).toMatchObject({ code: 'NoSuchEntity', operation: 'DetachUserPolicy', message: `Policy ${READ_ONLY_ARN} was not found.` });
  });
});

describe('SdkIamWriter: removing credentials', () => {
  it('deletes the login profile, a certificate, an SSH key and a service credential', async () => {
    const erin = aws.user('erin').loginProfile().signingCertificate().sshPublicKey().serviceCredential();

    await writer.deleteLoginProfile('erin');
    await writer.deleteSigningCertificate('erin', erin.signingCertificateIds[0]!);
    await writer.deleteSshPublicKey('erin', erin.sshPublicKeyIds[0]!);
    await writer.deleteServiceSpecificCredential('erin', erin.serviceCredentialIds[0]!);

    expect(aws.userState('erin')).toMatchObject({
      loginProfile: false,
      signingCertificateIds: [],
      sshPublicKeyIds: [],
      serviceSpecificCredentialIds: [],
    });
  });

  it('fails with NoSuchEntity to delete a login profile the user does not have', async () => {
    aws.user('erin');

    const error = await rejection(writer.deleteLoginProfile('erin'));

    expect(error).toMatchObject({ code: 'NoSuchEntity', message: 'Login Profile for User erin cannot be found.' });
  });

  it('removes a user from a group, and removing them again succeeds as in IAM', async () => {
    aws.user('erin').memberOf('devs', 'ops');

    await writer.removeUserFromGroup('erin', 'devs');
    await writer.removeUserFromGroup('erin', 'devs');

    expect(aws.userState('erin')?.groups).toEqual(['ops']);
  });

  it('refuses to delete a virtual MFA device still enabled, then deletes it once deactivated', async () => {
    const serial = aws.user('erin').mfa().mfaSerials[0]!;

    const refused = await rejection(writer.deleteVirtualMfaDevice(serial));
    await writer.deactivateMfaDevice('erin', serial);
    expect(aws.virtualMfaDeviceExists(serial)).toBe(true);
    await writer.deleteVirtualMfaDevice(serial);

    expect(refused.code).toBe('DeleteConflict');
    expect(aws.virtualMfaDeviceExists(serial)).toBe(false);
    expect(aws.userState('erin')?.mfaSerials).toEqual([]);
  });

  it('deactivates a hardware MFA device, which is no virtual device to delete', async () => {
    const serial = aws.user('erin').mfa({ hardware: true, serialNumber: 'GAHT12345678' }).mfaSerials[0]!;

    await writer.deactivateMfaDevice('erin', serial);
    const error = await rejection(writer.deleteVirtualMfaDevice(serial));

    expect(aws.userState('erin')?.mfaSerials).toEqual([]);
    expect(error.code).toBe('NoSuchEntity');
  });
});
