import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../src/domain/action/kinds.js';
import { BOT_ACTOR, type Incident, IncidentStatus, TimelineEventType } from '../../../src/domain/incident/incident.js';
import { changeStatus as nextStatus } from '../../../src/domain/incident/lifecycle.js';
import {
  APPROVER, assessedIncident, changeStatus, decide, decideOnly, eventsOfType, exposedKey, NON_APPROVER, note, open, openedIncident, propose,
  proposed, SECOND_APPROVER, storedAction, storedIncident, world,
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
      const action = await proposed(w, incident, kind);
      for (const approver of [APPROVER, SECOND_APPROVER].slice(0, action.approvalsRequired)) await decide(w, incident, action.id, approver);
    }

    expect((await storedIncident(w, incident.id)).status).toBe(IncidentStatus.Open);
    expect(await eventsOfType(w, incident.id, TimelineEventType.IncidentContained)).toEqual([]);
  });

  it('leaves a resolved incident resolved when an action executing as it was resolved completes', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    await decide(w, incident, (await proposed(w, incident, ActionKind.RevokeSessions)).id, APPROVER);
    const disable = await proposed(w, incident, ActionKind.DisableKey);
    const iamHeld = w.iam.faults.hold('setAccessKeyStatus');
    const approving = decideOnly(w, incident, disable.id, APPROVER);
    await iamHeld.reached;
    await changeStatus(w, await storedIncident(w, incident.id), IncidentStatus.Resolved);
    iamHeld.release();

    // Executing before `resolve` landed: it finishes.
    expect(await approving).toMatchObject({ kind: 'executed', action: { status: 'succeeded' } });
    await w.deps.background.idle();
    expect((await storedIncident(w, incident.id)).status).toBe(IncidentStatus.Resolved);
  });
});

/** The incident as `resolve` records it, without the use case's retiring of proposals that follows. */
const resolvedFrom = (incident: Incident, now: Date): Incident => nextStatus(incident, IncidentStatus.Resolved, APPROVER, now, '').incident;

describe('resolving stops actions', () => {
  it('expires pending proposals, "incident resolved", and shows them so', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const disable = await proposed(w, incident, ActionKind.DisableKey);
    const del = await proposed(w, incident, ActionKind.DeleteKey);
    await decide(w, incident, del.id, APPROVER);

    await changeStatus(w, await storedIncident(w, incident.id), IncidentStatus.Resolved);
    await w.deps.background.idle();

    for (const a of [disable, del]) expect(await storedAction(w, a)).toMatchObject({ status: 'expired', expiredBecause: 'incident-resolved' });
    expect((await eventsOfType(w, incident.id, TimelineEventType.ActionExpired)).map((e) => e.summary))
      .toEqual(expect.arrayContaining([expect.stringMatching(/^Expired: incident resolved: Disable access key/)]));
  });

  it('refuses approvals and proposals once resolved, and changes nothing in IAM', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const disable = await proposed(w, incident, ActionKind.DisableKey);
    await changeStatus(w, await storedIncident(w, incident.id), IncidentStatus.Resolved);
    const resolved = await storedIncident(w, incident.id);

    expect(await decide(w, resolved, disable.id, APPROVER)).toMatchObject({ kind: 'inactive', reason: { code: 'incident-not-active' } });
    // A click that read the incident before it was resolved finds the proposal retired.
    expect(await decide(w, incident, disable.id, APPROVER)).toMatchObject({ kind: 'unchanged' });
    expect(await propose(w, incident.id, ActionKind.RevokeSessions)).toMatchObject({ kind: 'refused', reason: { code: 'incident-not-active' } });
    expect(w.iam.writes).toEqual([]);
  });

  it('refuses an approval that read the incident open but starts executing after it was resolved', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const del = await proposed(w, incident, ActionKind.DeleteKey);
    await decide(w, incident, del.id, APPROVER);
    const writeHeld = w.actions.faults.hold('transition');
    const approving = decideOnly(w, incident, del.id, SECOND_APPROVER);
    await writeHeld.reached;
    // Resolve lands while the approval's write is on its way (the proposal it retires is not yet listed as such).
    await w.repo.update(resolvedFrom(await storedIncident(w, incident.id), w.clock.now()), []);
    writeHeld.release();

    expect(await approving).toMatchObject({ kind: 'inactive' });
    expect(w.iam.writes).toEqual([]);
    expect((await storedAction(w, del)).status).toBe('proposed');
  });

  it('takes proposals again once reopened', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    await changeStatus(w, incident, IncidentStatus.Resolved);
    await changeStatus(w, await storedIncident(w, incident.id), IncidentStatus.Open);

    expect(await propose(w, incident.id, ActionKind.DisableKey)).toMatchObject({ kind: 'proposed' });
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
