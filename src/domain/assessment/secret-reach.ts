/**
 * Whether a key's policies let it read secret values: `secretsmanager:GetSecretValue` (or its
 * batch form) or `kms:Decrypt`. Such a key must not stay active while a replacement is made,
 * since it could read the replacement. Pure; wildcards are matched in linear time, never
 * through a RegExp built from policy text. Conditions and resources are not narrowed on:
 * a grant on some secrets or keys counts (erring towards disabling first).
 */
import { matchesWildcard } from '../wildcard.js';
import type { PolicyDocument, PolicyStatement } from './policy-document.js';

/** The calls that read a secret's value, directly or by decrypting it. */
export const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue', 'kms:Decrypt'] as const;

const asList = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

function allows(s: PolicyStatement, action: string): boolean {
  if (s.Effect !== 'Allow') return false;
  if (s.NotAction !== undefined) return !asList(s.NotAction).some((p) => matchesWildcard(p, action, { ignoreCase: true }));
  return asList(s.Action).some((p) => matchesWildcard(p, action, { ignoreCase: true }));
}

/** The secret-reading actions that some Allow statement of `documents` grants. */
export function secretReadsIn(documents: readonly PolicyDocument[]): string[] {
  const statements = documents.flatMap((d) => (Array.isArray(d.Statement) ? d.Statement : [d.Statement]) as PolicyStatement[]);
  return SECRET_READ_ACTIONS.filter((action) => statements.some((s) => allows(s, action)));
}
