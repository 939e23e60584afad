import type { PolicyDocument } from '../domain/assessment/policy-document.js';
import type { PermissionCatalog } from '../domain/assessment/policy-summary.js';

/** Builds an action catalogue covering the given documents. */
export type PermissionCatalogLoader = (documents: readonly PolicyDocument[]) => Promise<PermissionCatalog>;
