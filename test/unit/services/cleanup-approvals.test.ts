import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../src/domain/action/kinds.js';
import { type Action, PROPOSAL_TTL_MS } from '../../../src/domain/action/lifecycle.js';
import { at, iam, iamUser, T0 } from '../domain/review/records.js';
import {
  APPROVER, assessedIncident, decide, followUp, type MemoryWorld, OWNER, review, SECOND_APPROVER, world,
} from './support.js';

const ACCOUNT = '111122223333';
const S3_FULL = 'arn:aws:iam::aws:policy/AmazonS3FullAccess';
const EXFIL = `arn:aws:iam::${ACCOUNT}:policy/exfil`;

/** A world whose clock stands an hour after the records' time. */
function reviewWorld(): MemoryWorld {
  const w = world();
  w.clock.set(new Date(Date.parse(T0) + 60 * 60 * 1000));
  return w;
}

/** Reviews an incident whose key made `calls` (IAM event name, request, response), in order. */
async function reviewed(w: MemoryWorld, calls: ReadonlyArray<[string, Record<string, unknown>, (Record<string, unknown> | null)?, { errorCode?: string }?]>) {
  const incident = await assessedIncident(w);
  w.trail.add(...calls.map(([name, request, response, extra], i) => iam(name, request, response ?? null, { userIdentity: iamUser(OWNER, incident.keyId), eventTime: at(60 + i), ...extra })));
  await review(w, incident.id);
  return incident;
}

const detachOf = async (w: MemoryWorld, incidentId: string, kind: ActionKind): Promise<Action> => {
  const found = (await w.actions.list(incidentId)).find((a) => a.kind === kind);
  if (!found) throw new Error(`no ${kind} proposed`);
  return found;
};

describe('cleanups that remove a policy attachment', () => {
  it('asks two approvers to detach an attachment that may predate the incident, and detaches only on the second', async () => {
    const w = reviewWorld();
    w.iam.addRole('prod-app', { attached: [S3_FULL] });
    // AttachRolePolicy succeeds on a pair already attached: the key's call proves nothing.
    const incident = await reviewed(w, [['AttachRolePolicy', { roleName: 'prod-app', policyArn: S3_FULL }]]);

    const detach = await detachOf(w, incident.id, ActionKind.DetachRolePolicy);
    expect(detach).toMatchObject({ approvalsRequired: 2, attachment: { known: 'age-unknown' } });
    expect(await decide(w, incident, detach.id, APPROVER)).toMatchObject({ kind: 'counted' });
    expect(w.iam.roles.get('prod-app')!.attached).toEqual([S3_FULL]);
    expect(await decide(w, incident, detach.id, APPROVER)).toMatchObject({ kind: 'unchanged', refusal: 'already-approved' });
    expect(await decide(w, incident, detach.id, SECOND_APPROVER)).toMatchObject({ kind: 'executed', action: { status: 'succeeded' } });
    expect(w.iam.roles.get('prod-app')!.attached).toEqual([]);
  });

  it('does not take the key detaching the pair first as evidence: it was attached before the key touched it', async () => {
    const w = reviewWorld();
    w.iam.addRole('prod-app', { attached: [S3_FULL] });
    const incident = await reviewed(w, [
      ['DetachRolePolicy', { roleName: 'prod-app', policyArn: S3_FULL }],
      ['AttachRolePolicy', { roleName: 'prod-app', policyArn: S3_FULL }],
    ]);
    expect(await detachOf(w, incident.id, ActionKind.DetachRolePolicy)).toMatchObject({ approvalsRequired: 2 });
  });

  it('asks one approver when the key created the role itself', async () => {
    const w = reviewWorld();
    w.iam.addRole('evil', { attached: [S3_FULL] });
    const incident = await reviewed(w, [
      ['CreateRole', { roleName: 'evil' }, { role: { roleName: 'evil', arn: `arn:aws:iam::${ACCOUNT}:role/evil` } }],
      ['AttachRolePolicy', { roleName: 'evil', policyArn: S3_FULL }],
    ]);

    const detach = await detachOf(w, incident.id, ActionKind.DetachRolePolicy);
    expect(detach).toMatchObject({ approvalsRequired: 1, attachment: { known: 'created-by-key', entity: 'role', name: 'evil' } });
    expect(await decide(w, incident, detach.id, APPROVER)).toMatchObject({ kind: 'executed', action: { status: 'succeeded' } });
    expect(w.iam.roles.get('evil')!.attached).toEqual([]);
  });

  it('asks one approver when the key created the customer managed policy, even on a user it did not create', async () => {
    const w = reviewWorld();
    w.iam.addUser('ops', { attached: [EXFIL] });
    const incident = await reviewed(w, [
      ['CreatePolicy', { policyName: 'exfil' }, { policy: { policyName: 'exfil', arn: EXFIL } }],
      ['AttachUserPolicy', { userName: 'ops', policyArn: EXFIL }],
    ]);
    expect(await detachOf(w, incident.id, ActionKind.DetachUserPolicy)).toMatchObject({ approvalsRequired: 1, attachment: { entity: 'policy', name: EXFIL } });
  });

  it('asks two approvers to detach from a user that existed before, whose creation the key only attempted', async () => {
    const w = reviewWorld();
    w.iam.addUser('ops', { attached: [S3_FULL] });
    const incident = await reviewed(w, [
      ['CreateUser', { userName: 'ops' }, null, { errorCode: 'EntityAlreadyExists' }],
      ['AttachUserPolicy', { userName: 'ops', policyArn: S3_FULL }],
    ]);
    expect(await detachOf(w, incident.id, ActionKind.DetachUserPolicy)).toMatchObject({ approvalsRequired: 2 });
  });

  it('keeps two approvers when the proposal is made again after it expired', async () => {
    const w = reviewWorld();
    w.iam.addRole('prod-app', { attached: [S3_FULL] });
    const incident = await reviewed(w, [['AttachRolePolicy', { roleName: 'prod-app', policyArn: S3_FULL }]]);
    const detach = await detachOf(w, incident.id, ActionKind.DetachRolePolicy);
    w.clock.advance(PROPOSAL_TTL_MS + 1);
    expect(await decide(w, incident, detach.id, APPROVER)).toMatchObject({ kind: 'expired' });

    const again = await followUp(w, { incidentId: incident.id, actionId: detach.id, mode: 'again' });
    expect(again).toMatchObject({ kind: 'proposed', action: { kind: ActionKind.DetachRolePolicy, approvalsRequired: 2, attachment: { known: 'age-unknown' } } });
  });
});
