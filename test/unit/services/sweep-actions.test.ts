import { describe, expect, it } from 'vitest';
import { ActionKind, actionSubject } from '../../../src/domain/action/kinds.js';
import { type Action, ActionStatus, approve, OutcomeResult, PROPOSAL_TTL_MS } from '../../../src/domain/action/lifecycle.js';
import { withAttempt } from '../../../src/domain/action/attempt.js';
import { AwsError } from '../../../src/domain/errors.js';
import { type Incident, TimelineEventType } from '../../../src/domain/incident/incident.js';
import { MEMORY_LEASE_MS } from '../../fakes/memory/index.js';
import { replacementSecretName } from '../../../src/services/actions/replacement-key.js';
import {
  APPROVER, assessedIncident, decide, eventsOfType, keyStatus, type MemoryWorld, OWNER, proposed, storedAction, sweep, world,
} from './support.js';

/** An approved action whose process died after recording the intent (status executing, attempt 1 holding it). */
async function leftExecuting(w: MemoryWorld, incident: Incident, kind: ActionKind): Promise<Action> {
  const action = await proposed(w, incident, kind);
  const now = w.clock.now();
  const t = approve(action, APPROVER, now);
  return w.actions.transition(action, withAttempt(t.action, 'attempt-of-the-dead', now, MEMORY_LEASE_MS), actionSubject(action.kind, action.target), []);
}

describe('sweeping actions whose attempt died', () => {
  it('records a change found in place as done, without making it again', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.DisableKey);
    w.iam.findKey(incident.keyId)!.key.status = 'Inactive';
    w.clock.advance(MEMORY_LEASE_MS + 1);

    expect(await sweep(w)).toBe(1);

    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Succeeded, outcome: { result: OutcomeResult.Done } });
    expect(w.iam.faults.count('setAccessKeyStatus')).toBe(0);
    expect((await eventsOfType(w, incident.id, TimelineEventType.ActionReconciled)).map((e) => e.details.inPlace)).toEqual([true]);
    expect(await eventsOfType(w, incident.id, TimelineEventType.ActionTakenOver)).toHaveLength(1);
    expect(await w.actions.listExecuting()).toEqual([]);
  });

  it('carries out a change that never happened, once, as soon as the lease ran out (not minutes later)', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);
    // The process dies inside the IAM call: not an AWS answer, so nothing records an outcome.
    w.iam.faults.fail('setAccessKeyStatus', new Error('process killed'));
    await expect(decide(w, incident, action.id, APPROVER)).rejects.toThrow('process killed');
    expect(await w.actions.listExecuting()).toEqual([{ incidentId: incident.id, actionId: action.id }]);
    w.clock.advance(MEMORY_LEASE_MS + 1);

    expect(await sweep(w)).toBe(1);

    expect(keyStatus(w, incident.keyId)).toBe('Inactive');
    expect(w.iam.faults.count('setAccessKeyStatus')).toBe(2);
    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Succeeded, attempt: { number: 2 } });
    expect((await eventsOfType(w, incident.id, TimelineEventType.ActionReconciled)).map((e) => e.details.inPlace)).toEqual([false]);
  });

  it('leaves alone an action whose attempt still holds its lease', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.DisableKey);
    w.clock.advance(MEMORY_LEASE_MS - 1);

    expect(await sweep(w)).toBe(0);

    expect(await storedAction(w, action)).toEqual(action);
  });

  it('reports an action interrupted past its proposal\'s expiry as Interrupted, without acting', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.DisableKey);
    w.clock.advance(PROPOSAL_TTL_MS + 1);

    await sweep(w);

    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Failed, outcome: { code: 'Interrupted' } });
    expect(w.iam.writes).toEqual([]);
    expect(keyStatus(w, incident.keyId)).toBe('Active');
  });

  it('fails an action as Interrupted when IAM cannot say whether it is in place', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.DisableKey);
    w.clock.advance(MEMORY_LEASE_MS + 1);
    w.iam.faults.fail('listAccessKeys', new AwsError('Throttling', 'Rate exceeded', 'iam', 'ListAccessKeys'));

    await sweep(w);

    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Failed, outcome: { code: 'Interrupted' } });
    expect((await eventsOfType(w, incident.id, TimelineEventType.ActionReconciled)).map((e) => e.details.inPlace)).toEqual(['unknown']);
    expect(w.iam.writes).toEqual([]);
  });

  it('lets one of two sweepers take the action over; the change is made once', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.DisableKey);
    w.clock.advance(MEMORY_LEASE_MS + 1);
    const firstClaim = w.actions.faults.hold('takeOver');

    const first = sweep(w);
    await firstClaim.reached;
    const second = await sweep(w);
    firstClaim.release();

    expect([await first, second].sort()).toEqual([0, 1]);
    expect(w.iam.faults.count('setAccessKeyStatus')).toBe(1);
    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Succeeded });
    expect(await eventsOfType(w, incident.id, TimelineEventType.ActionReconciled)).toHaveLength(1);
  });

  it('proposes deleting a replacement key whose secret was lost, naming its attempt, and deletes nothing', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await leftExecuting(w, incident, ActionKind.CreateReplacementKey);
    const orphan = w.iam.addKey(OWNER, { createdAt: w.clock.now().toISOString() });
    // The attempt recorded the key the moment IAM returned it, then died before storing the secret.
    await w.actions.fence(action, w.clock.now(), new Date(w.clock.now().getTime() + MEMORY_LEASE_MS), { newKeyId: orphan, newKeyAt: w.clock.now().toISOString() });
    w.clock.advance(MEMORY_LEASE_MS + 1);

    await sweep(w);

    expect(w.iam.writes).toEqual([]);
    expect(keyStatus(w, orphan)).toBe('Active');
    const failed = await storedAction(w, action);
    expect(failed).toMatchObject({ status: ActionStatus.Failed, outcome: { code: 'Interrupted', details: { orphanKeys: [{ keyId: orphan, attempt: 1 }] } } });
    expect(failed.outcome?.message).toContain(`${orphan} (created ${w.iam.findKey(orphan)!.key.createdAt} by attempt 1)`);
    const deletion = (await w.actions.list(incident.id)).find((a) => a.kind === ActionKind.DeleteKey);
    expect(deletion).toMatchObject({ status: ActionStatus.Proposed, approvalsRequired: 2, target: { keyId: orphan } });
  });

  it('never deletes the owner\'s own new key after a restart days later, and changes nothing in a dry run', async () => {
    for (const dryRun of [false, true]) {
      const w = world({ dryRun });
      const incident = await assessedIncident(w);
      const action = await leftExecuting(w, incident, ActionKind.CreateReplacementKey);
      // Crash between CreateAccessKey and CreateSecret, then the owner rotates by hand; the bot comes back days later.
      w.clock.advance(3 * PROPOSAL_TTL_MS);
      const handMade = w.iam.addKey(OWNER, { createdAt: w.clock.now().toISOString() });

      await sweep(w);

      expect(w.iam.writes).toEqual([]);
      expect(keyStatus(w, handMade)).toBe('Active');
      expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Failed, outcome: { code: 'Interrupted' } });
      expect(w.secrets.secrets.has(replacementSecretName(action))).toBe(false);
    }
  });
});
