import { describe, expect, it } from 'vitest';
import { IncidentAlreadyOpenError, SlackError } from '../../../src/domain/errors.js';
import { MAX_CONFLICT_ATTEMPTS } from '../../../src/services/shared/retry-on-conflict.js';
import { IncidentStatus, TimelineEventType } from '../../../src/domain/incident/incident.js';
import { ROOT_CLAIM_TTL_MS } from '../../../src/services/open-incident.js';
import {
  CHANNEL, changeStatus, eventTypes, eventsOfType, exposedKey, NON_APPROVER, ONCALL, open, openedIncident, storedIncident, world,
} from './support.js';

describe('opening an incident', () => {
  it('stores it, posts its root once, records both and indexes the root for thread replies', async () => {
    const w = world();
    const keyId = exposedKey(w);

    const outcome = await open(w, keyId, { note: 'found in a gist' });

    expect(outcome).toMatchObject({ kind: 'opened', incident: { keyId, status: IncidentStatus.Open, note: 'found in a gist' } });
    const incident = await storedIncident(w, outcome.incident.id);
    expect(incident.rootTs).toBe(w.notifier.of('postRoot')[0]!.ts);
    expect(await eventTypes(w, incident.id)).toEqual([TimelineEventType.IncidentOpened, TimelineEventType.RootMessagePosted]);
    expect((await w.repo.findByRoot(CHANNEL, incident.rootTs!))?.id).toBe(incident.id);
  });

  it('points a second request for the key to the open incident, with a link, and records the ask', async () => {
    const w = world();
    const incident = await openedIncident(w);

    const again = await open(w, incident.keyId, { userId: NON_APPROVER, channelId: 'C0OTHER' });

    expect(again).toMatchObject({ kind: 'already-open', incident: { id: incident.id }, permalink: expect.any(String) });
    expect((await eventsOfType(w, incident.id, TimelineEventType.IncidentRequestedAgain)).map((e) => e.actor)).toEqual([NON_APPROVER]);
    expect(w.notifier.of('postRoot')).toHaveLength(1);
  });

  it('ignores Slack\'s retry of the opening request and records nothing more', async () => {
    const w = world();
    const incident = await openedIncident(w);
    const before = await storedIncident(w, incident.id);

    expect((await open(w, incident.keyId, { isRetry: true })).kind).toBe('retry-ignored');

    expect(await storedIncident(w, incident.id)).toEqual(before);
    expect(await eventsOfType(w, incident.id, TimelineEventType.IncidentRequestedAgain)).toEqual([]);
  });

  it('ignores the original request arriving after its own retry opened the incident', async () => {
    const w = world();
    const keyId = exposedKey(w);
    const opened = await open(w, keyId, { isRetry: true, triggerId: 'trig-1' });

    expect((await open(w, keyId, { triggerId: 'trig-1' })).kind).toBe('retry-ignored');
    expect((await open(w, keyId, { triggerId: 'trig-2' })).kind).toBe('already-open');
    expect(await eventsOfType(w, opened.incident.id, TimelineEventType.IncidentRequestedAgain)).toHaveLength(1);
  });

  it('tells a second person the incident is being opened while the first still posts its root', async () => {
    const w = world();
    const keyId = exposedKey(w);
    const posting = w.notifier.faults.hold('postRoot');

    const first = open(w, keyId);
    await posting.reached;
    const second = await open(w, keyId, { userId: NON_APPROVER });
    const retry = await open(w, keyId, { isRetry: true });
    posting.release();

    expect(second.kind).toBe('being-opened');
    expect(retry.kind).toBe('retry-ignored');
    expect((await first).kind).toBe('opened');
    expect(w.notifier.of('postRoot')).toHaveLength(1);
  });

  it('takes over posting the root once a crashed opener\'s claim is stale', async () => {
    const w = world();
    const keyId = exposedKey(w);
    w.notifier.faults.fail('postRoot', new Error('process killed'));
    await expect(open(w, keyId)).rejects.toThrow('process killed');

    expect((await open(w, keyId, { userId: NON_APPROVER })).kind).toBe('being-opened');
    w.clock.advance(ROOT_CLAIM_TTL_MS);
    const taken = await open(w, keyId, { userId: NON_APPROVER });

    expect(taken).toMatchObject({ kind: 'opened', incident: { rootTs: expect.any(String) } });
    expect(await w.repo.listOpen()).toHaveLength(1);
    expect(await eventsOfType(w, taken.incident.id, TimelineEventType.RootMessagePosted)).toHaveLength(1);
  });

  it('closes the incident when Slack refuses the post, so the key is free and the next request opens it where it can post', async () => {
    const w = world();
    const keyId = exposedKey(w);
    w.notifier.faults.fail('postRoot', new SlackError('not_in_channel', 'chat.postMessage'));

    const refused = await open(w, keyId);

    expect(refused).toMatchObject({ kind: 'cannot-post', slackError: 'not_in_channel' });
    const closed = await storedIncident(w, refused.incident.id);
    expect(closed).toMatchObject({ status: IncidentStatus.Resolved, resolution: expect.stringContaining('not_in_channel') });
    expect(closed.rootClaimedAt).toBeUndefined();
    expect(await w.repo.findOpenByKey(keyId)).toBeUndefined();
    expect((await eventsOfType(w, closed.id, TimelineEventType.SlackProblem)).map((e) => e.details.slackError)).toEqual(['not_in_channel']);
    const invited = await open(w, keyId);
    expect(invited).toMatchObject({ kind: 'opened', incident: { rootTs: expect.any(String) } });
    expect(invited.incident.id).not.toBe(closed.id);
  });

  it('frees the key when opened from a direct message the bot cannot post in', async () => {
    const w = world();
    const keyId = exposedKey(w);
    w.notifier.faults.fail('postRoot', new SlackError('channel_not_found', 'chat.postMessage'));

    expect(await open(w, keyId, { channelId: 'D0DIRECT' })).toMatchObject({ kind: 'cannot-post', slackError: 'channel_not_found' });
    expect(await open(w, keyId, { channelId: CHANNEL })).toMatchObject({ kind: 'opened', incident: { channelId: CHANNEL } });
  });

  it('waits, growing, while the key\'s guard names a missing incident, and opens once it clears', async () => {
    const w = world();
    const keyId = exposedKey(w);
    w.table.keyGuards.set(keyId, 'KI-MISSING');
    // The guard clears after a while (well beyond a few immediate retries).
    const cleared = setTimeout(() => w.table.keyGuards.delete(keyId), 300);

    const opened = await open(w, keyId);

    clearTimeout(cleared);
    expect(opened.kind).toBe('opened');
    expect(w.repo.faults.argsOf('get').filter(([id]) => id === 'KI-MISSING').length).toBeLessThan(MAX_CONFLICT_ATTEMPTS);
  });

  it('gives up after a bounded number of tries when the guard never clears', async () => {
    const w = world();
    const keyId = exposedKey(w);
    w.table.keyGuards.set(keyId, 'KI-MISSING');

    await expect(open(w, keyId)).rejects.toBeInstanceOf(IncidentAlreadyOpenError);
    expect(w.repo.faults.argsOf('get').filter(([id]) => id === 'KI-MISSING')).toHaveLength(MAX_CONFLICT_ATTEMPTS);
  }, 15_000);

  it('draws another id when the one drawn is taken', async () => {
    const w = world();
    const first = await openedIncident(w);
    w.ids.queueIncidentIds(first.id, first.id);

    const second = await open(w, exposedKey(w));

    expect(second.kind).toBe('opened');
    expect(second.incident.id).not.toBe(first.id);
    expect((await storedIncident(w, first.id)).keyId).toBe(first.keyId);
  });

  it('opens a new incident for a key whose incident was resolved', async () => {
    const w = world();
    const first = await openedIncident(w);
    await changeStatus(w, first, IncidentStatus.Resolved);

    const next = await open(w, first.keyId, { userId: ONCALL });

    expect(next.kind).toBe('opened');
    expect(next.incident.id).not.toBe(first.id);
  });
});
