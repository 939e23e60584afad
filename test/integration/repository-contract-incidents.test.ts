/** The same cases against the DynamoDB incident repository and its in-memory fake, so the fake cannot drift. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_UPDATE } from '../../src/adapters/dynamodb/dynamo-incident-repository.js';
import {
  IncidentAlreadyOpenError, IncidentIdTakenError, IncidentNotFoundError, KeyIncidentError, StaleIncidentError,
} from '../../src/domain/errors.js';
import { IncidentStatus, TimelineEventType } from '../../src/domain/incident/incident.js';
import type { IncidentRepository } from '../../src/ports/incident-repository.js';
import { MAX_EVENTS_PER_UPDATE as MEMORY_MAX_EVENTS } from '../fakes/memory/memory-incident-repository.js';
import { type Repositories, REPOSITORIES } from '../support/repository-contract.js';
import { aKeyId, anEvent, anIncident } from '../support/incident-builders.js';

const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (err: unknown) => err);

it('the in-memory repository takes as many events per update as the DynamoDB one', () => {
  expect(MEMORY_MAX_EVENTS).toBe(MAX_EVENTS_PER_UPDATE);
});

describe.each(REPOSITORIES)('IncidentRepository contract: $name', ({ make }) => {
  let repos: Repositories;
  let repo: IncidentRepository;
  beforeAll(async () => {
    repos = await make();
    repo = repos.incidents;
  });
  afterAll(() => repos?.dispose());

  const opened = async (overrides = {}) => {
    const incident = anIncident(overrides);
    const event = anEvent(incident);
    await repo.create(incident, event);
    return { incident, event };
  };

  it('stores a new incident with its first event and its key guard', async () => {
    const { incident, event } = await opened({ note: 'found in a gist', teamId: 'T0TEAM' });
    expect(await repo.get(incident.id)).toEqual(incident);
    expect(await repo.findOpenByKey(incident.keyId)).toEqual(incident);
    expect(await repo.events(incident.id)).toEqual([event]);
  });

  it('refuses a second incident for an open key, naming the one that holds it', async () => {
    const { incident } = await opened();
    const second = anIncident({ keyId: incident.keyId });
    const error = await caught(repo.create(second, anEvent(second)));
    expect(error).toBeInstanceOf(IncidentAlreadyOpenError);
    expect(error).toMatchObject({ existingIncidentId: incident.id, keyId: incident.keyId });
    expect(await repo.get(second.id)).toBeUndefined();
  });

  it('refuses an incident id that is taken and leaves the new key free', async () => {
    const { incident } = await opened();
    const clash = anIncident({ id: incident.id });
    await expect(repo.create(clash, anEvent(clash))).rejects.toBeInstanceOf(IncidentIdTakenError);
    expect(await repo.findOpenByKey(clash.keyId)).toBeUndefined();
  });

  it('refuses an incident too large for one item before writing anything', async () => {
    const incident = anIncident({ note: 'x'.repeat(410 * 1024) });
    await expect(repo.create(incident, anEvent(incident))).rejects.toMatchObject({ code: 'item_too_large' });
    expect(await repo.findOpenByKey(incident.keyId)).toBeUndefined();
  });

  it('stores the next version with its events, and refuses a stale version', async () => {
    const { incident, event } = await opened();
    const note = anEvent(incident, { at: '2025-03-01T10:05:00.000Z', type: TimelineEventType.NoteAdded });
    const stored = await repo.update({ ...incident, rootTs: '1740823200.000100' }, [note]);
    expect(stored.version).toBe(2);
    expect(await repo.get(incident.id)).toMatchObject({ version: 2, rootTs: '1740823200.000100' });
    const error = await caught(repo.update({ ...incident, note: 'late' }, []));
    expect(error).toBeInstanceOf(StaleIncidentError);
    expect(error).toMatchObject({ incidentId: incident.id, expectedVersion: 1 });
    expect(await repo.events(incident.id)).toEqual([event, note]);
  });

  it('refuses to update an incident that does not exist', async () => {
    await expect(repo.update(anIncident(), [])).rejects.toBeInstanceOf(IncidentNotFoundError);
  });

  it('refuses an update whose event is already recorded, and changes nothing', async () => {
    const { incident, event } = await opened();
    const error = await caught(repo.update(incident, [event]));
    expect(error).toBeInstanceOf(KeyIncidentError);
    expect(error).toMatchObject({ code: 'event_already_recorded' });
    expect((await repo.get(incident.id))?.version).toBe(1);
  });

  it('refuses events of another incident', async () => {
    const { incident } = await opened();
    await expect(repo.update(incident, [anEvent(anIncident())])).rejects.toBeInstanceOf(RangeError);
  });

  it('releases the key when the incident is resolved, and lists it no more', async () => {
    const { incident } = await opened();
    await repo.update({ ...incident, status: IncidentStatus.Resolved }, []);
    expect(await repo.findOpenByKey(incident.keyId)).toBeUndefined();
    expect((await repo.listOpen()).map((i) => i.id)).not.toContain(incident.id);
    const next = anIncident({ keyId: incident.keyId });
    await repo.create(next, anEvent(next));
    expect((await repo.findOpenByKey(incident.keyId))?.id).toBe(next.id);
  });

  it('keeps a newer incident\'s guard when an older one of the same key is written again', async () => {
    const { incident } = await opened();
    const resolved = await repo.update({ ...incident, status: IncidentStatus.Resolved }, []);
    const { incident: newer } = await opened({ keyId: incident.keyId });
    await repo.update({ ...resolved, resolution: 'rotated' }, []);
    expect((await repo.findOpenByKey(incident.keyId))?.id).toBe(newer.id);
  });

  it('reopens a resolved incident and takes its key back', async () => {
    const { incident } = await opened();
    const resolved = await repo.update({ ...incident, status: IncidentStatus.Resolved }, []);
    const reopened = anEvent(incident, { type: TimelineEventType.IncidentReopened, at: '2025-03-01T11:00:00.000Z' });
    const stored = await repo.reopen({ ...resolved, status: IncidentStatus.Open }, [reopened]);
    expect(stored.version).toBe(3);
    expect((await repo.findOpenByKey(incident.keyId))?.id).toBe(incident.id);
    expect((await repo.listOpen()).map((i) => i.id)).toContain(incident.id);
    expect((await repo.events(incident.id)).at(-1)).toEqual(reopened);
  });

  it('refuses to reopen when another incident holds the key, naming it', async () => {
    const { incident } = await opened();
    const resolved = await repo.update({ ...incident, status: IncidentStatus.Resolved }, []);
    const { incident: other } = await opened({ keyId: incident.keyId });
    const error = await caught(repo.reopen({ ...resolved, status: IncidentStatus.Open }, []));
    expect(error).toBeInstanceOf(IncidentAlreadyOpenError);
    expect(error).toMatchObject({ existingIncidentId: other.id });
    expect((await repo.get(incident.id))?.status).toBe(IncidentStatus.Resolved);
  });

  it('refuses to reopen from a stale version', async () => {
    const { incident } = await opened();
    await repo.update({ ...incident, status: IncidentStatus.Resolved }, []);
    await expect(repo.reopen({ ...incident, status: IncidentStatus.Open }, [])).rejects.toBeInstanceOf(StaleIncidentError);
  });

  it('finds a key\'s incident by its key id after it is resolved', async () => {
    const { incident } = await opened();
    const resolved = await repo.update({ ...incident, status: IncidentStatus.Resolved, resolvedAt: '2025-03-01T12:00:00.000Z' }, []);
    expect(await repo.findOpenByKey(incident.keyId)).toBeUndefined();
    expect(await repo.findLatestByKey(incident.keyId)).toEqual(resolved);
    expect(await repo.findLatestByKey(aKeyId())).toBeUndefined();
  });

  it('by key id, finds the incident holding the key open, else the one opened last', async () => {
    const { incident: older } = await opened({ openedAt: '2025-03-01T09:00:00.000Z' });
    expect((await repo.findLatestByKey(older.keyId))?.id).toBe(older.id);
    const olderResolved = await repo.update({ ...older, status: IncidentStatus.Resolved, resolvedAt: '2025-03-01T10:00:00.000Z' }, []);
    const { incident: newer } = await opened({ keyId: older.keyId, openedAt: '2025-03-02T09:00:00.000Z' });
    await repo.update({ ...newer, status: IncidentStatus.Resolved, resolvedAt: '2025-03-02T10:00:00.000Z' }, []);
    expect((await repo.findLatestByKey(older.keyId))?.id).toBe(newer.id);
    await repo.reopen({ ...olderResolved, status: IncidentStatus.Open, resolvedAt: undefined }, []);
    expect(await repo.findLatestByKey(older.keyId)).toMatchObject({ id: older.id, status: IncidentStatus.Open });
  });

  it('lists resolved incidents last resolved first, from a time on, at most as many as asked', async () => {
    const resolve = async (resolvedAt: string) => {
      const { incident } = await opened();
      return repo.update({ ...incident, status: IncidentStatus.Resolved, resolvedAt }, []);
    };
    const tooOld = await resolve('2031-01-31T23:59:59.999Z');
    const first = await resolve('2031-02-01T08:00:00.000Z');
    const second = await resolve('2031-02-02T08:00:00.000Z');
    const third = await resolve('2031-02-03T08:00:00.000Z');
    const ids = async (limit: number) => (await repo.listRecentlyResolved('2031-02-01T00:00:00Z', limit)).map((i) => i.id);
    expect(await ids(10)).toEqual([third.id, second.id, first.id]);
    expect(await ids(2)).toEqual([third.id, second.id]);
    expect(await ids(10)).not.toContain(tooOld.id);
  });

  it('lists an incident as resolved no more once reopened, and once again at its new time when resolved again', async () => {
    const { incident } = await opened();
    const resolved = await repo.update({ ...incident, status: IncidentStatus.Resolved, resolvedAt: '2032-01-01T08:00:00.000Z' }, []);
    const listed = async () => (await repo.listRecentlyResolved('2032-01-01T00:00:00.000Z', 10)).map((i) => [i.id, i.resolvedAt]);
    expect(await listed()).toEqual([[incident.id, '2032-01-01T08:00:00.000Z']]);
    const reopened = await repo.reopen({ ...resolved, status: IncidentStatus.Open, resolvedAt: undefined }, []);
    expect(await listed()).toEqual([]);
    await repo.update({ ...reopened, status: IncidentStatus.Resolved, resolvedAt: '2032-01-02T08:00:00.000Z' }, []);
    expect(await listed()).toEqual([[incident.id, '2032-01-02T08:00:00.000Z']]);
  });

  it('resolves an incident with as many events as an update takes', async () => {
    const { incident } = await opened();
    const events = Array.from({ length: MAX_EVENTS_PER_UPDATE }, (_, n) => anEvent(incident, { at: `2025-03-01T10:01:${String(n % 60).padStart(2, '0')}.000Z` }));
    await repo.update({ ...incident, status: IncidentStatus.Resolved, resolvedAt: '2025-03-01T11:00:00.000Z' }, events);
    expect(await repo.events(incident.id)).toHaveLength(MAX_EVENTS_PER_UPDATE + 1);
    expect((await repo.findLatestByKey(incident.keyId))?.status).toBe(IncidentStatus.Resolved);
  });

  it('appends an event once and refuses the same event again', async () => {
    const { incident } = await opened();
    const note = anEvent(incident, { id: 'msg-1740823300.000100', type: TimelineEventType.NoteAdded, at: '2025-03-01T10:10:00.000Z' });
    await repo.append(note);
    await expect(repo.append(note)).rejects.toMatchObject({ code: 'event_already_recorded' });
    expect((await repo.events(incident.id)).filter((e) => e.id === note.id)).toHaveLength(1);
  });

  it('gives events oldest first, ties broken by id, whatever the time\'s notation', async () => {
    const { incident, event } = await opened();
    const b = anEvent(incident, { id: '01B', at: '2025-03-01T10:02:00.000Z' });
    const a = anEvent(incident, { id: '01A', at: '2025-03-01T10:02:00Z' });
    const early = anEvent(incident, { id: '01Z', at: '2025-03-01T10:01:00.000Z' });
    for (const e of [b, a, early]) await repo.append(e);
    const ids = (await repo.events(incident.id)).map((e) => e.id);
    expect(ids).toEqual([event.id, early.id, a.id, b.id]);
    const streamed: string[] = [];
    for await (const e of repo.streamEvents(incident.id)) streamed.push(e.id);
    expect(streamed).toEqual(ids);
  });

  it('lists open and contained incidents newest first', async () => {
    const { incident: older } = await opened({ openedAt: '2025-03-01T09:00:00.000Z' });
    const { incident: newer } = await opened({ openedAt: '2025-03-01T12:00:00.000Z' });
    await repo.update({ ...older, status: IncidentStatus.Contained }, []);
    const ids = (await repo.listOpen()).map((i) => i.id).filter((id) => id === older.id || id === newer.id);
    expect(ids).toEqual([newer.id, older.id]);
  });

  it('finds an incident by its root message once indexed, and ignores one without a root', async () => {
    const { incident } = await opened();
    await repo.indexRoot(incident);
    const posted = await repo.update({ ...incident, rootTs: '1740823200.000200' }, []);
    expect(await repo.findByRoot(incident.channelId, '1740823200.000200')).toBeUndefined();
    await repo.indexRoot(posted);
    expect((await repo.findByRoot(incident.channelId, '1740823200.000200'))?.id).toBe(incident.id);
  });

  it('hands out copies: changing a returned incident changes nothing stored', async () => {
    const { incident } = await opened();
    const read = (await repo.get(incident.id)) as unknown as { assessment: { problems: unknown[] } };
    read.assessment.problems.push('tampered');
    expect((await repo.get(incident.id))?.assessment.problems).toEqual([]);
  });
});
