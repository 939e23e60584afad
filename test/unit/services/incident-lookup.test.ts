import { describe, expect, it } from 'vitest';
import { IncidentStatus } from '../../../src/domain/incident/incident.js';
import { MAX_RESOLVED_LISTED, RESOLVED_LISTED_DAYS } from '../../../src/services/list-incidents.js';
import { changeStatus, exposedKey, find, list, openedIncident, storedIncident, world } from './support.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('finding an incident by what a command names', () => {
  it('finds a key\'s incident by its key id after it is resolved, as a postmortem needs', async () => {
    const w = world();
    const incident = await openedIncident(w, exposedKey(w));
    await changeStatus(w, incident, IncidentStatus.Resolved, undefined, 'rotated');

    expect(await find(w, incident.keyId)).toMatchObject({ id: incident.id, status: IncidentStatus.Resolved, resolution: 'rotated' });
    expect(await find(w, incident.id)).toMatchObject({ id: incident.id, status: IncidentStatus.Resolved });
  });

  it('by key id, finds the incident holding the key open, else the one opened last', async () => {
    const w = world();
    const keyId = exposedKey(w);
    const first = await openedIncident(w, keyId);
    await changeStatus(w, first, IncidentStatus.Resolved);
    w.clock.advance(DAY_MS);
    const second = await openedIncident(w, keyId);
    expect((await find(w, keyId))?.id).toBe(second.id);

    await changeStatus(w, second, IncidentStatus.Resolved);
    expect((await find(w, keyId))?.id).toBe(second.id);

    await changeStatus(w, await storedIncident(w, first.id), IncidentStatus.Open);
    expect(await find(w, keyId)).toMatchObject({ id: first.id, status: IncidentStatus.Open });
  });

  it('finds nothing for a key no incident was opened for, or an id that is no incident\'s', async () => {
    const w = world();
    await openedIncident(w, exposedKey(w));
    expect(await find(w, exposedKey(w))).toBeUndefined();
    expect(await find(w, 'KI-000000')).toBeUndefined();
    expect(await find(w, 'not-a-ref')).toBeUndefined();
  });
});

describe('listing incidents', () => {
  it('lists the open incidents newest first, then those resolved lately, last resolved first, a few at most', async () => {
    const w = world();
    const longAgo = await openedIncident(w, exposedKey(w));
    await changeStatus(w, longAgo, IncidentStatus.Resolved);
    w.clock.advance((RESOLVED_LISTED_DAYS + 1) * DAY_MS);
    const resolved = [];
    for (let n = 0; n < MAX_RESOLVED_LISTED + 1; n += 1) {
      w.clock.advance(60_000);
      const incident = await openedIncident(w, exposedKey(w));
      resolved.push(incident);
      await changeStatus(w, incident, IncidentStatus.Resolved);
    }
    w.clock.advance(60_000);
    const olderOpen = await openedIncident(w, exposedKey(w));
    w.clock.advance(60_000);
    const newerOpen = await openedIncident(w, exposedKey(w));

    const listing = await list(w);

    expect(listing.open.map((l) => l.incident.id)).toEqual([newerOpen.id, olderOpen.id]);
    expect(listing.openCount).toBe(2);
    expect(listing.resolved.map((l) => l.incident.id)).toEqual(resolved.slice(1).reverse().map((i) => i.id));
    expect(listing.resolvedDays).toBe(RESOLVED_LISTED_DAYS);
    expect(listing.open[0]?.permalink).toMatch(/^https:/);
  });

  it('lists a reopened incident as open only', async () => {
    const w = world();
    const incident = await openedIncident(w, exposedKey(w));
    await changeStatus(w, incident, IncidentStatus.Resolved);
    await changeStatus(w, await storedIncident(w, incident.id), IncidentStatus.Open);

    const listing = await list(w);

    expect(listing.open.map((l) => l.incident.id)).toEqual([incident.id]);
    expect(listing.resolved).toEqual([]);
  });
});
