import { describe, expect, it } from 'vitest';
import type { SdkIamReader } from '../../src/adapters/iam/sdk-iam-reader.js';
import { SdkIamWriter } from '../../src/adapters/iam/sdk-iam-writer.js';
import type { FakeAws } from '../fakes/fake-aws.js';
import { rejection, useFakeIam } from '../support/aws.js';

const REGION = 'eu-west-1';
const POLICY = 'key-incident-revoke-sessions';
/** AWS's "revoke active sessions" policy, with characters that must survive URL encoding. */
const revokeSessions = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Revoke sessions (before 2024-01-15T09:30:00Z) & <older> 100% "quoted" +=!*\'é',
      Effect: 'Deny',
      Action: ['*'],
      Resource: ['*'],
      Condition: { DateLessThan: { 'aws:TokenIssueTime': '2024-01-15T09:30:00Z' } },
    },
  ],
} as const;

let aws: FakeAws;
let writer: SdkIamWriter;
let reader: SdkIamReader;
useFakeIam(REGION, (a, w, r) => {
  aws = a;
  writer = w;
  reader = r;
});

/** The last request as the fake recorded it. */
const lastCall = () => aws.calls.at(-1);

describe('SdkIamWriter: role inline policies', () => {
  it('puts a role policy, reads the same document back and deletes it', async () => {
    aws.role('deployer', { path: '/ci/' }).inline('other', { Version: '2012-10-17', Statement: [] });

    const putId = await writer.putRolePolicy('deployer', POLICY, revokeSessions);
    expect(putId).toBe(lastCall()?.requestId);
    expect(lastCall()).toMatchObject({ action: 'PutRolePolicy', status: 200 });
    expect(JSON.parse(aws.roleState('deployer')!.inlinePolicies[POLICY]!)).toEqual(revokeSessions);

    expect(await reader.getRolePolicy('deployer', POLICY)).toEqual(revokeSessions);

    const deleteId = await writer.deleteRolePolicy('deployer', POLICY);
    expect(deleteId).toBe(lastCall()?.requestId);
    expect(deleteId).not.toBe(putId);
    expect(Object.keys(aws.roleState('deployer')!.inlinePolicies)).toEqual(['other']);
    expect(await reader.getRolePolicy('deployer', POLICY)).toBeUndefined();
  });

  it('replaces a role policy of the same name', async () => {
    aws.role('deployer').inline(POLICY, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });

    await writer.putRolePolicy('deployer', POLICY, revokeSessions);

    expect(await reader.getRolePolicy('deployer', POLICY)).toEqual(revokeSessions);
  });

  it('fails with NoSuchEntity (404) to put or delete on a role that does not exist', async () => {
    const put = await rejection(writer.putRolePolicy('ghost', POLICY, revokeSessions));
    expect(put).toMatchObject({ code: 'NoSuchEntity', operation: 'PutRolePolicy', message: 'The role with name ghost cannot be found.', retryable: false });
    expect(lastCall()?.status).toBe(404);

    const del = await rejection(writer.deleteRolePolicy('ghost', POLICY));
    expect(del).toMatchObject({ code: 'NoSuchEntity', operation: 'DeleteRolePolicy', message: 'The role with name ghost cannot be found.' });
    expect(del.requestId).toBe(lastCall()?.requestId);
    expect(aws.count('DeleteRolePolicy')).toBe(1);
  });

  it('fails with NoSuchEntity to delete a policy the role does not have', async () => {
    aws.role('deployer');

    const error = await rejection(writer.deleteRolePolicy('deployer', POLICY));

    expect(error).toMatchObject({ code: 'NoSuchEntity', message: `The role policy with name ${POLICY} cannot be found.` });
  });

  it('refuses inline policies beyond 10,240 characters per role with LimitExceeded', async () => {
    const resources = Array.from({ length: 300 }, (_, i) => `arn:aws:s3:::bucket-number-${i}/*`);
    aws.role('deployer');

    const error = await rejection(
      writer.putRolePolicy('deployer', 'big', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: resources }] }),
    );

    expect(error).toMatchObject({ code: 'LimitExceeded', message: 'Maximum policy size of 10240 bytes exceeded for role deployer' });
    expect(aws.roleState('deployer')?.inlinePolicies).toEqual({});
    // The SDK's standard retry counts IAM's LimitExceededException as throttling and tries again.
    expect(aws.count('PutRolePolicy')).toBe(3);
  });

  it('lets the SDK retry throttling and returns the request id of the attempt that succeeded', async () => {
    aws.role('deployer');
    aws.throttle('PutRolePolicy', 2);

    const requestId = await writer.putRolePolicy('deployer', POLICY, revokeSessions);

    expect(aws.count('PutRolePolicy')).toBe(3);
    expect(aws.calls.map((c) => c.status)).toEqual([400, 400, 200]);
    expect(requestId).toBe(lastCall()?.requestId);
    expect(aws.roleState('deployer')?.inlinePolicies[POLICY]).toBeDefined();
  });
});
