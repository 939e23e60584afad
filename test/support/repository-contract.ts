/**
 * The two implementations of the repository ports the contract tests hold to the same cases:
 * the DynamoDB repositories on a DynamoDB Local table, and the in-memory fakes.
 */
import { ulid } from 'ulid';
import { DynamoActionRepository } from '../../src/adapters/dynamodb/dynamo-action-repository.js';
import { DynamoIncidentRepository } from '../../src/adapters/dynamodb/dynamo-incident-repository.js';
import { DynamoShownVersions } from '../../src/adapters/dynamodb/dynamo-shown-versions.js';
import type { ShownVersions } from '../../src/ports/shown-versions.js';
import { type Action, propose } from '../../src/domain/action/lifecycle.js';
import { ActionKind, actionSubject } from '../../src/domain/action/kinds.js';
import type { Incident, TimelineEvent } from '../../src/domain/incident/incident.js';
import type { ActionRepository } from '../../src/ports/action-repository.js';
import type { IncidentRepository } from '../../src/ports/incident-repository.js';
import { MemoryActionRepository, MemoryIncidentRepository, MemoryTable } from '../fakes/memory/index.js';
import { MemoryShownVersions } from '../fakes/memory/memory-shown-versions.js';
import { createTestTable } from './dynamodb.js';

export interface Repositories {
  readonly incidents: IncidentRepository;
  readonly actions: ActionRepository;
  readonly shown: ShownVersions;
  dispose(): Promise<void>;
}

export const REPOSITORIES: ReadonlyArray<{ name: string; make: () => Promise<Repositories> }> = [
  {
    name: 'DynamoDB',
    make: async () => {
      const table = await createTestTable('repository-contract');
      return {
        incidents: new DynamoIncidentRepository(table.client, table.tableName),
        actions: new DynamoActionRepository(table.client, table.tableName),
        shown: new DynamoShownVersions(table.client, table.tableName),
        dispose: () => table.dispose(),
      };
    },
  },
  {
    name: 'in-memory',
    make: async () => {
      const table = new MemoryTable();
      return {
        incidents: new MemoryIncidentRepository(table), actions: new MemoryActionRepository(table), shown: new MemoryShownVersions(table),
        dispose: async () => undefined,
      };
    },
  },
];

/** A fresh disable-key proposal of `incident`, with its proposed event, and its subject. */
export function aProposal(incident: Incident, at = '2025-03-01T10:01:00.000Z', kind: ActionKind = ActionKind.DisableKey): {
  action: Action; subject: string; events: TimelineEvent[];
} {
  const target = { userName: 'ci-deployer', keyId: incident.keyId };
  const { action, events } = propose({ incidentId: incident.id, id: ulid(), kind, target, proposedBy: 'U0ONCALL' }, new Date(at));
  return {
    action,
    subject: actionSubject(kind, target),
    events: events.map((d) => ({ incidentId: incident.id, id: ulid(), at, ...d })),
  };
}
