/** The same cases against the DynamoDB action repository and its in-memory fake, so the fake cannot drift. */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, ActionStatus } from '../../src/domain/action/lifecycle.js';
import { ActionKind } from '../../src/domain/action/kinds.js';
import { ActionAlreadyPendingError, IncidentNotActiveError, StaleActionError } from '../../src/domain/errors.js';
import { IncidentStatus, TimelineEventType } from '../../src/domain/incident/incident.js';
import type { ActionRepository } from '../../src/ports/action-repository.js';
import { aProposal, type Repositories, REPOSITORIES } from '../support/repository-contract.js';
import { anEvent, anIncident } from '../support/incident-builders.js';

const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (err: unknown) => err);

describe.each(REPOSITORIES)('ActionRepository contract: $name', ({ make }) => {
  let repos: Repositories;
  let actions: ActionRepository;
  beforeAll(async () => {
    repos = await make();
    actions = repos.actions;
  });
  afterAll(() => repos?.dispose());

  const proposed = async (at?: string) => {
    const incident = anIncident();
    await repos.incidents.create(incident, anEvent(incident));
    const proposal = aProposal(incident, at);
    await actions.create(proposal.action, proposal.subject, proposal.events);
    return { incident, ...proposal };
  };
  const executing = (a: Action): Action => ({ ...a, status: ActionStatus.Executing, startedAt: '2025-03-01T10:02:00.000Z' });
  const succeeded = (a: Action): Action => ({ ...a, status: ActionStatus.Succeeded, finishedAt: '2025-03-01T10:03:00.000Z' });

  it('stores a proposal with its events in the incident\'s timeline', async () => {
    const { incident, action, events } = await proposed();
    expect(await actions.get(incident.id, action.id)).toEqual(action);
    expect(await actions.list(incident.id)).toEqual([action]);
    expect((await repos.incidents.events(incident.id)).map((e) => e.id)).toContain(events[0]!.id);
  });

  it('refuses a second proposal of the same subject, naming the pending one', async () => {
    const { incident, action, subject } = await proposed();
    const again = aProposal(incident);
    const error = await caught(actions.create(again.action, subject, again.events));
    expect(error).toBeInstanceOf(ActionAlreadyPendingError);
    expect(error).toMatchObject({ incidentId: incident.id, pendingActionId: action.id });
    expect(await actions.get(incident.id, again.action.id)).toBeUndefined();
  });

  it('stores a transition as the next version with its events, and refuses a stale one', async () => {
    const { incident, action, subject } = await proposed();
    const event = anEvent(incident, { type: TimelineEventType.ActionApprovalCounted, at: '2025-03-01T10:02:00.000Z' });
    const counted = { ...action, approvals: [{ userId: 'U0APPROVER', at: '2025-03-01T10:02:00.000Z' }] };
    const stored = await actions.transition(action, counted, subject, [event]);
    expect(stored).toMatchObject({ version: 2, approvals: counted.approvals });
    expect(await actions.get(incident.id, action.id)).toEqual(stored);
    const error = await caught(actions.transition(action, { ...action, deniedBy: 'U0LATE' }, subject, []));
    expect(error).toBeInstanceOf(StaleActionError);
    expect(error).toMatchObject({ incidentId: incident.id, actionId: action.id });
    expect((await repos.incidents.events(incident.id)).at(-1)).toEqual(event);
  });

  it('refuses a transition of an action that was never stored', async () => {
    const incident = anIncident();
    const { action, subject } = aProposal(incident);
    await expect(actions.transition(action, executing(action), subject, [])).rejects.toBeInstanceOf(StaleActionError);
  });

  it('marks an action executing while it executes, and only then', async () => {
    const { incident, action, subject } = await proposed();
    const running = await actions.transition(action, executing(action), subject, []);
    expect(await actions.listExecuting()).toContainEqual({ incidentId: incident.id, actionId: action.id });
    const claimed = await actions.transition(running, { ...running, startedAt: '2025-03-01T10:09:00.000Z' }, subject, []);
    expect(await actions.listExecuting()).toContainEqual({ incidentId: incident.id, actionId: action.id });
    await actions.transition(claimed, succeeded(claimed), subject, []);
    expect(await actions.listExecuting()).not.toContainEqual({ incidentId: incident.id, actionId: action.id });
  });

  it('keeps the subject\'s guard while the action is not final, and releases it when it is', async () => {
    const { incident, action, subject } = await proposed();
    const running = await actions.transition(action, executing(action), subject, []);
    const early = aProposal(incident);
    await expect(actions.create(early.action, subject, early.events)).rejects.toBeInstanceOf(ActionAlreadyPendingError);
    await actions.transition(running, succeeded(running), subject, []);
    const next = aProposal(incident, '2025-03-01T10:05:00.000Z');
    await actions.create(next.action, subject, next.events);
    expect((await actions.list(incident.id)).map((a) => a.id)).toEqual([action.id, next.action.id]);
  });

  it('stores a change beside a final action (its message\'s ts, late) and leaves a newer proposal\'s hold on its subject', async () => {
    const { incident, action, subject } = await proposed();
    const denied = await actions.transition(action, { ...action, status: ActionStatus.Denied, deniedBy: 'U0APPROVER' }, subject, []);
    const newer = aProposal(incident, '2025-03-01T10:06:00.000Z');
    await actions.create(newer.action, subject, newer.events);
    await actions.transition(denied, { ...denied, messageTs: '1740823200.000300' }, subject, []);
    expect(await actions.get(incident.id, action.id)).toMatchObject({ version: 3, status: ActionStatus.Denied, messageTs: '1740823200.000300' });
    const third = aProposal(incident, '2025-03-01T10:07:00.000Z');
    expect(await caught(actions.create(third.action, subject, third.events))).toMatchObject({ pendingActionId: newer.action.id });
  });

  it('lists an incident\'s actions oldest first, ties broken by id', async () => {
    const incident = anIncident();
    await repos.incidents.create(incident, anEvent(incident));
    const at = '2025-03-01T10:04:00.000Z';
    const made = ['disable-key', 'revoke-sessions', 'attach-quarantine'] as const;
    const proposals = made.map((kind, i) => aProposal(incident, i === 0 ? '2025-03-01T10:09:00.000Z' : at, kind));
    for (const p of proposals) await actions.create(p.action, p.subject, p.events);
    const sameTime = proposals.slice(1).map((p) => p.action.id).sort();
    expect((await actions.list(incident.id)).map((a) => a.id)).toEqual([...sameTime, proposals[0]!.action.id]);
    expect(await actions.list(ulid())).toEqual([]);
  });

  it('refuses a proposal, and the write that starts executing, once the incident is resolved; finishing still lands', async () => {
    const { incident, action, subject } = await proposed();
    const other = aProposal(incident, '2025-03-01T10:05:00.000Z', ActionKind.RevokeSessions);
    await actions.create(other.action, other.subject, other.events);
    const running = await actions.transition(other.action, executing(other.action), other.subject, []);
    const stored = (await repos.incidents.get(incident.id))!;
    await repos.incidents.update({ ...stored, status: IncidentStatus.Resolved, resolvedAt: '2025-03-01T10:06:00.000Z' }, []);

    await expect(actions.transition(action, executing(action), subject, [])).rejects.toBeInstanceOf(IncidentNotActiveError);
    const late = aProposal(incident, '2025-03-01T10:07:00.000Z', ActionKind.AttachQuarantine);
    await expect(actions.create(late.action, late.subject, late.events)).rejects.toBeInstanceOf(IncidentNotActiveError);
    expect((await actions.get(incident.id, action.id))?.status).toBe(ActionStatus.Proposed);
    expect(await actions.get(incident.id, late.action.id)).toBeUndefined();
    // Counting, expiring and finishing are not refused: an action executing when resolve landed finishes.
    expect((await actions.transition(running, succeeded(running), other.subject, [])).status).toBe(ActionStatus.Succeeded);
    expect((await actions.transition(action, { ...action, status: ActionStatus.Expired }, subject, [])).status).toBe(ActionStatus.Expired);
  });

  it('hands out copies: changing a returned action changes nothing stored', async () => {
    const { incident, action } = await proposed();
    const read = (await actions.get(incident.id, action.id)) as unknown as { approvals: unknown[] };
    read.approvals.push({ userId: 'U0TAMPER' });
    expect((await actions.get(incident.id, action.id))?.approvals).toEqual([]);
  });
});
