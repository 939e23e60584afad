/**
 * The ways an approved action used to reach IAM wrongly (issue 11), each on the in-memory
 * fakes with holds instead of waits: a stale attempt waking after a newer decision, containment
 * waiting on Slack, a record lost after the IAM change, a CreateAccessKey answer lost, and an
 * older render of a proposal landing after a newer one.
 */
import { describe, expect, it } from 'vitest';
import { ActionKind, actionSubject } from '../../../src/domain/action/kinds.js';
import { ActionStatus, OutcomeResult } from '../../../src/domain/action/lifecycle.js';
import { AwsError, StaleActionError } from '../../../src/domain/errors.js';
import { TimelineEventType } from '../../../src/domain/incident/incident.js';
import { MEMORY_LEASE_MS } from '../../fakes/memory/index.js';
import {
  APPROVER, assessedIncident, decide, decideOnly, disableHeldInIam, eventsOfType, keyStatus, OWNER, proposed, SECOND_APPROVER, storedAction, sweep, world,
} from './support.js';

const statusCalls = (w: ReturnType<typeof world>) => w.iam.faults.argsOf('setAccessKeyStatus').map((args) => args[2]);

/** A re-enable of the disabled key, approved, its attempt stalled right before its first fence. */
async function stalledReEnable() {
  const w = world();
  const incident = await assessedIncident(w);
  w.iam.findKey(incident.keyId)!.key.status = 'Inactive';
  const reEnable = await proposed(w, incident, ActionKind.EnableKey);
  await decide(w, incident, reEnable.id, SECOND_APPROVER);
  const stalled = w.actions.faults.hold('fence');
  const first = decideOnly(w, incident, reEnable.id, APPROVER);
  await stalled.reached;
  return { w, incident, reEnable, stalled, first };
}

describe('an attempt for an older decision', () => {
  it('stops without calling IAM when it wakes after another attempt took over and a newer decision ran', async () => {
    const { w, incident, reEnable, stalled, first } = await stalledReEnable();
    // Its lease runs out; another replica's sweeper carries the re-enable out.
    w.clock.advance(MEMORY_LEASE_MS + 1);
    expect(await sweep(w)).toBe(1);
    expect(keyStatus(w, incident.keyId)).toBe('Active');
    // Responders then disable the key again.
    const disable = await proposed(w, incident, ActionKind.DisableKey);
    await decide(w, incident, disable.id, APPROVER);

    stalled.release();
    await first;
    await w.deps.background.idle();

    expect(keyStatus(w, incident.keyId)).toBe('Inactive');
    expect(statusCalls(w)).toEqual(['Active', 'Inactive']);
    expect(await storedAction(w, reEnable)).toMatchObject({ status: ActionStatus.Succeeded, attempt: { number: 2 } });
  });

  it('is recorded as superseded, without calling IAM, when a newer decision on the key was approved while it stalled', async () => {
    const { w, incident, stalled, first } = await stalledReEnable();
    const disable = await proposed(w, incident, ActionKind.DisableKey);
    await decide(w, incident, disable.id, APPROVER);

    stalled.release();
    const outcome = await first;
    await w.deps.background.idle();

    expect(outcome).toMatchObject({ kind: 'executed', action: { status: ActionStatus.Failed, outcome: { code: 'Superseded' } } });
    expect(keyStatus(w, incident.keyId)).toBe('Inactive');
    expect(statusCalls(w)).toEqual([]);
  });

  it('does not stop actions on the same user that are not each other\'s undo', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const revoke = await proposed(w, incident, ActionKind.RevokeSessions);
    const stalled = w.actions.faults.hold('fence');
    const first = decideOnly(w, incident, revoke.id, APPROVER);
    await stalled.reached;
    const quarantine = await proposed(w, incident, ActionKind.AttachQuarantine);
    await decide(w, incident, quarantine.id, APPROVER);

    stalled.release();
    expect(await first).toMatchObject({ action: { status: ActionStatus.Succeeded } });
    expect(w.iam.faults.count('putUserPolicy')).toBe(1);
  });
});

describe('IAM first, Slack after', () => {
  it('disables the key while every Slack update is held, and answers before Slack does', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);
    const proposalHeld = w.notifier.faults.hold('updateProposal');

    const outcome = await decideOnly(w, incident, action.id, APPROVER);

    expect(outcome).toMatchObject({ kind: 'executed', action: { status: ActionStatus.Succeeded } });
    expect(keyStatus(w, incident.keyId)).toBe('Inactive');
    await proposalHeld.reached;
    proposalHeld.release();
    await w.deps.background.idle();
    expect(w.notifier.of('updateProposal').at(-1)?.action?.status).toBe(ActionStatus.Succeeded);
  });

  it('never lets an older render of a proposal stay on top of a newer one', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DeleteKey);
    const olderSend = w.notifier.faults.hold('updateProposal');
    await decideOnly(w, incident, action.id, APPROVER);
    await olderSend.reached;
    await decideOnly(w, incident, action.id, SECOND_APPROVER);

    olderSend.release();
    await w.deps.background.idle();

    const shown = w.notifier.of('updateProposal').map((n) => n.action?.status);
    expect(shown).toContain(ActionStatus.Proposed);
    expect(shown.at(-1)).toBe(ActionStatus.Succeeded);
  });
});

