/**
 * A small permission catalogue for fast tests: a few services with AWS's access levels, enough
 * for the assessment to tell admin, permissions, write and read apart. Unknown services are
 * undefined, as in the published catalogue.
 */
import type { PermissionCatalog } from '../../../src/domain/assessment/policy-summary.js';
import type { PermissionCatalogLoader } from '../../../src/ports/permission-catalog.js';

const SERVICES: Readonly<Record<string, ReadonlyArray<{ name: string; level: string }>>> = {
  s3: [
    { name: 'GetObject', level: 'Read' }, { name: 'ListBucket', level: 'List' },
    { name: 'PutObject', level: 'Write' }, { name: 'DeleteObject', level: 'Write' }, { name: 'PutBucketPolicy', level: 'Permissions management' },
  ],
  iam: [
    { name: 'GetUser', level: 'Read' }, { name: 'ListUsers', level: 'List' }, { name: 'CreateAccessKey', level: 'Write' },
    { name: 'AttachUserPolicy', level: 'Permissions management' }, { name: 'PutUserPolicy', level: 'Permissions management' },
  ],
  ec2: [{ name: 'DescribeInstances', level: 'List' }, { name: 'RunInstances', level: 'Write' }],
};

export const memoryPermissionCatalog: PermissionCatalogLoader = async () => {
  const catalog: PermissionCatalog = { actionsOf: (service) => SERVICES[service] };
  return catalog;
};
