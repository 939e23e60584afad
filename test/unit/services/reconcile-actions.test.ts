import { describe, expect, it } from 'vitest';
import { ActionKind, actionSubject } from '../../../src/domain/action/kinds.js';
import { type Action, ActionStatus, approve, OutcomeResult, PROPOSAL_TTL_MS } from '../../../src/domain/action/lifecycle.js';
import { AwsError } from '../../../src/domain/errors.js';
import { type Incident, TimelineEventType } from '../../../src/domain/incident/incident.js';
import { RECONCILE_AFTER_MS } from '../../../src/services/actions/reconcile-actions.js';
import { replacementSecretName } from '../../../src/services/actions/replacement-key.js';
import {
  APPROVER, assessedIncident, decide, eventsOfType, keyStatus, type MemoryWorld, OWNER, proposed, reconcile, storedAction, world,
} from './support.js';

/** An approved action whose process died after recording the intent (status executing). */
async function leftExecuting(w: MemoryWorld, incident: Incident, kind: ActionKind): Promise<Action> {
  const action = await proposed(w, incident, kind);
  const t = approve(action, APPROVER, w.clock.now());
  return w.actions.transition(action, t.action, actionSubject(action.kind, action.target), []);
}

describe('reconciling actions a crash left executing', () => {
  it('records a change found in place as done, without making it again', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.DisableKey);
    w.iam.findKey(incident.keyId)!.key.status = 'Inactive';
    w.clock.advance(RECONCILE_AFTER_MS + 1);

    expect(await reconcile(w)).toBe(1);

    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Succeeded, outcome: { result: OutcomeResult.Done } });
    expect(w.iam.faults.count('setAccessKeyStatus')).toBe(0);
    expect((await eventsOfType(w, incident.id, TimelineEventType.ActionReconciled)).map((e) => e.details.inPlace)).toEqual([true]);
    expect(await w.actions.listExecuting()).toEqual([]);
  });

  it('carries out a change that never happened, once', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);
    // The process dies inside the IAM call: not an AWS answer, so nothing records an outcome.
    w.iam.faults.fail('setAccessKeyStatus', new Error('process killed'));
    await expect(decide(w, incident, action.id, APPROVER)).rejects.toThrow('process killed');
    expect(await w.actions.listExecuting()).toEqual([{ incidentId: incident.id, actionId: action.id }]);
    w.clock.advance(RECONCILE_AFTER_MS + 1);

    expect(await reconcile(w)).toBe(1);

    expect(keyStatus(w, incident.keyId)).toBe('Inactive');
    expect(w.iam.faults.count('setAccessKeyStatus')).toBe(2);
    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Succeeded });
    expect((await eventsOfType(w, incident.id, TimelineEventType.ActionReconciled)).map((e) => e.details.inPlace)).toEqual([false]);
  });

  it('fails an action interrupted longer ago than a proposal lives as Interrupted, without acting', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.DisableKey);
    w.clock.advance(PROPOSAL_TTL_MS + 1);

    await reconcile(w);

    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Failed, outcome: { code: 'Interrupted' } });
    expect(w.iam.writes).toEqual([]);
    expect(keyStatus(w, incident.keyId)).toBe('Active');
  });

  it('fails an action as Interrupted when IAM cannot say whether it is in place', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.DisableKey);
    w.clock.advance(RECONCILE_AFTER_MS + 1);
    w.iam.faults.fail('listAccessKeys', new AwsError('Throttling', 'Rate exceeded', 'iam', 'ListAccessKeys'));

    await reconcile(w);

    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Failed, outcome: { code: 'Interrupted' } });
    expect((await eventsOfType(w, incident.id, TimelineEventType.ActionReconciled)).map((e) => e.details.inPlace)).toEqual(['unknown']);
    expect(w.iam.writes).toEqual([]);
  });

  it('leaves alone an action that started too recently to have been interrupted', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.DisableKey);
    w.clock.advance(RECONCILE_AFTER_MS - 1);

    expect(await reconcile(w)).toBe(0);

    expect(await storedAction(w, action)).toEqual(action);
  });

  it('lets one of two reconcilers starting together take the action over; the change is made once', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.DisableKey);
    w.clock.advance(RECONCILE_AFTER_MS + 1);
    const firstClaim = w.actions.faults.hold('transition');

    const first = reconcile(w);
    await firstClaim.reached;
    const second = await reconcile(w);
    firstClaim.release();

    expect([await first, second].sort()).toEqual([0, 1]);
    expect(w.iam.faults.count('setAccessKeyStatus')).toBe(1);
    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Succeeded });
    expect(await eventsOfType(w, incident.id, TimelineEventType.ActionReconciled)).toHaveLength(1);
  });

  it('deletes a replacement key whose secret was lost, then makes one key with its secret', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.CreateReplacementKey);
    const orphan = w.iam.addKey(OWNER, { createdAt: w.clock.now().toISOString() });
    w.clock.advance(RECONCILE_AFTER_MS + 1);

    await reconcile(w);

    const done = await storedAction(w, action);
    const newKeyId = done.outcome?.details?.newKeyId;
    expect(done.status).toBe(ActionStatus.Succeeded);
    expect(keyStatus(w, orphan)).toBeUndefined();
    expect(w.iam.users.get(OWNER)!.keys.map((k) => k.keyId)).toEqual([incident.keyId, newKeyId]);
    expect(w.secrets.secrets.get(replacementSecretName(action))?.keyId).toBe(newKeyId);
  });
});
