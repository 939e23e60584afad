import { describe, expect, it } from 'vitest';
import { ACTIONS, ActionKind } from '../../../src/domain/action/kinds.js';
import { ActionStatus, PROPOSAL_TTL_MS } from '../../../src/domain/action/lifecycle.js';
import { AwsError, SlackError } from '../../../src/domain/errors.js';
import { BOT_ACTOR, TimelineEventType } from '../../../src/domain/incident/incident.js';
import { memoryKeyId } from '../../fakes/memory/index.js';
import { proposeFromMenu } from '../../../src/services/actions/propose-action.js';
import {
  APPROVER, assess, assessedIncident, decide, eventsOfType, exposedKey, followUp, openedIncident, OWNER, propose, proposeFirst, proposed,
  restart, SECOND_APPROVER, storedAction, world,
} from './support.js';

const MEMBER = '444455556666';

describe('proposing an action', () => {
  it('proposes on the incident\'s key and owner, records it and posts it', async () => {
    const w = world();
    const incident = await assessedIncident(w);

    const outcome = await propose(w, incident.id, ActionKind.DisableKey);

    expect(outcome).toMatchObject({ kind: 'proposed', action: { status: ActionStatus.Proposed, target: { userName: OWNER, keyId: incident.keyId } } });
    const action = outcome.kind === 'proposed' ? outcome.action : undefined;
    expect((await storedAction(w, action!)).messageTs).toBe(w.notifier.of('postProposal')[0]!.ts);
    expect(await eventsOfType(w, incident.id, TimelineEventType.ActionProposed)).toHaveLength(1);
  });

  it('keeps the proposal when Slack cannot post it', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    w.notifier.faults.fail('postProposal', new SlackError('not_in_channel', 'chat.postMessage'));

    const outcome = await propose(w, incident.id, ActionKind.DisableKey);

    expect(outcome.kind).toBe('proposed');
    const [stored] = await w.actions.list(incident.id);
    expect(stored).toMatchObject({ status: ActionStatus.Proposed, version: 1 });
    expect(stored?.messageTs).toBeUndefined();
  });

  it('keeps the message of a proposal approved before its ts was stored, and shows the outcome there', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    // The proposal is posted; storing its message's ts is held, and an approver clicks meanwhile.
    const remembering = w.actions.faults.hold('transition');
    const proposing = propose(w, incident.id, ActionKind.DisableKey);
    await remembering.reached;
    const [action] = await w.actions.list(incident.id);
    await decide(w, incident, action!.id, APPROVER);
    remembering.release();

    expect(await proposing).toMatchObject({ kind: 'proposed' });
    await w.deps.background.idle();
    const stored = await storedAction(w, action!);
    expect(stored).toMatchObject({ status: ActionStatus.Succeeded, messageTs: w.notifier.of('postProposal')[0]!.ts });
    expect(w.notifier.of('updateProposal').at(-1)?.action).toMatchObject({ status: ActionStatus.Succeeded, messageTs: stored.messageTs });
  });

  it('refuses to disable or delete a temporary key', async () => {
    const w = world();
    const incident = await openedIncident(w, memoryKeyId(99, 'ASIA'));

    for (const kind of [ActionKind.DisableKey, ActionKind.DeleteKey]) {
      expect(await propose(w, incident.id, kind)).toMatchObject({ kind: 'refused', reason: { code: 'temporary-key' } });
    }
    expect(await w.actions.list(incident.id)).toEqual([]);
  });

  it('refuses to act in another account the bot cannot reach', async () => {
    const w = world();
    const keyId = memoryKeyId(7);
    w.sts.keyAccounts.set(keyId, MEMBER);
    w.organizations.withAccounts({ id: MEMBER, name: 'Workloads' });
    w.accounts.refuse(MEMBER);
    const incident = await assessedIncident(w, keyId);

    expect(await propose(w, incident.id, ActionKind.DisableKey)).toMatchObject({ kind: 'refused', reason: { code: 'account-out-of-reach' } });
    expect(await w.actions.list(incident.id)).toEqual([]);
  });

  it('refuses while the key\'s account is not known, saying to assess again, and proposes nothing in the bot\'s account', async () => {
    const w = world();
    const keyId = exposedKey(w);
    // The account stage failed: the owner is still found, in the bot's own IAM.
    w.sts.faults.fail('getAccessKeyAccount', new AwsError('AccessDenied', 'not authorized to perform sts:GetAccessKeyInfo', 'sts', 'GetAccessKeyInfo'));
    const incident = await assessedIncident(w, keyId);
    expect([incident.assessment.account, incident.assessment.owner?.userName]).toEqual([undefined, OWNER]);

    expect(await propose(w, incident.id, ActionKind.DisableKey)).toEqual({ kind: 'refused', reason: { code: 'account-unknown', incidentId: incident.id } });
    await proposeFirst(w, incident);
    expect(await w.actions.list(incident.id)).toEqual([]);
    expect(w.notifier.of('postProposal')).toEqual([]);
  });

  it('names the account it acts in on every proposal, the bot\'s own included', async () => {
    const w = world();
    const own = await proposed(w, await assessedIncident(w), ActionKind.DisableKey);
    const member = w.accounts.account(MEMBER).iam;
    member.addUser('member-ci');
    const keyId = member.addKey('member-ci', { keyId: memoryKeyId(41) });
    w.sts.keyAccounts.set(keyId, MEMBER);
    w.organizations.withAccounts({ id: MEMBER, name: 'Workloads' });
    const other = await proposed(w, await assessedIncident(w, keyId), ActionKind.DisableKey);

    expect([own.accountId, other.accountId]).toEqual([w.iam.accountId, MEMBER]);
    expect((await storedAction(w, own)).accountId).toBe(w.iam.accountId);
  });

  it('has no target when the key\'s owner is not known', async () => {
    const w = world();
    const incident = await openedIncident(w);

    expect(await propose(w, incident.id, ActionKind.RevokeSessions)).toMatchObject({ kind: 'refused', reason: { code: 'owner-unknown' } });
  });

  it('answers not-found for an unknown incident', async () => {
    expect(await propose(world(), 'KI-FFFFFF', ActionKind.DisableKey)).toEqual({ kind: 'not-found' });
  });

  it('points to the pending proposal of the same action instead of making a second', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const first = await proposed(w, incident, ActionKind.DisableKey);

    const again = await propose(w, incident.id, ActionKind.DisableKey);

    expect(again).toMatchObject({ kind: 'already-pending', action: { id: first.id } });
    expect(await w.actions.list(incident.id)).toHaveLength(1);
  });

  it('retires an expired pending proposal and proposes anew', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const stale = await proposed(w, incident, ActionKind.DisableKey);
    w.clock.advance(PROPOSAL_TTL_MS);

    const fresh = await propose(w, incident.id, ActionKind.DisableKey);

    expect(fresh.kind).toBe('proposed');
    expect((await storedAction(w, stale)).status).toBe(ActionStatus.Expired);
    expect(await eventsOfType(w, incident.id, TimelineEventType.ActionExpired)).toHaveLength(1);
    expect((await w.actions.list(incident.id)).map((a) => a.status)).toEqual([ActionStatus.Expired, ActionStatus.Proposed]);
  });

  it('acts in the key\'s member account through its role', async () => {
    const w = world();
    w.organizations.withAccounts({ id: MEMBER, name: 'Workloads' });
    const member = w.accounts.account(MEMBER).iam;
    member.addUser(OWNER);
    const keyId = member.addKey(OWNER);
    w.sts.keyAccounts.set(keyId, MEMBER);
    const incident = await assessedIncident(w, keyId);
    const action = await proposed(w, incident, ActionKind.DisableKey);

    await decide(w, incident, action.id, APPROVER);

    expect(action.target.account).toBe(MEMBER);
    expect(member.findKey(keyId)?.key.status).toBe('Inactive');
    expect(w.iam.writes).toEqual([]);
  });
});

