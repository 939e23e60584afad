import { describe, expect, it } from 'vitest';
import { createAwsClients, destroyAwsClients } from '../../src/adapters/aws-clients.js';
import type { SdkIamReader } from '../../src/adapters/iam/sdk-iam-reader.js';
import { SdkIamWriter } from '../../src/adapters/iam/sdk-iam-writer.js';
import type { FakeAws, UserBuilder } from '../fakes/fake-aws.js';
import { rejection, sleep, until, useFakeIam } from '../support/aws.js';
import { denyAll, fullyLoaded, READ_ONLY_ARN } from '../support/iam-users.js';

const REGION = 'eu-west-1';

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


describe('SdkIamWriter: deleting a user', () => {
  const leftovers: [string, (user: UserBuilder) => unknown, string][] = [
    ['a login profile', (u) => u.loginProfile(), 'must delete login profile first'],
    ['an access key', (u) => u.key({ status: 'Inactive' }), 'must delete access keys first'],
    ['a signing certificate', (u) => u.signingCertificate(), 'must delete certificates first'],
    ['an SSH public key', (u) => u.sshPublicKey(), 'must remove referenced objects first'],
    ['a service-specific credential', (u) => u.serviceCredential(), 'must remove referenced objects first'],
    ['a virtual MFA device', (u) => u.mfa(), 'must delete MFA device first'],
    ['a hardware MFA device', (u) => u.mfa({ hardware: true }), 'must delete MFA device first'],
    ['an inline policy', (u) => u.inline('p', denyAll), 'must delete policies first'],
    ['an attached managed policy', (u) => u.attach(READ_ONLY_ARN), 'must detach all policies first'],
    ['a group membership', (u) => u.memberOf('devs'), 'must remove users from group first'],
  ];

  it.each(leftovers)('is refused with DeleteConflict (409) while the user has %s', async (_kind, seed, must) => {
    seed(aws.user('frank'));

    const error = await rejection(writer.deleteUser('frank'));

    expect(error).toMatchObject({ code: 'DeleteConflict', message: `Cannot delete entity, ${must}.`, retryable: false });
    expect(lastStatus()).toBe(409);
    expect(aws.userExists('frank')).toBe(true);
  });

  it('is accepted once every leftover the footprint found is gone', async () => {
    fullyLoaded(aws, 'grace');
    const f = await reader.getUserFootprint('grace');

    await writer.deleteLoginProfile('grace');
    for (const id of f.accessKeyIds) await writer.deleteAccessKey('grace', id);
    for (const id of f.signingCertificateIds) await writer.deleteSigningCertificate('grace', id);
    for (const id of f.sshPublicKeyIds) await writer.deleteSshPublicKey('grace', id);
    for (const id of f.serviceSpecificCredentialIds) await writer.deleteServiceSpecificCredential('grace', id);
    for (const device of f.mfaDevices) {
      await writer.deactivateMfaDevice('grace', device.serialNumber);
      if (device.virtual) await writer.deleteVirtualMfaDevice(device.serialNumber);
    }
    for (const name of f.inlinePolicyNames) await writer.deleteUserPolicy('grace', name);
    for (const arn of f.attachedPolicyArns) await writer.detachUserPolicy('grace', arn);
    const beforeGroups = await rejection(writer.deleteUser('grace'));
    for (const group of f.groupNames) await writer.removeUserFromGroup('grace', group);
    await writer.deleteUser('grace');

    expect(beforeGroups.message).toBe('Cannot delete entity, must remove users from group first.');
    expect(aws.userExists('grace')).toBe(false);
    expect(aws.userState('grace')).toBeUndefined();
    expect(aws.virtualMfaDeviceExists('arn:aws:iam::111122223333:mfa/grace')).toBe(false);
  });

  it('fails with NoSuchEntity for a user that does not exist', async () => {
    const error = await rejection(writer.deleteUser('nobody'));

    expect(error.code).toBe('NoSuchEntity');
  });
});

describe('FakeAws.hold: stopping the app around an IAM call', () => {
  it('with apply: false, holds the request unapplied until released, then applies and answers it', async () => {
    const alice = aws.user('alice').key();
    const held = aws.hold('DeleteAccessKey', { apply: false });

    const call = writer.deleteAccessKey('alice', alice.keyIds[0]!);
    const request = await held.arrived;
    expect(request).toEqual({ action: 'DeleteAccessKey', params: { UserName: 'alice', AccessKeyId: alice.keyIds[0] } });
    expect(aws.keyStatus(alice.keyIds[0]!)).toBe('Active');

    held.release();
    await call;
    expect(aws.keyStatus(alice.keyIds[0]!)).toBeUndefined();
  });

  it('with apply: true, makes the change but withholds the answer until released', async () => {
    const alice = aws.user('alice').key();
    const held = aws.hold('UpdateAccessKey', { apply: true });
    let answered = false;

    const call = writer.setAccessKeyStatus('alice', alice.keyIds[0]!, 'Inactive').then(() => (answered = true));
    await held.arrived;
    await sleep(50);
    expect(aws.keyStatus(alice.keyIds[0]!)).toBe('Inactive');
    expect(answered).toBe(false);

    held.release();
    await call;
    expect(answered).toBe(true);
  });

  it.each([
    [false, 'Active', 0],
    [true, 'Inactive', 1],
  ] as const)('with apply: %s, a crash (clients destroyed) leaves the key %s, and the dead call is never retried', async (apply, status, applied) => {
    const alice = aws.user('alice').key();
    const crashing = createAwsClients({ region: REGION, maxAttempts: 3 });
    const held = aws.hold('UpdateAccessKey', { apply });

    const call = new SdkIamWriter(crashing.iam).setAccessKeyStatus('alice', alice.keyIds[0]!, 'Inactive');
    const settled = call.then(() => 'answered', () => 'failed');
    await held.arrived;
    destroyAwsClients(crashing);
    await until(() => aws.swallowed.length > 0);

    expect(aws.swallowed[0]?.action).toBe('UpdateAccessKey');
    expect(await Promise.race([settled, sleep(50).then(() => 'pending')])).toBe('pending');
    expect(aws.keyStatus(alice.keyIds[0]!)).toBe(status);
    expect(aws.count('UpdateAccessKey')).toBe(applied);
    held.release();
    await writer.setAccessKeyStatus('alice', alice.keyIds[0]!, 'Inactive');
    expect(aws.keyStatus(alice.keyIds[0]!)).toBe('Inactive');
  });
});
