import { describe, expect, it } from 'vitest';
import { type Action, approve, finish, OutcomeResult, propose } from '../../../../src/domain/action/lifecycle.js';
import { ActionKind } from '../../../../src/domain/action/kinds.js';
import { emptyAssessment } from '../../../../src/domain/assessment/assessment.js';
import { type Incident, IncidentStatus } from '../../../../src/domain/incident/incident.js';
import { changeStatus, IncidentTransitionError, isContained } from '../../../../src/domain/incident/lifecycle.js';

const NOW = new Date('2026-11-29T03:00:00Z');
const KEY = 'AKIAIOSFODNN7EXAMPLE';

function incident(status: Incident['status'] = IncidentStatus.Open, keyId = KEY): Incident {
  return { id: 'KI-ABC123', keyId, status, channelId: 'C1', openedBy: 'U1', openedAt: NOW.toISOString(), assessment: emptyAssessment(), version: 1 };
}

let n = 0;
function done(kind: ActionKind, result: OutcomeResult = OutcomeResult.Done, at = n++): Action {
  const t = new Date(NOW.getTime() + at * 1000);
  const p = propose({ incidentId: 'KI-ABC123', id: `A${at}`, kind, target: { userName: 'u', keyId: KEY }, proposedBy: 'U1' }, t).action;
  const first = approve(p, 'U2', t);
  const running = first.execute ? first.action : approve(first.action, 'U3', t).action;
  return finish(running, { result, message: 'm' }, t).action;
}

describe('incident status changes', () => {
  it.each([
    [IncidentStatus.Open, IncidentStatus.Contained],
    [IncidentStatus.Open, IncidentStatus.Resolved],
    [IncidentStatus.Contained, IncidentStatus.Resolved],
    [IncidentStatus.Contained, IncidentStatus.Open],
    [IncidentStatus.Resolved, IncidentStatus.Open],
  ])('allows %s → %s, with its event', (from, to) => {
    const r = changeStatus(incident(from), to, 'U9', NOW, 'why');
    expect(r.incident.status).toBe(to);
    expect(r.event).toMatchObject({ actor: 'U9', details: { from, to } });
  });

  it.each([
    [IncidentStatus.Resolved, IncidentStatus.Contained],
    [IncidentStatus.Open, IncidentStatus.Open],
    [IncidentStatus.Resolved, IncidentStatus.Resolved],
  ])('refuses %s → %s', (from, to) => {
    expect(() => changeStatus(incident(from), to, 'U9', NOW, '')).toThrow(IncidentTransitionError);
  });

  it('stamps containment and resolution times, keeps the summary, and clears the resolution time on reopen', () => {
    const resolved = changeStatus(incident(), IncidentStatus.Resolved, 'U9', NOW, 'rotated').incident;
    expect(resolved).toMatchObject({ resolvedAt: NOW.toISOString(), resolution: 'rotated' });
    expect(changeStatus(resolved, IncidentStatus.Open, 'U9', NOW, '').incident.resolvedAt).toBeUndefined();
    expect(changeStatus(incident(), IncidentStatus.Contained, 'U9', NOW, '').incident.containedAt).toBe(NOW.toISOString());
  });
});

describe('containment', () => {
  it('needs both the key cut and the sessions revoked', () => {
    expect(isContained(incident(), [done(ActionKind.DisableKey)])).toBe(false);
    expect(isContained(incident(), [done(ActionKind.RevokeSessions)])).toBe(false);
    expect(isContained(incident(), [done(ActionKind.DisableKey), done(ActionKind.RevokeSessions)])).toBe(true);
    expect(isContained(incident(), [done(ActionKind.DeleteKey), done(ActionKind.RevokeSessions)])).toBe(true);
  });

  it('is undone by re-enabling the key, and not reached by a dry run', () => {
    expect(isContained(incident(), [done(ActionKind.DisableKey), done(ActionKind.RevokeSessions), done(ActionKind.EnableKey)])).toBe(false);
    expect(isContained(incident(), [done(ActionKind.DisableKey, OutcomeResult.WouldHave), done(ActionKind.RevokeSessions)])).toBe(false);
  });

  it('counts a key already inactive as cut', () => {
    expect(isContained(incident(), [done(ActionKind.DisableKey, OutcomeResult.Already), done(ActionKind.RevokeSessions)])).toBe(true);
  });

  it('needs only the sessions revoked for a temporary key', () => {
    expect(isContained(incident(IncidentStatus.Open, 'ASIAIOSFODNN7EXAMPLE'), [done(ActionKind.RevokeRoleSessions)])).toBe(true);
  });
});
