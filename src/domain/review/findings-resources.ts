/**
 * Spend and data: compute launched for the attacker, buckets and snapshots opened up, secrets
 * and parameters read. Each finding links to the console and gives the removal command.
 */
import type { Draft, Rule } from './finding-rule.js';
import { arnTail, arr, at, clean, cli, consoleUrl, listOf, num, setItems, str } from './fields.js';
import { FindingCategory } from './types.js';

const UNKNOWN = '(not recorded)';

function draft(category: Draft['category'], summary: string, consoleLink: string, cliCommand?: string): Draft {
  return { category, summary: clean(summary), consoleUrl: consoleLink, ...(cliCommand && { cliCommand }) };
}

/** `3 × p3.16xlarge, 1 × t3.micro`, most first. */
function countsByType(types: readonly string[]): string {
  const counts = new Map<string, number>();
  types.forEach((t) => counts.set(t, (counts.get(t) ?? 0) + 1));
  return [...counts].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${n} × ${t}`).join(', ');
}

const runInstances: Rule = (_e, p) => {
  const launched = setItems(p.response?.instancesSet);
  const ids = launched.map((i) => str(i.instanceId)).filter((id): id is string => id !== undefined);
  const requestedType = str(p.request?.instanceType) ?? 'instance type from a launch template';
  // Without response elements, the request's maxCount is the most that may have started.
  const requested = setItems(p.request?.instancesSet)[0];
  const requestedCount = num(requested?.maxCount) ?? num(requested?.minCount) ?? 1;
  const what = launched.length > 0
    ? countsByType(launched.map((i) => str(i.instanceType) ?? requestedType))
    : `up to ${requestedCount} × ${requestedType}`;
  const summary = `Launched ${what} in ${p.region}${ids.length > 0 ? ` (${listOf(ids)})` : ''}`;
  const remove = ids.length > 0 ? cli('ec2', 'terminate-instances', '--region', p.region, '--instance-ids', ...ids) : undefined;
  return draft(FindingCategory.Spend, summary, consoleUrl('ec2/home', p.region, { fragment: '#Instances:' }), remove);
};

const requestSpotInstances: Rule = (_e, p) => {
  const count = num(p.request?.instanceCount) ?? 1;
  const type = str(at(p.request, 'launchSpecification', 'instanceType')) ?? 'instance type from a launch template';
  const ids = setItems(p.response?.spotInstanceRequestSet)
    .map((r) => str(r.spotInstanceRequestId))
    .filter((id): id is string => id !== undefined);
  // Cancelling a request leaves the instances it started running: they are terminated separately.
  const summary = `Requested ${count} × ${type} spot instances in ${p.region}${ids.length > 0 ? ` (${listOf(ids)})` : ''}; cancel the request and terminate its instances`;
  const remove = ids.length > 0 ? cli('ec2', 'cancel-spot-instance-requests', '--region', p.region, '--spot-instance-request-ids', ...ids) : undefined;
  return draft(FindingCategory.Spend, summary, consoleUrl('ec2/home', p.region, { fragment: '#SpotInstances:' }), remove);
};

const createFunction: Rule = (_e, p) => {
  const name = str(p.response?.functionName) ?? str(p.request?.functionName);
  const link = consoleUrl('lambda/home', p.region, { fragment: name ? `#/functions/${encodeURIComponent(name)}` : '#/functions' });
  const remove = name ? cli('lambda', 'delete-function', '--region', p.region, '--function-name', name) : undefined;
  return draft(FindingCategory.Spend, `Created Lambda function ${name ?? UNKNOWN} in ${p.region}`, link, remove);
};

const bucketUrl = (bucket: string | undefined, region: string) =>
  consoleUrl(bucket ? `s3/buckets/${encodeURIComponent(bucket)}` : 's3/home', region);

const putBucketPolicy: Rule = (_e, p) => {
  const bucket = str(p.request?.bucketName);
  // Deleting the policy also removes statements that were there before: compare first.
  const remove = bucket ? cli('s3api', 'delete-bucket-policy', '--bucket', bucket) : undefined;
  return draft(FindingCategory.Data, `Replaced the bucket policy of ${bucket ?? UNKNOWN}`, bucketUrl(bucket, p.region), remove);
};