describe('after the IAM change', () => {
  it('keeps trying the record in the background when its write fails, and never throws at the clicker', async () => {
    const { w, incident, action, inIam, deciding } = await disableHeldInIam();
    w.actions.faults.fail('transition', Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }), 2);
    inIam.release();

    const outcome = await deciding;
    expect(outcome).toMatchObject({ kind: 'executed', action: { status: ActionStatus.Executing, outcome: { result: OutcomeResult.Done } } });
    await w.deps.background.idle();

    expect(keyStatus(w, incident.keyId)).toBe('Inactive');
    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Succeeded, outcome: { result: OutcomeResult.Done } });
    expect(await eventsOfType(w, incident.id, TimelineEventType.ActionSucceeded)).toHaveLength(1);
    expect(w.iam.faults.count('setAccessKeyStatus')).toBe(1);
  });

  it('writes the record again at once when it met a transaction conflict, instead of leaving it to a sweep as another writer\'s', async () => {
    const { w, incident, action, inIam, deciding } = await disableHeldInIam();
    // DynamoDB cancels a transaction on an item another transaction is writing: the repository reports it as stale.
    w.actions.faults.fail('transition', new StaleActionError(incident.id, action.id));
    const writes = w.actions.faults.count('transition');
    inIam.release();

    expect(await deciding).toMatchObject({ kind: 'executed', action: { status: ActionStatus.Succeeded, outcome: { result: OutcomeResult.Done } } });
    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Succeeded, attempt: { number: 1 }, outcome: { message: `Key ${incident.keyId} disabled.` } });
    expect(await eventsOfType(w, incident.id, TimelineEventType.ActionSucceeded)).toHaveLength(1);
    expect(w.actions.faults.count('transition') - writes).toBe(2);
  });

  it('records the outcome over a change made beside the attempt meanwhile (its message\'s ts, stored late)', async () => {
    const { w, incident, action, inIam, deciding } = await disableHeldInIam();
    const executing = await storedAction(w, action);
    await w.actions.transition(executing, { ...executing, messageTs: '1740823200.999999' }, actionSubject(action.kind, action.target), []);
    inIam.release();

    expect(await deciding).toMatchObject({ kind: 'executed', action: { status: ActionStatus.Succeeded, messageTs: '1740823200.999999' } });
    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Succeeded, attempt: { number: 1 }, outcome: { message: `Key ${incident.keyId} disabled.` } });
  });

  it('sends CreateAccessKey once and, when its answer is lost, finds the key in IAM and proposes deleting it', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.CreateReplacementKey);
    const create = w.iam.createAccessKey.bind(w.iam);
    w.iam.createAccessKey = async (userName) => {
      await create(userName);
      throw new AwsError('RequestTimeout', 'socket hang up', 'iam', 'CreateAccessKey', undefined, true);
    };

    const outcome = await decide(w, incident, action.id, APPROVER);

    expect(w.iam.faults.count('createAccessKey')).toBe(1);
    const made = w.iam.users.get(OWNER)!.keys.find((k) => k.keyId !== incident.keyId)!;
    expect(outcome).toMatchObject({ action: { status: ActionStatus.Failed, outcome: { code: 'AnswerLost', details: { orphanKeys: [{ keyId: made.keyId, attempt: 1 }] } } } });
    expect(w.iam.faults.count('deleteAccessKey')).toBe(0);
    const deletion = (await w.actions.list(incident.id)).find((a) => a.kind === ActionKind.DeleteKey);
    expect(deletion).toMatchObject({ status: ActionStatus.Proposed, approvalsRequired: 2, target: { keyId: made.keyId } });
  });

  it('sends CreateAccessKey again only after IAM throttled it, which IAM does before making anything', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.CreateReplacementKey);
    w.iam.faults.fail('createAccessKey', new AwsError('Throttling', 'Rate exceeded', 'iam', 'CreateAccessKey', 'req-throttled', true));

    const outcome = await decide(w, incident, action.id, APPROVER);

    expect(outcome).toMatchObject({ action: { status: ActionStatus.Succeeded, outcome: { result: OutcomeResult.Done } } });
    expect(w.iam.faults.count('createAccessKey')).toBe(2);
    expect(w.iam.users.get(OWNER)!.keys).toHaveLength(2);
    expect(w.actions.faults.count('fence')).toBeGreaterThanOrEqual(2);
  });

  it('records the new key\'s id on the attempt the moment IAM returns it', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.CreateReplacementKey);
    const storing = w.secrets.faults.hold('storeAccessKey');
    const deciding = decideOnly(w, incident, action.id, APPROVER);
    await storing.reached;

    const made = w.iam.users.get(OWNER)!.keys.find((k) => k.keyId !== incident.keyId)!;
    expect((await storedAction(w, action)).attempt).toMatchObject({ number: 1, newKeyId: made.keyId });
    storing.release();
    expect(await deciding).toMatchObject({ action: { status: ActionStatus.Succeeded, outcome: { details: { newKeyId: made.keyId } } } });
  });
});
