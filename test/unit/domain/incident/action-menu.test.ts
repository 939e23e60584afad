import { describe, expect, it } from 'vitest';
import { ActionKind, MENU_KINDS } from '../../../../src/domain/action/kinds.js';
import { type Action, finish, OutcomeResult, propose } from '../../../../src/domain/action/lifecycle.js';
import type { AccountFinding } from '../../../../src/domain/assessment/assessment.js';
import { defaultTarget, keyStateAfter, menuKinds } from '../../../../src/domain/incident/action-menu.js';
import { anIncident } from '../../../support/incident-builders.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const owner = { userName: 'deploy-bot', otherKeys: [], lastUsed: null };
const elsewhere = (reach: AccountFinding['reach']): AccountFinding => ({ accountId: '222222222222', sameAccount: false, ...(reach ? { reach } : {}) });

/** An action on `target` that ran at `minute` past three and ended with `result`. */
function ran(kind: ActionKind, minute: number, result: OutcomeResult = OutcomeResult.Done, keyId = KEY): Action {
  const at = new Date(`2026-11-29T03:${String(minute).padStart(2, '0')}:00Z`);
  const proposed = propose({ incidentId: 'KI-ABC123', id: `A${minute}`, kind, target: { userName: 'deploy-bot', keyId }, proposedBy: 'U0A' }, at).action;
  return finish({ ...proposed, status: 'executing', startedAt: at.toISOString() }, { result, message: 'm' }, at).action;
}

describe('the default target of an incident\'s actions', () => {
  it('is the key and its owner once the owner is known in an account the bot can act in', () => {
    const incident = anIncident({ keyId: KEY, assessment: { problems: [], complete: true, owner } });
    expect(defaultTarget(incident)).toEqual({ userName: 'deploy-bot', keyId: KEY });
  });

  it('is unknown before the owner is found', () => {
    expect(defaultTarget(anIncident())).toBeUndefined();
  });

  it('is unknown in another account out of reach, and known through its role', () => {
    const outOfReach = anIncident({ assessment: { problems: [], complete: true, owner, account: elsewhere({ kind: 'not-configured' }) } });
    const throughRole = anIncident({ assessment: { problems: [], complete: true, owner, account: elsewhere({ kind: 'role', roleArn: 'arn:aws:iam::222222222222:role/R' }) } });
    expect(defaultTarget(outOfReach)).toBeUndefined();
    expect(defaultTarget(throughRole)).toBeDefined();
  });
});

describe('the kinds on an incident\'s menu', () => {
  it('are every menu kind for a long-term key', () => {
    expect(menuKinds(anIncident({ keyId: KEY }))).toEqual(MENU_KINDS);
  });

  it('are only the user\'s actions, without a replacement key, for a temporary key', () => {
    expect(menuKinds(anIncident({ keyId: 'ASIAIOSFODNN7EXAMPLE' }))).toEqual([ActionKind.RevokeSessions, ActionKind.AttachQuarantine, ActionKind.DeleteUser]);
  });
});

describe('the key\'s state after actions', () => {
  const incident = anIncident({ keyId: KEY });

  it('is unknown when no action changed the key', () => {
    expect(keyStateAfter(incident, [])).toBeUndefined();
    expect(keyStateAfter(incident, [ran(ActionKind.RevokeSessions, 1)])).toBeUndefined();
  });

  it('is what the latest finished action on the key left it as, whatever the order given', () => {
    expect(keyStateAfter(incident, [ran(ActionKind.EnableKey, 5), ran(ActionKind.DisableKey, 1)])).toBe('enabled');
    expect(keyStateAfter(incident, [ran(ActionKind.DisableKey, 1), ran(ActionKind.DeleteKey, 9)])).toBe('deleted');
  });

  it('ignores dry runs and actions on other keys', () => {
    expect(keyStateAfter(incident, [ran(ActionKind.DisableKey, 1), ran(ActionKind.EnableKey, 2, OutcomeResult.WouldHave)])).toBe('disabled');
    expect(keyStateAfter(incident, [ran(ActionKind.DeleteKey, 3, OutcomeResult.Done, 'AKIAOTHERKEY00000000')])).toBeUndefined();
  });
});