const putBucketAcl: Rule = (_e, p) => {
  const bucket = str(p.request?.bucketName);
  const raw = p.request?.['x-amz-acl'];
  const canned = str(raw) ?? str(arr(raw)[0]);
  const summary = `Changed the ACL of bucket ${bucket ?? UNKNOWN}${canned ? ` to ${canned}` : ''}`;
  const remove = bucket ? cli('s3api', 'put-bucket-acl', '--bucket', bucket, '--acl', 'private') : undefined;
  return draft(FindingCategory.Data, summary, bucketUrl(bucket, p.region), remove);
};

const shareSnapshot: Rule = (_e, p) => {
  const added = setItems(at(p.request, 'createVolumePermission', 'add'));
  // Only adding permissions exposes data; removing them is the cure.
  if (added.length === 0) return undefined;
  const snapshot = str(p.request?.snapshotId) ?? UNKNOWN;
  const accounts = added.map((i) => str(i.userId)).filter((a): a is string => a !== undefined);
  const isPublic = added.some((i) => i.group === 'all');
  const who = [...(isPublic ? ['everyone (public)'] : []), ...(accounts.length > 0 ? [`account ${listOf(accounts)}`] : [])].join(' and ');
  const target = [...(accounts.length > 0 ? ['--user-ids', ...accounts] : []), ...(isPublic ? ['--group-names', 'all'] : [])];
  const remove = snapshot !== UNKNOWN && target.length > 0
    ? cli('ec2', 'modify-snapshot-attribute', '--region', p.region, '--snapshot-id', snapshot, '--attribute', 'createVolumePermission', '--operation-type', 'remove', ...target)
    : undefined;
  const link = consoleUrl('ec2/home', p.region, { fragment: '#Snapshots:' });
  return draft(FindingCategory.Data, `Shared snapshot ${snapshot} with ${who || UNKNOWN}`, link, remove);
};

/** `arn:…:secret:db-pass-AbCdEf` → `db-pass-AbCdEf`; a plain name stays as it is. */
const secretName = (id: string) => (id.startsWith('arn:') ? arnTail(id) : id);

const getSecretValue: Rule = (_e, p) => {
  const id = str(p.request?.secretId);
  const name = id ? secretName(id) : UNKNOWN;
  const link = consoleUrl('secretsmanager/secret', p.region, { query: id ? { name } : {} });
  return draft(FindingCategory.Data, `Read secret ${name} in ${p.region}: rotate it`, link);
};

const decrypted = (p: { request?: Readonly<Record<string, unknown>> }) => (p.request?.withDecryption === true ? ' (decrypted)' : '');
const parametersUrl = (region: string) => consoleUrl('systems-manager/parameters', region);

const getParameter: Rule = (_e, p) =>
  draft(FindingCategory.Data, `Read SSM parameter ${str(p.request?.name) ?? UNKNOWN}${decrypted(p)} in ${p.region}`, parametersUrl(p.region));

const getParameters: Rule = (_e, p) => {
  const names = arr(p.request?.names).filter((n): n is string => typeof n === 'string');
  const list = names.length > 0 ? listOf(names) : UNKNOWN;
  return draft(FindingCategory.Data, `Read SSM parameters ${list}${decrypted(p)} in ${p.region}`, parametersUrl(p.region));
};

const getParametersByPath: Rule = (_e, p) =>
  draft(FindingCategory.Data, `Read SSM parameters under ${str(p.request?.path) ?? UNKNOWN}${decrypted(p)} in ${p.region}`, parametersUrl(p.region));

/** Spend and data rules by `<service>:<EventName>`. */
export const RESOURCE_RULES: Readonly<Record<string, Rule>> = {
  'ec2:RunInstances': runInstances,
  'ec2:RequestSpotInstances': requestSpotInstances,
  'lambda:CreateFunction': createFunction,
  's3:PutBucketPolicy': putBucketPolicy,
  's3:PutBucketAcl': putBucketAcl,
  'ec2:ModifySnapshotAttribute': shareSnapshot,
  'secretsmanager:GetSecretValue': getSecretValue,
  'ssm:GetParameter': getParameter,
  'ssm:GetParameters': getParameters,
  'ssm:GetParametersByPath': getParametersByPath,
};
