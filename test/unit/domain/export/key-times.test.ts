import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../../src/domain/action/kinds.js';
import { TimelineEventType } from '../../../../src/domain/incident/incident.js';
import { duration, formatDuration, keyTimesFromActions, KeyTimesTracker } from '../../../../src/domain/export/key-times.js';
import { action, at, event, incident, KEY } from './builders.js';

describe('key times from actions', () => {
  it('takes the first success as first action and the first disable of the incident key as containment', () => {
    const times = keyTimesFromActions(incident(), [
      action(ActionKind.DisableKey, { finishedMin: 12 }),
      action(ActionKind.RevokeSessions, { finishedMin: 5 }),
      action(ActionKind.DeleteKey, { finishedMin: 30 }),
    ]);
    expect(times).toMatchObject({ openedAt: at(0), firstActionAt: at(5), containedAt: at(12), containedBy: 'disable-key' });
  });

  it('does not count another key, a failure or a dry run as containment', () => {
    const times = keyTimesFromActions(incident(), [
      action(ActionKind.DisableKey, { finishedMin: 3, keyId: 'AKIAOTHERKEY00000000' }),
      action(ActionKind.DisableKey, { finishedMin: 4, outcome: { result: 'failed', code: 'AccessDenied' } }),
      action(ActionKind.DisableKey, { finishedMin: 6, outcome: { result: 'would-have' } }),
    ]);
    expect(times.containedAt).toBeUndefined();
    expect(times.firstActionAt).toBe(at(3));
  });
});

describe('key times from the incident', () => {
  it('uses the incident\'s containedAt when earlier than any action, and its resolvedAt', () => {
    const times = keyTimesFromActions(incident({ status: 'resolved', containedAt: at(8), resolvedAt: at(45) }), [action(ActionKind.DisableKey, { finishedMin: 12 })]);
    expect(times).toMatchObject({ containedAt: at(8), containedBy: 'status', resolvedAt: at(45) });
  });

  it('keeps the action when it contained the key before the status was set', () => {
    const times = keyTimesFromActions(incident({ status: 'contained', containedAt: at(20) }), [action(ActionKind.DisableKey, { finishedMin: 12 })]);
    expect(times).toMatchObject({ containedAt: at(12), containedBy: 'disable-key' });
  });
});

describe('key times from the timeline', () => {
  it('adds an incident.contained status event and incident.resolved, the earlier time winning', () => {
    const tracker = new KeyTimesTracker(incident());
    tracker.observe(event(2, { type: TimelineEventType.ActionSucceeded, details: { kind: 'revoke-sessions', target: { userName: 'u' }, result: 'done' } }));
    tracker.observe(event(9, { type: 'incident.contained' as TimelineEventType }));
    tracker.observe(event(40, { type: 'incident.resolved' as TimelineEventType }));
    const merged = tracker.result(keyTimesFromActions(incident(), [action(ActionKind.DisableKey, { finishedMin: 12 })]));
    expect(merged).toMatchObject({ firstActionAt: at(2), containedAt: at(9), containedBy: 'status', resolvedAt: at(40) });
    expect(tracker.count).toBe(3);
  });

  it('recognises a succeeded delete-key of the incident key', () => {
    const tracker = new KeyTimesTracker(incident());
    tracker.observe(event(7, { type: TimelineEventType.ActionSucceeded, details: { kind: 'delete-key', target: { userName: 'u', keyId: KEY }, result: 'done' } }));
    expect(tracker.result({ openedAt: at(0) })).toMatchObject({ containedAt: at(7), containedBy: 'delete-key' });
  });
});

describe('durations', () => {
  it('reads as days, hours, minutes or seconds', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(4 * 60_000 + 10_000)).toBe('4 min 10 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(26 * 3600_000)).toBe('1 d 2 h');
  });

  it('is unknown when either end is missing, unreadable or the order is backwards', () => {
    expect(duration(at(0), undefined)).toBeUndefined();
    expect(duration(at(0), 'not a time')).toBeUndefined();
    expect(duration(at(5), at(0))).toBeUndefined();
    expect(duration(at(0), at(12))).toBe('12 min');
  });
});
