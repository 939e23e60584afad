/**
 * Attempts, their fence and the shown versions of messages: the same cases against DynamoDB
 * Local and the in-memory fakes, so the fakes raise the same domain errors as the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, ActionStatus } from '../../src/domain/action/lifecycle.js';
import { FencedOutError, takeOver, withAttempt } from '../../src/domain/action/attempt.js';
import { ActionKind, actionSubject } from '../../src/domain/action/kinds.js';
import { StaleActionError } from '../../src/domain/errors.js';
import { aProposal, type Repositories, REPOSITORIES } from '../support/repository-contract.js';
import { anEvent, anIncident } from '../support/incident-builders.js';

const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (err: unknown) => err);
const LEASE_MS = 15_000;
const T0 = new Date('2025-03-01T10:02:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(REPOSITORIES)('attempts and their fence: $name', ({ make }) => {
  let repos: Repositories;
  beforeAll(async () => {
    repos = await make();
  });
  afterAll(() => repos?.dispose());

  /** A proposal of `kind` (on the same key for every call with one incident), approved at `when` as attempt 1. */
  const approved = async (kind: ActionKind = ActionKind.DisableKey, incident = anIncident(), when = T0) => {
    if (!(await repos.incidents.get(incident.id))) await repos.incidents.create(incident, anEvent(incident));
    const { action, subject, events } = aProposal(incident, '2025-03-01T10:01:00.000Z', kind);
    await repos.actions.create(action, subject, events);
    const executing: Action = withAttempt({ ...action, status: ActionStatus.Executing, startedAt: when.toISOString() }, `token-${action.id}`, when, LEASE_MS);
    return { incident, subject, action: await repos.actions.transition(action, executing, subject, []) };
  };

  it('lets the holding attempt fence while its lease runs, extends the lease and records progress, leaving the version alone', async () => {
    const { incident, action } = await approved();
    await repos.actions.fence(action, at(5_000), at(20_000), { newKeyId: 'AKIAEXAMPLENEWKEY001', newKeyAt: at(5_000).toISOString() });
    const stored = await repos.actions.get(incident.id, action.id);
    expect(stored).toMatchObject({ version: action.version, attempt: { token: action.attempt!.token, leaseUntil: at(20_000).toISOString(), newKeyId: 'AKIAEXAMPLENEWKEY001' } });
  });

  it('refuses a fence once the lease ran out, or once another attempt took over', async () => {
    const { action, subject } = await approved();
    expect(await caught(repos.actions.fence(action, at(LEASE_MS), at(LEASE_MS * 2)))).toMatchObject({ refusal: 'lease-lost' });
    const t = takeOver(action, 'token-second', at(LEASE_MS), LEASE_MS);
    const second = await repos.actions.takeOver(action, t.action, subject, [], at(LEASE_MS));
    const error = await caught(repos.actions.fence(action, at(LEASE_MS + 1), at(LEASE_MS * 2)));
    expect(error).toBeInstanceOf(FencedOutError);
    expect(error).toMatchObject({ refusal: 'lease-lost', actionId: action.id });
    await repos.actions.fence(second, at(LEASE_MS + 1), at(LEASE_MS * 2));
  });

  it('refuses a takeover while the attempt holds its lease, even one renewed after the read', async () => {
    const { action, subject } = await approved();
    const t = takeOver(action, 'token-early', at(1_000), LEASE_MS);
    await expect(repos.actions.takeOver(action, t.action, subject, [], at(1_000))).rejects.toBeInstanceOf(StaleActionError);
    await repos.actions.fence(action, at(14_000), at(29_000));
    const late = takeOver(action, 'token-late', at(20_000), LEASE_MS);
    await expect(repos.actions.takeOver(action, late.action, subject, [], at(20_000))).rejects.toBeInstanceOf(StaleActionError);
    expect((await repos.actions.get(action.incidentId, action.id))?.attempt?.token).toBe(action.attempt!.token);
  });

  it('fences out an older decision once a newer one on the same key is approved', async () => {
    const older = await approved(ActionKind.EnableKey);
    const newer = await approved(ActionKind.DisableKey, older.incident, at(1_000));
    expect(await caught(repos.actions.fence(older.action, at(2_000), at(17_000)))).toMatchObject({ refusal: 'superseded' });
    await repos.actions.fence(newer.action, at(2_000), at(17_000));
    // Another kind on the same user, not this one's undo, stops nothing.
    const revoke = await approved(ActionKind.RevokeSessions, older.incident, at(3_000));
    const quarantine = await approved(ActionKind.AttachQuarantine, older.incident, at(4_000));
    await repos.actions.fence(revoke.action, at(5_000), at(20_000));
    await repos.actions.fence(quarantine.action, at(5_000), at(20_000));
    expect(actionSubject(revoke.action.kind, revoke.action.target)).not.toBe(actionSubject(quarantine.action.kind, quarantine.action.target));
  });

  it('lets a message claim a version no older than the newest claimed, and tells which that is', async () => {
    const incident = anIncident();
    expect(await repos.shown.latest(incident.id, 'ACT#one')).toBeUndefined();
    expect(await repos.shown.claim(incident.id, 'ACT#one', 3)).toBe(true);
    expect(await repos.shown.claim(incident.id, 'ACT#one', 3)).toBe(true);
    expect(await repos.shown.claim(incident.id, 'ACT#one', 2)).toBe(false);
    expect(await repos.shown.claim(incident.id, 'ACT#one', 5)).toBe(true);
    expect(await repos.shown.latest(incident.id, 'ACT#one')).toBe(5);
    expect(await repos.shown.latest(incident.id, 'ROOT')).toBeUndefined();
  });
});
