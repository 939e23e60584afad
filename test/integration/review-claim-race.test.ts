/**
 * Two reviewers, each with its own services as two replicas have, on one DynamoDB Local
 * table and the real clock: one claim at a time, a live review renews its claim so the other
 * never runs beside it, and once the first stops renewing (its process died) the other takes
 * over after the claim lapses, while the first, woken later, records nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentRepository } from '../../src/adapters/dynamodb/dynamo-incident-repository.js';
import { systemIds } from '../../src/adapters/system-ids.js';
import { TimelineEventType } from '../../src/domain/incident/incident.js';
import { claimReview, runReview } from '../../src/services/review/review-incident.js';
import { memoryDeps } from '../fakes/memory/index.js';
import { createTestTable, type TestTable } from '../support/dynamodb.js';
import { anEvent, anIncident } from '../support/incident-builders.js';

/** Renewed every 500 ms: a reviewer would have to stall for a second to lose it. */
const LEASE_MS = 1_500;

let table: TestTable;
let repo: DynamoIncidentRepository;

beforeAll(async () => {
  table = await createTestTable('review-claim');
  repo = new DynamoIncidentRepository(table.client, table.tableName);
});
afterAll(() => table?.dispose());

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One replica's services: its own DynamoDB client, CloudTrail fake and ids on the shared table, the real clock. */
function reviewer() {
  const stopping = { stopped: false };
  const own = new DynamoIncidentRepository(table.connect(), table.tableName);
  const w = memoryDeps({ repo: own, clock: { now: () => new Date() }, ids: systemIds() });
  const deps = { ...w.deps, review: { ...w.deps.review, regions: ['eu-west-1'], leaseMs: LEASE_MS }, execution: { ...w.deps.execution, stopping } };
  return { w, deps, stopping, claim: (id: string) => claimReview(deps, id, 'U0ONCALL') };
}

async function storedIncident() {
  const incident = anIncident();
  await repo.create(incident, anEvent(incident));
  return incident;
}

describe('two reviewers and one claim', () => {
  it('give the claim to exactly one of them when they ask at the same moment', async () => {
    const [a, b] = [reviewer(), reviewer()];
    for (let round = 0; round < 3; round++) {
      const incident = await storedIncident();

      const kinds = (await Promise.all([a.claim(incident.id), b.claim(incident.id)])).map((c) => c.kind).sort();

      expect(kinds).toEqual(['already-running', 'claimed']);
    }
  });

  it('never run side by side while the first renews, and hand over once it stops', async () => {
    const [a, b] = [reviewer(), reviewer()];
    const incident = await storedIncident();
    const held = a.w.trail.faults.hold('lookupByAccessKey');
    const first = await a.claim(incident.id);
    if (first.kind !== 'claimed') throw new Error(`first claim: ${first.kind}`);
    const running = runReview(a.deps, first);
    await held.reached;

    // Twice the lease: without renewals the claim would have lapsed.
    for (const until = Date.now() + 2 * LEASE_MS; Date.now() < until; await pause(LEASE_MS / 5)) {
      expect((await b.claim(incident.id)).kind).toBe('already-running');
    }
    const renewed = (await repo.get(incident.id))!.review!;
    expect(Date.parse(renewed.renewedAt!) - Date.parse(renewed.startedAt)).toBeGreaterThanOrEqual(LEASE_MS);

    a.stopping.stopped = true;
    let second = await b.claim(incident.id);
    while (second.kind !== 'claimed') second = await pause(LEASE_MS / 10).then(() => b.claim(incident.id));
    held.release();

    expect(await running).toMatchObject({ kind: 'superseded' });
    expect(await runReview(b.deps, second)).toMatchObject({ kind: 'done' });
    expect((await repo.get(incident.id))!.review).toMatchObject({ status: 'done', startedAt: second.incident.review!.startedAt });
    const completed = (await repo.events(incident.id)).filter((e) => e.type === TimelineEventType.ReviewCompleted);
    expect(completed).toHaveLength(1);
  });
});
