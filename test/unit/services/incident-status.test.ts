import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../src/domain/action/kinds.js';
import { BOT_ACTOR, IncidentStatus, TimelineEventType } from '../../../src/domain/incident/incident.js';
import {
  APPROVER, assessedIncident, changeStatus, decide, eventsOfType, exposedKey, NON_APPROVER, note, open, openedIncident, proposed,
  storedIncident, world,
} from './support.js';

describe('changing an incident\'s status by hand', () => {
  it('contains, resolves and reopens, each change recorded with who made it', async () => {
    const w = world();
    const incident = await openedIncident(w);

    const contained = await changeStatus(w, incident, IncidentStatus.Contained);
    expect(contained).toMatchObject({ kind: 'changed', incident: { status: IncidentStatus.Contained } });
    const resolved = await changeStatus(w, await storedIncident(w, incident.id), IncidentStatus.Resolved, APPROVER, 'key rotated');
    expect(resolved).toMatchObject({ kind: 'changed', incident: { status: IncidentStatus.Resolved, resolution: 'key rotated' } });
    expect(await w.repo.findOpenByKey(incident.keyId)).toBeUndefined();
    const reopened = await changeStatus(w, await storedIncident(w, incident.id), IncidentStatus.Open);
    expect(reopened).toMatchObject({ kind: 'changed', incident: { status: IncidentStatus.Open } });
    expect((await w.repo.findOpenByKey(incident.keyId))?.id).toBe(incident.id);

    for (const type of [TimelineEventType.IncidentContained, TimelineEventType.IncidentResolved, TimelineEventType.IncidentReopened]) {
      expect((await eventsOfType(w, incident.id, type)).map((e) => e.actor)).toEqual([APPROVER]);
    }
  });

  it('reopens a contained incident without giving up its key', async () => {
    const w = world();
    const incident = await openedIncident(w);
    await changeStatus(w, incident, IncidentStatus.Contained);

    const outcome = await changeStatus(w, await storedIncident(w, incident.id), IncidentStatus.Open);

    expect(outcome).toMatchObject({ kind: 'changed', incident: { status: IncidentStatus.Open } });
    expect((await w.repo.findOpenByKey(incident.keyId))?.id).toBe(incident.id);
  });

  it('refuses a change the lifecycle does not allow, and records nothing', async () => {
    const w = world();
    const incident = await openedIncident(w);
    await changeStatus(w, incident, IncidentStatus.Resolved);

    const outcome = await changeStatus(w, await storedIncident(w, incident.id), IncidentStatus.Contained);

    expect(outcome.kind).toBe('refused');
    expect((await storedIncident(w, incident.id)).status).toBe(IncidentStatus.Resolved);
    expect(await eventsOfType(w, incident.id, TimelineEventType.IncidentContained)).toEqual([]);
  });

  it('refuses a non-approver and changes nothing', async () => {
    const w = world();
    const incident = await openedIncident(w);

    expect((await changeStatus(w, incident, IncidentStatus.Resolved, NON_APPROVER)).kind).toBe('refused');

    expect(await storedIncident(w, incident.id)).toEqual(incident);
  });

  it('refuses to reopen while another incident holds the key, and keeps both as they were', async () => {
    const w = world();
    const keyId = exposedKey(w);
    const first = await openedIncident(w, keyId);
    await changeStatus(w, first, IncidentStatus.Resolved);
    const second = await openedIncident(w, keyId);

    const outcome = await changeStatus(w, await storedIncident(w, first.id), IncidentStatus.Open);

    expect(outcome.kind).toBe('refused');
    expect((await storedIncident(w, first.id)).status).toBe(IncidentStatus.Resolved);
    expect((await w.repo.findOpenByKey(keyId))?.id).toBe(second.id);
  });
});

describe('containment after actions', () => {
  it('contains the incident on its own once the key is disabled and its sessions revoked', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const disable = await proposed(w, incident, ActionKind.DisableKey);
    const revoke = await proposed(w, incident, ActionKind.RevokeSessions);

    await decide(w, incident, disable.id, APPROVER);
    expect((await storedIncident(w, incident.id)).status).toBe(IncidentStatus.Open);
    await decide(w, incident, revoke.id, APPROVER);

    expect((await storedIncident(w, incident.id)).status).toBe(IncidentStatus.Contained);
    const contained = await eventsOfType(w, incident.id, TimelineEventType.IncidentContained);
    expect(contained.map((e) => e.actor)).toEqual([BOT_ACTOR]);
  });

  it('does not contain it while the latest key action re-enabled the key', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    for (const kind of [ActionKind.DisableKey, ActionKind.EnableKey, ActionKind.RevokeSessions]) {
      await decide(w, incident, (await proposed(w, incident, kind)).id, APPROVER);
    }

    expect((await storedIncident(w, incident.id)).status).toBe(IncidentStatus.Open);
    expect(await eventsOfType(w, incident.id, TimelineEventType.IncidentContained)).toEqual([]);
  });

  it('leaves a resolved incident resolved when its last action completes', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    await decide(w, incident, (await proposed(w, incident, ActionKind.RevokeSessions)).id, APPROVER);
    const disable = await proposed(w, incident, ActionKind.DisableKey);
    await changeStatus(w, await storedIncident(w, incident.id), IncidentStatus.Resolved);

    await decide(w, incident, disable.id, APPROVER);

    expect((await storedIncident(w, incident.id)).status).toBe(IncidentStatus.Resolved);
  });
});

describe('notes', () => {
  it('records a note from a person in the timeline', async () => {
    const w = world();
    const incident = await openedIncident(w);

    await note(w, incident, NON_APPROVER, 'rotated in CI');

    expect((await eventsOfType(w, incident.id, TimelineEventType.NoteAdded)).map((e) => [e.actor, e.summary])).toEqual([[NON_APPROVER, 'rotated in CI']]);
  });

  it('keeps the note when Slack cannot show it', async () => {
    const w = world();
    const incident = await openedIncident(w);
    w.notifier.faults.fail('postNote', new Error('slack down'));

    await note(w, incident, NON_APPROVER, 'seen in a gist');

    expect(await eventsOfType(w, incident.id, TimelineEventType.NoteAdded)).toHaveLength(1);
    expect((await open(w, incident.keyId)).kind).toBe('already-open');
  });
});
