/** Turns a user's policies into the permissions finding. Pure. */
import type { PermissionFinding, PolicySource, PolicySourceKind } from './assessment.js';
import type { NamedPolicy, UserAccess } from './policy-document.js';
import { type PermissionCatalog, describeReach, reachOf, weakest } from './policy-summary.js';
import { secretReadsIn } from './secret-reach.js';

/** AWS attaches these when it finds a key exposed in public (V1, V2, V3 …). */
export const QUARANTINE_POLICY = /^AWSCompromisedKeyQuarantine/;

function source(kind: PolicySourceKind, p: NamedPolicy, catalog: PermissionCatalog, group?: string): PolicySource {
  const reach = reachOf([p.document], catalog);
  return {
    kind,
    name: p.name,
    ...(p.arn === undefined ? {} : { arn: p.arn }),
    ...(group === undefined ? {} : { group }),
    level: reach.level,
    summary: describeReach(reach),
  };
}

function identityPolicies(access: UserAccess): NamedPolicy[] {
  return [
    ...access.inline,
    ...access.attached,
    ...access.groups.flatMap((g) => [...g.inline, ...g.attached]),
  ];
}

/** The secret-reading actions the identity policies grant and the boundary (when any) lets through. */
function secretReadsOf(access: UserAccess): string[] {
  const granted = secretReadsIn(identityPolicies(access).map((p) => p.document));
  if (!access.boundary) return granted;
  const capped = secretReadsIn([access.boundary.document]);
  return granted.filter((a) => capped.includes(a));
}

/**
 * What the user may do: the union of its identity policies (its own and its groups'),
 * capped by its permissions boundary when it has one.
 */
export function assessPermissions(access: UserAccess, catalog: PermissionCatalog): PermissionFinding {
  const sources: PolicySource[] = [
    ...access.inline.map((p) => source('inline', p, catalog)),
    ...access.attached.map((p) => source('managed', p, catalog)),
    ...access.groups.flatMap((g) => [
      ...g.inline.map((p) => source('group-inline', p, catalog, g.name)),
      ...g.attached.map((p) => source('group-managed', p, catalog, g.name)),
    ]),
  ];
  const identity = reachOf(identityPolicies(access).map((p) => p.document), catalog);
  let level = identity.level;
  let summary = describeReach(identity);
  if (access.boundary) {
    sources.push(source('boundary', access.boundary, catalog));
    const cap = reachOf([access.boundary.document], catalog);
    level = weakest(identity.level, cap.level);
    // A boundary only narrows; say so when it changes the answer.
    if (level !== identity.level) summary = `${describeReach({ ...cap, level })} (capped by boundary ${access.boundary.name})`;
  }
  const secretReads = secretReadsOf(access);
  const attachedNames = [...access.attached, ...access.groups.flatMap((g) => g.attached)].map((p) => p.name);
  return {
    level,
    summary,
    quarantinePolicies: [...new Set(attachedNames.filter((n) => QUARANTINE_POLICY.test(n)))],
    ...(access.boundary?.arn === undefined ? {} : { boundaryArn: access.boundary.arn }),
    ...(secretReads.length > 0 ? { secretReads } : {}),
    sources,
  };
}
