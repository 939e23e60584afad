/** The in-memory IAM keeps IAM's rules, so service tests meet the errors real IAM gives. */
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/domain/errors.js';
import { ManualClock, MemoryIam } from '../../fakes/memory/index.js';

const iamWith = (): { iam: MemoryIam; key: string } => {
  const iam = new MemoryIam(new ManualClock());
  iam.addUser('ci-deployer');
  return { iam, key: iam.addKey('ci-deployer') };
};
const codeOf = (promise: Promise<unknown>): Promise<string | undefined> => promise.then(() => undefined, (err: AwsError) => err.code);

describe('MemoryIam', () => {
  it('refuses a third access key with LimitExceeded, inactive keys counted', async () => {
    const { iam, key } = iamWith();
    await iam.setAccessKeyStatus('ci-deployer', key, 'Inactive');
    await iam.createAccessKey('ci-deployer');
    expect(await codeOf(iam.createAccessKey('ci-deployer'))).toBe('LimitExceeded');
    expect(await iam.listAccessKeys('ci-deployer')).toHaveLength(2);
  });

  it('refuses to delete a user that still has anything, with DeleteConflict', async () => {
    const { iam, key } = iamWith();
    expect(await codeOf(iam.deleteUser('ci-deployer'))).toBe('DeleteConflict');
    await iam.deleteAccessKey('ci-deployer', key);
    await iam.deleteUser('ci-deployer');
    expect(await codeOf(iam.getUserFootprint('ci-deployer'))).toBe('NoSuchEntity');
  });

  it('answers NoSuchEntity for what is missing, AccessDenied for an unknown key, and undefined for absent inline policies', async () => {
    const { iam } = iamWith();
    expect(await codeOf(iam.detachUserPolicy('ci-deployer', 'arn:aws:iam::aws:policy/ReadOnlyAccess'))).toBe('NoSuchEntity');
    expect(await codeOf(iam.listAccessKeys('nobody'))).toBe('NoSuchEntity');
    expect(await codeOf(iam.getAccessKeyLastUsed('AKIAUNKNOWN000000000'))).toBe('AccessDenied');
    expect(await iam.getUserPolicy('nobody', 'p')).toBeUndefined();
    expect(await iam.roleExists('ops-admin')).toBe(false);
  });

  it('throws a planned failure once, then behaves again', async () => {
    const { iam, key } = iamWith();
    iam.faults.fail('setAccessKeyStatus', new AwsError('Throttling', 'Rate exceeded', 'iam', 'UpdateAccessKey'));
    expect(await codeOf(iam.setAccessKeyStatus('ci-deployer', key, 'Inactive'))).toBe('Throttling');
    await iam.setAccessKeyStatus('ci-deployer', key, 'Inactive');
    expect(iam.findKey(key)?.key.status).toBe('Inactive');
  });

  it('holds a call until released, so a test can act while it waits', async () => {
    const { iam, key } = iamWith();
    const hold = iam.faults.hold('deleteAccessKey');
    const deleting = iam.deleteAccessKey('ci-deployer', key);
    await hold.reached;
    expect(iam.findKey(key)).toBeDefined();
    hold.release();
    await deleting;
    expect(iam.findKey(key)).toBeUndefined();
  });

  it('hands out copies of what it holds', async () => {
    const { iam } = iamWith();
    await iam.putUserPolicy('ci-deployer', 'p', { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const read = (await iam.getUserPolicy('ci-deployer', 'p')) as unknown as { Statement: unknown[] };
    read.Statement.push('tampered');
    expect((await iam.getUserPolicy('ci-deployer', 'p'))?.Statement).toHaveLength(1);
  });
});
