/**
 * Summarises what IAM policy documents allow, as one level and one line. Pure: the
 * catalogue of actions and their access levels is passed in.
 */
import { AccessLevel } from './assessment.js';
import type { PolicyDocument, PolicyStatement } from './policy-document.js';
import { matchesWildcard } from '../wildcard.js';

/**
 * AWS's access level of an action, as published in the service authorization reference:
 * `List`, `Read`, `Write`, `Permissions management`, `Tagging`, or several joined by `, `.
 */
export type PermissionAccessLevel = string;

export interface PermissionCatalog {
  /** Actions of a service (`s3`) with their levels; undefined for an unknown service. */
  actionsOf(service: string): ReadonlyArray<{ readonly name: string; readonly level: PermissionAccessLevel }> | undefined;
}

/** Strongest first, so a lower index means more reach. */
const ORDER: readonly AccessLevel[] = [
  AccessLevel.Admin,
  AccessLevel.Permissions,
  AccessLevel.Write,
  AccessLevel.Read,
  AccessLevel.Unknown,
  AccessLevel.None,
];

/** The stronger of two levels (unknown ranks above none: we cannot rule access out). */
export function strongest(a: AccessLevel, b: AccessLevel): AccessLevel {
  return ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b;
}

/** The weaker of two levels, for a permissions boundary capping identity policies. */
export function weakest(a: AccessLevel, b: AccessLevel): AccessLevel {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

export interface Reach {
  readonly level: AccessLevel;
  /** Services reached at `level` (write level: the services it can write to). */
  readonly services: readonly string[];
  /** Named resources at `level` (bucket, function, table names …); empty means all. */
  readonly resources: readonly string[];
}

const NO_REACH: Reach = { level: AccessLevel.None, services: [], resources: [] };

function asList<T>(v: T | readonly T[] | undefined): readonly T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

/** Services whose permission management lets a principal grant itself more (escalation). */
const IDENTITY_SERVICES = new Set(['iam', 'organizations', 'sso', 'identitystore']);

function levelOf(service: string, published: PermissionAccessLevel): AccessLevel {
  const levels = published.split(',').map((l) => l.trim());
  // Elsewhere (bucket policies, key policies) it is a write to that resource, serious but not admin.
  if (levels.includes('Permissions management')) {
    return IDENTITY_SERVICES.has(service) ? AccessLevel.Permissions : AccessLevel.Write;
  }
  if (levels.includes('Write') || levels.includes('Tagging')) return AccessLevel.Write;
  return AccessLevel.Read;
}

/** Verbs AWS uses for reading; `Get*`-style wildcards are written to mean "read". */
const READ_VERB = /^(Get|List|Describe|Search|Lookup|View|BatchGet|Query|Scan|Head)/i;

/**
 * Actions classed as Write that only open a session for reading and writing alike; AWS's own
 * ReadOnlyAccess grants them, so they do not make a policy a writer by themselves.
 */
const SESSION_ACTIONS = new Set(['s3express:createsession']);

/** The level an action pattern (`s3:Get*`, `iam:*`, `*`) reaches. */
export function actionLevel(pattern: string, catalog: PermissionCatalog): AccessLevel {
  if (pattern === '*') return AccessLevel.Admin;
  const [service, action] = pattern.split(':', 2);
  if (!service || action === undefined) return AccessLevel.Unknown;
  if (SESSION_ACTIONS.has(pattern.toLowerCase())) return AccessLevel.Read;
  // Get/List/Describe… read, even where AWS files one under Write or Permissions management
  // (billing:GetResourcePolicy), and a verb wildcard (`Get*`) is written to mean reading.
  if (READ_VERB.test(action)) return AccessLevel.Read;
  const svc = service.toLowerCase();
  // Linear, never a RegExp: the pattern is the attacker's to write (see wildcard.ts).
  const matched = catalog.actionsOf(svc)?.filter((a) => matchesWildcard(action, a.name, { ignoreCase: true })) ?? [];
  if (matched.length === 0) return AccessLevel.Unknown;
  return matched.reduce<AccessLevel>((acc, a) => strongest(acc, levelOf(svc, a.level)), AccessLevel.None);
}

/**
 * A short resource name from an ARN: the bucket of an S3 ARN (`arn:aws:s3:::prod-data/*` →
 * `prod-data`), otherwise the name after the resource type (`table/orders` → `orders`).
 */
export function resourceName(arn: string): string | undefined {
  if (arn === '*') return undefined;
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return arn;
  const resource = parts.slice(5).join(':');
  const segments = resource.split(/[/:]/);
  const name = parts[2] === 's3' || segments.length === 1 ? segments[0] : segments[1];
  return name === undefined || name === '' || name === '*' ? resource : name;
}

/** Unconditional Deny of everything: nothing else in the policy set matters. */
function deniesEverything(s: PolicyStatement): boolean {
  return (
    s.Effect === 'Deny' &&
    s.Condition === undefined &&
    asList(s.Action).includes('*') &&
    asList(s.Resource).includes('*')
  );
}

function statementReach(s: PolicyStatement, catalog: PermissionCatalog): Reach {
  if (s.Effect !== 'Allow') return NO_REACH;
  const resources = asList(s.Resource);
  const onEverything = resources.includes('*') || s.NotResource !== undefined;
  // Allow + NotAction grants every action but the listed ones: broad by construction.
  const patterns = s.NotAction !== undefined ? ['*'] : asList(s.Action);
  let reach: Reach = NO_REACH;
  for (const pattern of patterns) {
    let level = actionLevel(pattern, catalog);
    // `*` on specific resources only is strong write, not account admin.
    if (level === AccessLevel.Admin && !onEverything) level = AccessLevel.Write;
    const service = pattern === '*' ? '*' : (pattern.split(':')[0] ?? '').toLowerCase();
    const names = resources.map(resourceName).filter((n): n is string => n !== undefined);
    reach = merge(reach, { level, services: [service], resources: onEverything ? [] : names });
  }
  return reach;
}

function merge(a: Reach, b: Reach): Reach {
  if (a.level !== b.level) return strongest(a.level, b.level) === a.level ? a : b;
  const union = (x: readonly string[], y: readonly string[]) => [...new Set([...x, ...y])];
  // An empty resource list means "all resources" and absorbs named ones.
  const allResources = (a.resources.length === 0 && a.level !== AccessLevel.None) || b.resources.length === 0;
  return {
    level: a.level,
    services: union(a.services, b.services),
    resources: allResources ? [] : union(a.resources, b.resources),
  };
}

/** What a set of documents allows together. */
export function reachOf(documents: readonly PolicyDocument[], catalog: PermissionCatalog): Reach {
  const statements = documents.flatMap((d) => asList<PolicyStatement>(d.Statement));
  if (statements.some(deniesEverything)) return NO_REACH;
  return statements.map((s) => statementReach(s, catalog)).reduce(merge, NO_REACH);
}

function list(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} +${items.length - max} more` : shown;
}

/** One line for people: "admin", "write to s3 on prod-data", "read-only". */
export function describeReach(reach: Reach): string {
  const on = reach.resources.length > 0 ? ` on ${list(reach.resources, 2)}` : '';
  switch (reach.level) {
    case AccessLevel.Admin:
      return 'admin';
    case AccessLevel.Permissions:
      return `can change IAM permissions${on} (can make itself admin)`;
    case AccessLevel.Write:
      return `write to ${list(reach.services, 3)}${on}`;
    case AccessLevel.Read:
      return 'read-only';
    case AccessLevel.Unknown:
      return 'unknown (policies could not be read)';
    case AccessLevel.None:
      return 'no permissions';
  }
}
