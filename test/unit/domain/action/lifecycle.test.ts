import { describe, expect, it } from 'vitest';
import {
  type Action, ActionStatus, ActionTransitionError, approve, deny, expire, finish, followUpOffered, isExpired, latestPerSubject, OutcomeResult, PROPOSAL_TTL_MS, propose,
  tookEffect,
} from '../../../../src/domain/action/lifecycle.js';
import { ActionKind } from '../../../../src/domain/action/kinds.js';
import { mayApprove } from '../../../../src/domain/action/approval-policy.js';

const T0 = new Date('2026-11-29T03:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

function proposal(kind: ActionKind = ActionKind.DisableKey): Action {
  return propose({ incidentId: 'KI-ABC123', id: 'A1', kind, target: { userName: 'deploy-bot', keyId: 'AKIAIOSFODNN7EXAMPLE' }, proposedBy: 'U0OPENER' }, T0).action;
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ActionTransitionError) return err.refusal;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('the action lifecycle', () => {
  it('proposes with the catalogue\'s quorum and a 24-hour expiry', () => {
    const t = propose({ incidentId: 'KI-ABC123', id: 'A1', kind: ActionKind.DeleteKey, target: { userName: 'u', keyId: 'AKIAIOSFODNN7EXAMPLE' }, proposedBy: 'U1' }, T0);
    expect(t.action).toMatchObject({ status: 'proposed', approvalsRequired: 2, approvals: [], expiresAt: later(PROPOSAL_TTL_MS).toISOString() });
    expect(t.events.map((e) => e.type)).toEqual(['action.proposed']);
  });

  it('executes a reversible action on one approval, recording approval and intent together', () => {
    const t = approve(proposal(), 'U0A', later(1000));
    expect(t.execute).toBe(true);
    expect(t.action).toMatchObject({ status: 'executing', approvals: [{ userId: 'U0A' }], startedAt: later(1000).toISOString() });
    expect(t.events.map((e) => e.type)).toEqual(['action.approved', 'action.executing']);
  });

  it('waits for a second, different approver before a destructive action runs', () => {
    const first = approve(proposal(ActionKind.DeleteKey), 'U0A', later(1));
    expect(first.execute).toBe(false);
    expect(first.action.status).toBe(ActionStatus.Proposed);
    expect(first.events[0]).toMatchObject({ type: 'action.approval_counted', summary: expect.stringContaining('Approval 1 of 2') });
    expect(refusal(() => approve(first.action, 'U0A', later(2)))).toBe('already-approved');
    const second = approve(first.action, 'U0B', later(3));
    expect(second.execute).toBe(true);
    expect(second.action.approvals.map((a) => a.userId)).toEqual(['U0A', 'U0B']);
  });

  it('refuses to approve or deny what is no longer pending', () => {
    const running = approve(proposal(), 'U0A', later(1)).action;
    expect(refusal(() => approve(running, 'U0B', later(2)))).toBe('not-pending');
    expect(refusal(() => deny(running, 'U0B', later(2)))).toBe('not-pending');
  });

  it('records who denied', () => {
    const t = deny(proposal(), 'U0B', later(5));
    expect(t.action).toMatchObject({ status: 'denied', deniedBy: 'U0B' });
    expect(t.events[0]).toMatchObject({ type: 'action.denied', actor: 'U0B' });
  });

  it('expires an unapproved proposal after its deadline and not before', () => {
    const p = proposal();
    expect(isExpired(p, later(PROPOSAL_TTL_MS - 1))).toBe(false);
    expect(refusal(() => expire(p, later(PROPOSAL_TTL_MS - 1)))).toBe('not-pending');
    expect(refusal(() => approve(p, 'U0A', later(PROPOSAL_TTL_MS)))).toBe('expired');
    expect(expire(p, later(PROPOSAL_TTL_MS)).action.status).toBe('expired');
  });

  it('ends in succeeded for done, already-in-effect and dry runs, and in failed otherwise', () => {
    const running = approve(proposal(), 'U0A', later(1)).action;
    for (const result of [OutcomeResult.Done, OutcomeResult.Already, OutcomeResult.WouldHave]) {
      expect(finish(running, { result, message: 'm' }, later(2)).action.status).toBe('succeeded');
    }
    const failed = finish(running, { result: OutcomeResult.Failed, code: 'AccessDenied', message: 'm' }, later(2));
    expect(failed.action.status).toBe('failed');
    expect(failed.events[0]).toMatchObject({ type: 'action.failed', details: { code: 'AccessDenied' } });
    expect(refusal(() => finish(proposal(), { result: OutcomeResult.Done, message: 'm' }, later(2)))).toBe('not-executing');
  });
});

describe('who may approve', () => {
  const approvers = { anyone: false, userIds: ['U0A'], groupMembers: ['U0G'], usergroupId: 'S0SEC' };

  it('allows named approvers and group members', () => {
    expect(mayApprove('U0A', approvers, 'decide-action')).toEqual({ allowed: true });
    expect(mayApprove('U0G', approvers, 'decide-action')).toEqual({ allowed: true });
  });

  it('refuses anyone else, with what was asked and who can', () => {
    expect(mayApprove('U0X', approvers, 'change-status')).toEqual({ allowed: false, reason: { code: 'not-an-approver', action: 'change-status', approvers } });
  });

  it('allows everyone only when told to', () => {
    expect(mayApprove('U0X', { anyone: true, userIds: [], groupMembers: [] }, 'decide-action').allowed).toBe(true);
  });
});

describe('what an action offers next', () => {
  const ended = (kind: ActionKind, result: OutcomeResult) => finish({ ...proposal(kind), status: ActionStatus.Executing }, { result, message: 'm' }, later(1)).action;

  it('offers the undo of a change it made, when it has one', () => {
    expect(followUpOffered(ended(ActionKind.DisableKey, OutcomeResult.Done))).toBe('undo');
    expect(followUpOffered(ended(ActionKind.DeleteKey, OutcomeResult.Done))).toBeUndefined();
    expect(followUpOffered(ended(ActionKind.DisableKey, OutcomeResult.Already))).toBeUndefined();
  });

  it('offers proposing it again once it failed or expired, and nothing while pending or once denied', () => {
    expect(followUpOffered(ended(ActionKind.DisableKey, OutcomeResult.Failed))).toBe('again');
    expect(followUpOffered(expire(proposal(), later(PROPOSAL_TTL_MS + 1)).action)).toBe('again');
    expect(followUpOffered(deny(proposal(), 'U0B', later(1)).action)).toBeUndefined();
    expect(followUpOffered(proposal())).toBeUndefined();
  });

  it('counts as a change only what succeeded outside a dry run', () => {
    expect(tookEffect(ended(ActionKind.DisableKey, OutcomeResult.Done))).toBe(true);
    expect(tookEffect(ended(ActionKind.DisableKey, OutcomeResult.WouldHave))).toBe(false);
    expect(tookEffect(ended(ActionKind.DisableKey, OutcomeResult.Failed))).toBe(false);
    expect(tookEffect(proposal())).toBe(false);
  });
});

describe('the latest action on each subject', () => {
  it('keeps the last of each subject, in the order subjects first appear', () => {
    const disable = proposal(ActionKind.DisableKey);
    const revoke = { ...proposal(ActionKind.RevokeSessions), id: 'A2' };
    const disableAgain = { ...proposal(ActionKind.DisableKey), id: 'A3' };
    const otherKey = { ...proposal(ActionKind.DisableKey), id: 'A4', target: { userName: 'deploy-bot', keyId: 'AKIAOTHERKEY00000000' } };
    expect(latestPerSubject([disable, revoke, disableAgain, otherKey]).map((a) => a.id)).toEqual(['A3', 'A2', 'A4']);
  });
});
