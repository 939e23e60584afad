import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../src/domain/action/kinds.js';
import { ActionStatus, OutcomeResult, PROPOSAL_TTL_MS } from '../../../src/domain/action/lifecycle.js';
import { TimelineEventType } from '../../../src/domain/incident/incident.js';
import {
  APPROVER, assessedIncident, decide, eventsOfType, keyStatus, NON_APPROVER, propose, proposed, SECOND_APPROVER, storedAction, world,
} from './support.js';

describe('approving a proposal', () => {
  it('runs a reversible action on one approval and records approval, execution and result', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);

    const outcome = await decide(w, incident, action.id, APPROVER);

    expect(outcome).toMatchObject({ kind: 'executed', action: { status: ActionStatus.Succeeded, outcome: { result: OutcomeResult.Done } } });
    expect(keyStatus(w, incident.keyId)).toBe('Inactive');
    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Succeeded, approvals: [{ userId: APPROVER }] });
    for (const type of [TimelineEventType.ActionApproved, TimelineEventType.ActionExecuting, TimelineEventType.ActionSucceeded]) {
      expect(await eventsOfType(w, incident.id, type)).toHaveLength(1);
    }
    expect(await w.actions.listExecuting()).toEqual([]);
  });

  it('needs two distinct approvers to re-enable the exposed key: it re-opens the door', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    await decide(w, incident, (await proposed(w, incident, ActionKind.DisableKey)).id, APPROVER);
    const reEnable = await proposed(w, incident, ActionKind.EnableKey);

    expect(await decide(w, incident, reEnable.id, APPROVER)).toMatchObject({ kind: 'counted', action: { approvalsRequired: 2 } });
    expect(keyStatus(w, incident.keyId)).toBe('Inactive');
    expect(await decide(w, incident, reEnable.id, SECOND_APPROVER)).toMatchObject({ kind: 'executed', action: { status: ActionStatus.Succeeded } });
    expect(keyStatus(w, incident.keyId)).toBe('Active');
  });

  it('needs two distinct approvers for a destructive action: the first approval is only counted', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DeleteKey);

    const first = await decide(w, incident, action.id, APPROVER);
    expect(first).toMatchObject({ kind: 'counted', action: { status: ActionStatus.Proposed } });
    expect(keyStatus(w, incident.keyId)).toBe('Active');

    const second = await decide(w, incident, action.id, SECOND_APPROVER);
    expect(second).toMatchObject({ kind: 'executed', action: { status: ActionStatus.Succeeded } });
    expect(keyStatus(w, incident.keyId)).toBeUndefined();
    expect((await storedAction(w, action)).approvals.map((a) => a.userId)).toEqual([APPROVER, SECOND_APPROVER]);
    expect(await eventsOfType(w, incident.id, TimelineEventType.ActionApprovalCounted)).toHaveLength(1);
  });

  it('counts the same person approving twice once, and leaves the destructive action pending', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DeleteKey);
    await decide(w, incident, action.id, APPROVER);

    const again = await decide(w, incident, action.id, APPROVER);

    expect(again).toMatchObject({ kind: 'unchanged', refusal: 'already-approved' });
    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Proposed, approvals: [{ userId: APPROVER }] });
    expect(w.iam.writes).toEqual([]);
  });

  it('refuses a non-approver, records the refusal and changes nothing', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);

    for (const decision of ['approve', 'deny'] as const) {
      expect(await decide(w, incident, action.id, NON_APPROVER, decision)).toMatchObject({ kind: 'refused' });
    }

    const refusals = await eventsOfType(w, incident.id, TimelineEventType.ActionRefused);
    expect(refusals.map((e) => [e.actor, e.details.decision])).toEqual([[NON_APPROVER, 'approve'], [NON_APPROVER, 'deny']]);
    expect(await storedAction(w, action)).toEqual(action);
    expect(w.iam.writes).toEqual([]);
  });

  it('lets a member of the approver group decide', async () => {
    const w = world();
    w.approvers.current = { anyone: false, userIds: [], groupMembers: [NON_APPROVER], usergroupId: 'S0APPROVERS' };
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);

    expect(await decide(w, incident, action.id, NON_APPROVER)).toMatchObject({ kind: 'executed' });
  });

  it('expires a proposal approved after 24 hours, releases its place and touches no IAM', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);
    w.clock.advance(PROPOSAL_TTL_MS);

    const outcome = await decide(w, incident, action.id, APPROVER);

    expect(outcome).toMatchObject({ kind: 'expired', action: { status: ActionStatus.Expired } });
    expect(await eventsOfType(w, incident.id, TimelineEventType.ActionExpired)).toHaveLength(1);
    expect(w.iam.writes).toEqual([]);
    expect(await propose(w, incident.id, ActionKind.DisableKey)).toMatchObject({ kind: 'proposed' });
  });

  it('records a denial, leaves IAM untouched, and refuses a later approval', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);

    expect(await decide(w, incident, action.id, APPROVER, 'deny')).toMatchObject({ kind: 'denied', action: { deniedBy: APPROVER } });
    expect(await decide(w, incident, action.id, SECOND_APPROVER)).toMatchObject({ kind: 'unchanged', refusal: 'not-pending' });

    expect(keyStatus(w, incident.keyId)).toBe('Active');
    expect(await eventsOfType(w, incident.id, TimelineEventType.ActionDenied)).toHaveLength(1);
    expect(await propose(w, incident.id, ActionKind.DisableKey)).toMatchObject({ kind: 'proposed' });
  });

  it('answers not-found for an action the incident does not have', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    expect(await decide(w, incident, '01JNOSUCHACTION', APPROVER)).toEqual({ kind: 'not-found' });
  });
});

describe('deny racing approve', () => {
  it('lets exactly one decision win; the loser reads the winner\'s result as unchanged', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);
    const approveHeld = w.actions.faults.hold('transition');

    const approving = decide(w, incident, action.id, APPROVER, 'approve');
    await approveHeld.reached;
    const denying = decide(w, incident, action.id, SECOND_APPROVER, 'deny');
    const denied = await denying;
    approveHeld.release();
    const approved = await approving;

    expect(denied).toMatchObject({ kind: 'denied' });
    expect(approved).toMatchObject({ kind: 'unchanged', refusal: 'not-pending', action: { status: ActionStatus.Denied } });
    expect(keyStatus(w, incident.keyId)).toBe('Active');
    expect(w.iam.writes).toEqual([]);
    expect(await eventsOfType(w, incident.id, TimelineEventType.ActionApproved)).toEqual([]);
  });

  it('lets an approval that wrote first run once, and the late denial changes nothing', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);
    const denyHeld = w.actions.faults.hold('transition');

    const denying = decide(w, incident, action.id, SECOND_APPROVER, 'deny');
    await denyHeld.reached;
    const approved = await decide(w, incident, action.id, APPROVER, 'approve');
    denyHeld.release();

    expect(approved).toMatchObject({ kind: 'executed' });
    expect(await denying).toMatchObject({ kind: 'unchanged', refusal: 'not-pending' });
    expect(w.iam.faults.count('setAccessKeyStatus')).toBe(1);
    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Succeeded });
  });
});