describe('follow-ups', () => {
  it('undoes a succeeded action with its reverse, linked to it', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const disable = await proposed(w, incident, ActionKind.DisableKey);
    await decide(w, incident, disable.id, APPROVER);

    const undo = await followUp(w, { incidentId: incident.id, actionId: disable.id, mode: 'undo' });

    expect(undo).toMatchObject({ kind: 'proposed', action: { kind: ActionKind.EnableKey, undoOf: disable.id, target: disable.target } });
  });

  it('follows an action up in the account it acted in, even while the assessment runs again', async () => {
    const w = world();
    w.organizations.withAccounts({ id: MEMBER, name: 'Workloads' });
    const member = w.accounts.account(MEMBER).iam;
    member.addUser('member-ci');
    const keyId = member.addKey('member-ci', { keyId: memoryKeyId(42) });
    w.sts.keyAccounts.set(keyId, MEMBER);
    const incident = await assessedIncident(w, keyId);
    const disable = await proposed(w, incident, ActionKind.DisableKey);
    await decide(w, incident, disable.id, APPROVER);
    expect((await restart(w, incident.id)).kind).toBe('restarted');

    const undo = await followUp(w, { incidentId: incident.id, actionId: disable.id, mode: 'undo' });

    expect(undo).toMatchObject({ kind: 'proposed', action: { kind: ActionKind.EnableKey, accountId: MEMBER, target: { keyId, account: MEMBER } } });
  });

  it('undoes a replacement key by deleting the new key, with two approvers, never the exposed one', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const replace = await proposed(w, incident, ActionKind.CreateReplacementKey);
    const done = await decide(w, incident, replace.id, APPROVER);
    const newKeyId = done.kind === 'executed' ? done.action.outcome?.details?.newKeyId : undefined;

    const undo = await followUp(w, { incidentId: incident.id, actionId: replace.id, mode: 'undo' });

    expect(newKeyId).toEqual(expect.any(String));
    expect(undo).toMatchObject({ kind: 'proposed', action: { kind: ActionKind.DeleteKey, approvalsRequired: 2, target: { keyId: newKeyId } } });
    const deleteNew = undo.kind === 'proposed' ? undo.action : undefined;
    await decide(w, incident, deleteNew!.id, APPROVER);
    await decide(w, incident, deleteNew!.id, SECOND_APPROVER);
    expect(w.iam.users.get(OWNER)!.keys.map((k) => k.keyId)).toEqual([incident.keyId]);
  });

  it('refuses to undo what cannot be undone', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const deletion = await proposed(w, incident, ActionKind.DeleteKey);

    expect(ACTIONS[ActionKind.DeleteKey].undo).toBeUndefined();
    expect(await followUp(w, { incidentId: incident.id, actionId: deletion.id, mode: 'undo' })).toMatchObject({ kind: 'refused', reason: { code: 'cannot-undo' } });
  });

  it('never proposes a denied action again from its message; an expired one, yes', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const first = await proposed(w, incident, ActionKind.AttachQuarantine);
    await decide(w, incident, first.id, APPROVER, 'deny');

    expect(await followUp(w, { incidentId: incident.id, actionId: first.id, mode: 'again' }))
      .toMatchObject({ kind: 'refused', reason: { code: 'follow-up-not-offered', mode: 'again', status: ActionStatus.Denied } });
    expect((await w.actions.list(incident.id)).map((a) => a.id)).toEqual([first.id]);

    const second = await proposed(w, incident, ActionKind.AttachQuarantine);
    w.clock.advance(PROPOSAL_TTL_MS + 1);
    expect(await decide(w, incident, second.id, APPROVER)).toMatchObject({ kind: 'expired' });
    const again = await followUp(w, { incidentId: incident.id, actionId: second.id, mode: 'again' });
    expect(again).toMatchObject({ kind: 'proposed', action: { kind: ActionKind.AttachQuarantine, target: first.target } });
  });

  it('undoes only an action that succeeded', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const pending = await proposed(w, incident, ActionKind.DisableKey);
    expect(await followUp(w, { incidentId: incident.id, actionId: pending.id, mode: 'undo' }))
      .toMatchObject({ kind: 'refused', reason: { code: 'follow-up-not-offered', mode: 'undo', status: ActionStatus.Proposed } });
    await decide(w, incident, pending.id, APPROVER, 'deny');
    expect(await followUp(w, { incidentId: incident.id, actionId: pending.id, mode: 'undo' }))
      .toMatchObject({ kind: 'refused', reason: { code: 'follow-up-not-offered', status: ActionStatus.Denied } });
    expect((await w.actions.list(incident.id)).map((a) => a.kind)).toEqual([ActionKind.DisableKey]);
  });

  it('proposes from the menu only the menu\'s own kinds, on the menu\'s target', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    for (const kind of [ActionKind.EnableKey, ActionKind.DetachRolePolicy, 'not-a-kind']) {
      expect(await proposeFromMenu(w.deps, { incidentId: incident.id, kind, userId: APPROVER }))
        .toMatchObject({ kind: 'refused', reason: { code: 'not-on-menu', incidentId: incident.id } });
    }
    expect(await w.actions.list(incident.id)).toEqual([]);
    expect(await proposeFromMenu(w.deps, { incidentId: incident.id, kind: ActionKind.DisableKey, userId: APPROVER }))
      .toMatchObject({ kind: 'proposed', action: { kind: ActionKind.DisableKey, target: { userName: OWNER, keyId: incident.keyId } } });
  });

  it('answers not-found for an unknown action', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    expect(await followUp(w, { incidentId: incident.id, actionId: '01JNOSUCH', mode: 'again' })).toEqual({ kind: 'not-found' });
  });
});

describe('the recommended first actions', () => {
  it('are proposed by the bot for an admin key: disable it and revoke its sessions', async () => {
    const w = world();
    const incident = await assessedIncident(w, exposedKey(w));

    await proposeFirst(w, incident);

    const actions = await w.actions.list(incident.id);
    expect(actions.map((a) => [a.kind, a.proposedBy])).toEqual([[ActionKind.DisableKey, BOT_ACTOR], [ActionKind.RevokeSessions, BOT_ACTOR]]);
  });

  it('are nothing for a key of an account out of reach', async () => {
    const w = world();
    const keyId = memoryKeyId(8);
    w.sts.keyAccounts.set(keyId, MEMBER);
    w.accounts.roleName = undefined;
    const incident = await assessedIncident(w, keyId);

    await proposeFirst(w, incident);

    expect(await w.actions.list(incident.id)).toEqual([]);
  });

  it('follow the stored assessment, whatever the incident handed in', async () => {
    const w = world();
    const opened = await openedIncident(w);
    const assessed = await assess(w, opened.id);

    await proposeFirst(w, assessed);

    expect((await w.actions.list(opened.id)).length).toBeGreaterThan(0);
  });
});
