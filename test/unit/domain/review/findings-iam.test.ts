import { describe, expect, it } from 'vitest';
import { findingsOf } from '../../../../src/domain/review/findings.js';
import { trustedPrincipals } from '../../../../src/domain/review/findings-iam.js';
import { FindingCategory } from '../../../../src/domain/review/types.js';
import { ACCOUNT, ATTACKER_IP, ROOT_KEY, T0, assumedRole, iam, iamUser } from './records.js';

const one = (event: Parameters<typeof findingsOf>[0]) => {
  const found = findingsOf(event);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('IAM persistence findings', () => {
  it('flags a new access key for another user, says so, and offers to delete that key', () => {
    const f = one(iam('CreateAccessKey', { userName: 'backup-admin' }, {
      accessKey: { accessKeyId: 'AKIANEWKEY0000000001', status: 'Active', userName: 'backup-admin', createDate: 'Nov 28, 2026 2:40:00 AM' },
    }));
    expect(f).toMatchObject({
      category: FindingCategory.IamPersistence,
      eventName: 'CreateAccessKey',
      eventTime: T0,
      region: 'us-east-1',
      sourceIPAddress: ATTACKER_IP,
      accessKeyId: ROOT_KEY,
      cleanup: { kind: 'delete-access-key', userName: 'backup-admin', accessKeyId: 'AKIANEWKEY0000000001' },
    });
    expect(f.eventId).not.toBe('');
    expect(f.summary).toBe('Created access key AKIANEWKEY0000000001 for user backup-admin (another user than the caller, ci-bot)');
  });

  it('does not call a key for the caller itself another user’s', () => {
    const f = one(iam('CreateAccessKey', null, { accessKey: { accessKeyId: 'AKIANEWKEY0000000002', userName: 'ci-bot' } }));
    expect(f.summary).toBe('Created access key AKIANEWKEY0000000002 for user ci-bot');
    expect(f.cleanup).toEqual({ kind: 'delete-access-key', userName: 'ci-bot', accessKeyId: 'AKIANEWKEY0000000002' });
  });

  it('treats any user named by a role session as another user', () => {
    const by = assumedRole('deploy', 'x', 'ASIAEXAMPLE000000001');
    const f = one(iam('CreateAccessKey', { userName: 'ci-bot' }, { accessKey: { accessKeyId: 'AKIANEWKEY0000000003' } }, { userIdentity: by }));
    expect(f.summary).toMatch(/another user than the caller, arn:aws:sts::111122223333:assumed-role\/deploy\/x/);
  });

  it('gives no cleanup when the new key id was not recorded', () => {
    const f = one(iam('CreateAccessKey', { userName: 'backup-admin' }, null));
    expect(f.cleanup).toBeUndefined();
    expect(f.summary).toMatch(/not recorded/);
  });

  it('offers to delete a created user', () => {
    const f = one(iam('CreateUser', { userName: 'support-helper' }, { user: { userName: 'support-helper', arn: `arn:aws:iam::${ACCOUNT}:user/support-helper` } }));
    expect(f.summary).toBe('Created IAM user support-helper');
    expect(f.cleanup).toEqual({ kind: 'delete-user', userName: 'support-helper' });
    expect(f.consoleUrl).toBe('https://console.aws.amazon.com/iam/home#/users/details/support-helper');
  });

  it.each([
    ['CreateLoginProfile', 'Set a console password for user backup-admin'],
    ['UpdateLoginProfile', 'Changed the console password of user backup-admin'],
  ])('offers to delete the login profile after %s', (name, summary) => {
    const f = one(iam(name, { userName: 'backup-admin', password: 'HIDDEN_DUE_TO_SECURITY_REASONS' }));
    expect(f.summary).toBe(summary);
    expect(f.cleanup).toEqual({ kind: 'delete-login-profile', userName: 'backup-admin' });
  });

  it('offers to detach or delete user and role policies', () => {
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    expect(one(iam('AttachUserPolicy', { userName: 'ci-bot', policyArn: admin })).cleanup)
      .toEqual({ kind: 'detach-user-policy', userName: 'ci-bot', policyArn: admin });
    expect(one(iam('PutUserPolicy', { userName: 'ci-bot', policyName: 'x', policyDocument: '{}' })).cleanup)
      .toEqual({ kind: 'delete-user-policy', userName: 'ci-bot', policyName: 'x' });
    expect(one(iam('AttachRolePolicy', { roleName: 'deploy', policyArn: admin })).cleanup)
      .toEqual({ kind: 'detach-role-policy', roleName: 'deploy', policyArn: admin });
    const put = one(iam('PutRolePolicy', { roleName: 'deploy', policyName: 'y', policyDocument: '{}' }));
    expect(put.cleanup).toEqual({ kind: 'delete-role-policy', roleName: 'deploy', policyName: 'y' });
    expect(put.summary).toBe('Put inline policy y on role deploy');
  });

  it('names the policy version added and gives the delete command unless it became the default', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/app`;
    const side = one(iam('CreatePolicyVersion', { policyArn: arn, policyDocument: '{}', setAsDefault: false }, { policyVersion: { versionId: 'v3', isDefaultVersion: false } }));
    expect(side.cliCommand).toBe(`aws iam delete-policy-version --policy-arn ${arn} --version-id v3`);
    const main = one(iam('CreatePolicyVersion', { policyArn: arn, policyDocument: '{}', setAsDefault: true }, { policyVersion: { versionId: 'v4' } }));
    expect(main.summary).toBe(`Added version v4 to policy ${arn} and made it the default`);
    expect(main.cliCommand).toBeUndefined();
  });

  it('names who a created role trusts', () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole' }] });
    const f = one(iam('CreateRole', { roleName: 'support', assumeRolePolicyDocument: trust }));
    expect(f.summary).toBe('Created role support trusting arn:aws:iam::999988887777:root');
    expect(f.cliCommand).toBe('aws iam delete-role --role-name support');
    const updated = one(iam('UpdateAssumeRolePolicy', { roleName: 'deploy', policyDocument: encodeURIComponent(trust) }));
    expect(updated.summary).toBe('Changed who can assume role deploy trusting arn:aws:iam::999988887777:root');
  });

  it('reads trust policies of any shape without throwing', () => {
    expect(trustedPrincipals('{not json')).toEqual([]);
    expect(trustedPrincipals({ Statement: { Effect: 'Allow', Principal: '*' } })).toEqual(['*']);
    expect(trustedPrincipals({ Statement: [{ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com'], Federated: 7 } }] })).toEqual(['ec2.amazonaws.com']);
  });

  it('gives the command to take a user out of a group', () => {
    const f = one(iam('AddUserToGroup', { userName: 'ci-bot', groupName: 'admins' }));
    expect(f.summary).toBe('Added user ci-bot to group admins');
    expect(f.cliCommand).toBe('aws iam remove-user-from-group --user-name ci-bot --group-name admins');
  });

  it('flags MFA changes', () => {
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/evil`;
    expect(one(iam('CreateVirtualMFADevice', { virtualMFADeviceName: 'evil', path: '/' }, { virtualMFADevice: { serialNumber: serial } })).cliCommand)
      .toBe(`aws iam delete-virtual-mfa-device --serial-number ${serial}`);
    expect(one(iam('EnableMFADevice', { userName: 'ci-bot', serialNumber: serial })).cliCommand)
      .toBe(`aws iam deactivate-mfa-device --user-name ci-bot --serial-number ${serial}`);
    expect(one(iam('DeactivateMFADevice', { userName: 'alice', serialNumber: serial })).summary).toBe(`Deactivated MFA device ${serial} of user alice`);
    expect(one(iam('DeleteVirtualMFADevice', { serialNumber: serial })).category).toBe(FindingCategory.IamPersistence);
  });

  it('makes no finding of a refused call', () => {
    expect(findingsOf(iam('CreateUser', { userName: 'x' }, null, { errorCode: 'AccessDenied' }))).toEqual([]);
  });

  it('makes no finding of reads', () => {
    expect(findingsOf(iam('ListUsers', null, null, { readOnly: true }))).toEqual([]);
    expect(findingsOf(iam('GetUser', null, null, { userIdentity: iamUser() }))).toEqual([]);
  });
});
