import { describe, expect, it, vi } from 'vitest';
import { ActionKind } from '../../../src/domain/action/kinds.js';
import { TimelineEventType } from '../../../src/domain/incident/incident.js';
import { MAX_CREDENTIALS } from '../../../src/domain/review/derived-credentials.js';
import type { ReviewSettings } from '../../../src/services/deps.js';
import { MAX_REVIEW_DAYS } from '../../../src/services/review/review-incident.js';
import { MEMORY_REVIEW_LEASE_MS, memoryKeyId } from '../../fakes/memory/index.js';
import { at, getSessionToken, iam, iamUser, sessionOf, T0, trail } from '../domain/review/records.js';
import {
  assessedIncident, eventsOfType, type MemoryWorld, OWNER, restart, review, storedIncident, world,
} from './support.js';


const readOnlyCall = (keyId: string, time: string, awsRegion: string) =>
  iam('ListUsers', null, null, { userIdentity: iamUser(OWNER, keyId), eventTime: time, readOnly: true, awsRegion });

/** `events` calls of the exposed key in eu-west-1, a second apart, ten to a page, and a review of them under `settings`. */
async function cappedReview(settings: Partial<ReviewSettings>, events: number) {
  const w = reviewWorld();
  w.trail.pageSize = 10;
  const incident = await assessedIncident(w);
  for (let i = 0; i < events; i++) w.trail.add(readOnlyCall(incident.keyId, at(i), 'eu-west-1'));
  const deps = { ...w.deps, review: { ...w.deps.review, regions: ['eu-west-1'], ...settings } };
  return { w, incident, run: () => review({ ...w, deps }, incident.id) };
}

/** A world whose clock stands an hour after the records' time. */
function reviewWorld(): MemoryWorld {
  const w = world();
  w.clock.set(new Date(Date.parse(T0) + 60 * 60 * 1000));
  return w;
}

describe('reviewing what the key did', () => {
  it('records the review, its findings, and proposes removing what the key created', async () => {
    const w = reviewWorld();
    const incident = await assessedIncident(w);
    w.trail.add(iam('CreateAccessKey', { userName: 'backup-admin' }, {
      accessKey: { accessKeyId: 'AKIANEWKEY0000000001', status: 'Active', userName: 'backup-admin', createDate: 'Nov 28, 2026 2:40:00 AM' },
    }, { userIdentity: iamUser(OWNER, incident.keyId), eventTime: at(60) }));

    const outcome = await review(w, incident.id);

    expect(outcome).toMatchObject({ kind: 'done', incident: { review: { status: 'done', events: 1, findings: 1 } } });
    expect(await eventsOfType(w, incident.id, TimelineEventType.ReviewStarted)).toHaveLength(1);
    expect(await eventsOfType(w, incident.id, TimelineEventType.ReviewFinding)).toHaveLength(1);
    expect(await eventsOfType(w, incident.id, TimelineEventType.ReviewCompleted)).toHaveLength(1);
    const cleanup = (await w.actions.list(incident.id)).find((a) => a.kind === ActionKind.DeleteKey);
    expect(cleanup?.target).toMatchObject({ userName: 'backup-admin', keyId: 'AKIANEWKEY0000000001' });
  });

  it('records one finding per secret read many times, with its count, in the timeline and the thread', async () => {
    const w = reviewWorld();
    const incident = await assessedIncident(w);
    for (let i = 0; i < 40; i++) {
      w.trail.add(trail({ eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', requestParameters: { secretId: 'prod/db' }, userIdentity: iamUser(OWNER, incident.keyId), eventTime: at(i), awsRegion: 'eu-west-1' }));
    }

    const outcome = await review(w, incident.id);

    expect(outcome).toMatchObject({ kind: 'done', incident: { review: { events: 40, findings: 1 } } });
    const [finding, ...more] = await eventsOfType(w, incident.id, TimelineEventType.ReviewFinding);
    expect(more).toEqual([]);
    expect(finding?.details).toMatchObject({ count: 40, firstSeen: at(0), lastSeen: at(39) });
    expect((finding?.details['sampleEventIds'] as unknown[]).length).toBe(5);
    const shown = w.notifier.of('postReviewResult')[0]?.result;
    expect(shown?.findings.map((f) => f.count)).toEqual([40]);
  });

  it('keeps the completed event within a DynamoDB item however many keys were minted', async () => {
    const w = reviewWorld();
    const incident = await assessedIncident(w);
    for (let i = 0; i < 150; i++) w.trail.add(getSessionToken({ by: iamUser(OWNER, incident.keyId), newKey: memoryKeyId(1000 + i, 'ASIA'), time: at(i) }));

    await review(w, incident.id);

    const [completed] = await eventsOfType(w, incident.id, TimelineEventType.ReviewCompleted);
    expect(completed?.details).toMatchObject({ keysScanned: 151 });
    expect(completed?.details['temporaryKeys']).toHaveLength(100);
  });

  it('follows every temporary key it keeps, and counts the ones minted past its cap as not read', async () => {
    const w = reviewWorld();
    const incident = await assessedIncident(w);
    for (let i = 0; i < MAX_CREDENTIALS + 5; i++) w.trail.add(getSessionToken({ by: iamUser(OWNER, incident.keyId), newKey: memoryKeyId(10_000 + i, 'ASIA'), time: at(i) }));

    await review(w, incident.id);

    const stored = (await storedIncident(w, incident.id)).review;
    expect(stored?.problems).toEqual([`5 temporary keys past the first ${MAX_CREDENTIALS} not read`]);
    expect(stored?.verdict).toContain('partial review');
    const [completed] = await eventsOfType(w, incident.id, TimelineEventType.ReviewCompleted);
    expect(completed?.details).toMatchObject({ keysScanned: MAX_CREDENTIALS + 1 });
  });

  it('proposes no clean-up in the bot\'s account when a re-assessment cleared the key\'s account meanwhile, and says so', async () => {
    const w = reviewWorld();
    const member = '444455556666';
    w.organizations.withAccounts({ id: member, name: 'Workloads' });
    const iamThere = w.accounts.account(member).iam;
    iamThere.addUser(OWNER);
    const keyId = iamThere.addKey(OWNER);
    w.sts.keyAccounts.set(keyId, member);
    const incident = await assessedIncident(w, keyId);
    w.accounts.account(member).trail.add(iam('CreateAccessKey', { userName: 'backup-admin' }, {
      accessKey: { accessKeyId: 'AKIANEWKEY0000000001', status: 'Active', userName: 'backup-admin', createDate: 'Nov 28, 2026 2:40:00 AM' },
    }, { userIdentity: iamUser(OWNER, keyId), eventTime: at(60) }));

    // `assess` clears the assessment while the review reads CloudTrail.
    const outcome = await review(w, incident.id, undefined, undefined, async (claimed) => expect((await restart(w, claimed.id)).kind).toBe('restarted'));

    expect(outcome).toMatchObject({ kind: 'done', incident: { review: { findings: 1 } } });
    expect(await w.actions.list(incident.id)).toEqual([]);
    expect(w.notifier.of('postNote').map((n) => n.text)).toEqual(['cleanups-not-proposed']);
  });

  it('follows the temporary keys the key minted', async () => {
    const w = reviewWorld();
    const incident = await assessedIncident(w);
    const minted = memoryKeyId(500, 'ASIA');
    w.trail.add(
      getSessionToken({ by: iamUser(OWNER, incident.keyId), newKey: minted, time: at(10) }),
      iam('ListUsers', null, null, { userIdentity: sessionOf(OWNER, minted), eventTime: at(20), readOnly: true }),
    );

    const outcome = await review(w, incident.id);

    expect(outcome).toMatchObject({ kind: 'done', incident: { review: { events: 2, temporaryKeys: 1 } } });
    expect(w.trail.faults.argsOf('lookupByAccessKey').map((args) => args[1])).toContain(minted);
  });

  it('records a region it could not read as a problem, and still completes', async () => {
    const w = reviewWorld();
    const incident = await assessedIncident(w);
    w.trail.failRegion('eu-west-1');

    const outcome = await review(w, incident.id);

    expect(outcome.kind).toBe('done');
    expect((await storedIncident(w, incident.id)).review?.problems).toEqual([`eu-west-1 (${incident.keyId}): AccessDeniedException`]);
  });

  it('runs one review at a time: a second request while one runs is refused and not announced', async () => {
    const w = reviewWorld();
    const incident = await assessedIncident(w);
    const reading = w.trail.faults.hold('lookupByAccessKey');
    const started: string[] = [];

    const first = review(w, incident.id, undefined, undefined, async (i) => started.push(i.id));
    await reading.reached;
    const second = await review(w, incident.id, undefined, undefined, async (i) => started.push(i.id));
    reading.release();

    expect(second.kind).toBe('already-running');
    expect((await first).kind).toBe('done');
    expect(started).toEqual([incident.id]);
    expect(await eventsOfType(w, incident.id, TimelineEventType.ReviewStarted)).toHaveLength(1);
  });

  it('takes over a review a crash left running once its claim is stale', async () => {
    const w = reviewWorld();
    const incident = await assessedIncident(w);
    w.trail.faults.fail('lookupByAccessKey', new Error('process killed'));
    await expect(review(w, incident.id)).rejects.toThrow('process killed');
    expect((await storedIncident(w, incident.id)).review?.status).toBe('running');

    w.clock.advance(MEMORY_REVIEW_LEASE_MS - 1);
    expect((await review(w, incident.id)).kind).toBe('already-running');
    w.clock.advance(1);
    const retaken = await review(w, incident.id);

    expect(retaken).toMatchObject({ kind: 'done', incident: { review: { status: 'done' } } });
    expect(await eventsOfType(w, incident.id, TimelineEventType.ReviewStarted)).toHaveLength(2);
  });

  it('stops reading a region at its page cap and records what was not read', async () => {
    const { w, incident, run } = await cappedReview({ regions: ['eu-west-1', 'us-east-1'], maxPagesPerRegion: 2 }, 50);
    w.trail.add(readOnlyCall(incident.keyId, at(0), 'us-east-1'));

    const outcome = await run();

    // Newest first: the 20 latest were read, nothing before the oldest of them.
    expect(outcome).toMatchObject({ kind: 'done', incident: { review: { events: 21 } } });
    const stored = (await storedIncident(w, incident.id)).review;
    expect(stored?.unread).toEqual([{ region: 'eu-west-1', accessKeyId: incident.keyId, before: at(30), cap: 'pages' }]);
    expect(stored?.verdict).toContain('partial review');
  });

  it('never calls a review clean when a region could not be read', async () => {
    const { w, incident, run } = await cappedReview({ regions: ['eu-west-1', 'us-east-1'] }, 3);
    w.trail.failRegion('us-east-1');

    await run();

    const stored = (await storedIncident(w, incident.id)).review;
    expect(stored?.verdict).toContain('(partial review: not all of CloudTrail was read)');
  });

  it('stops reading a region once its time is up, and says so', async () => {
    const { w, incident, run } = await cappedReview({ maxSecondsPerRegion: 60 }, 50);
    // Each page takes 25 s of the test's clock: the third is the last one read.
    w.trail.onPage = () => w.clock.advance(25_000);

    await run();

    expect((await storedIncident(w, incident.id)).review).toMatchObject({ events: 30, unread: [{ region: 'eu-west-1', before: at(20), cap: 'time' }] });
  });

  it('does not call a review that read everything at its cap partial', async () => {
    const { w, incident, run } = await cappedReview({ maxPagesPerRegion: 2 }, 20);

    await run();

    expect((await storedIncident(w, incident.id)).review).toMatchObject({ events: 20 });
    expect((await storedIncident(w, incident.id)).review?.unread).toBeUndefined();
  });

  it('renews a running review’s claim, so a live review is never taken as dead', async () => {
    const w = reviewWorld();
    const deps = { ...w.deps, review: { ...w.deps.review, leaseMs: 30 } };
    const incident = await assessedIncident(w);
    const reading = w.trail.faults.hold('lookupByAccessKey');
    const first = review({ ...w, deps }, incident.id);
    await reading.reached;

    // Far past the life of a claim that is not renewed.
    w.clock.advance(20 * 60 * 1000);
    const now = w.clock.now().toISOString();
    await vi.waitFor(async () => expect((await storedIncident(w, incident.id)).review?.renewedAt).toBe(now));
    const second = await review({ ...w, deps }, incident.id);
    reading.release();

    expect(second.kind).toBe('already-running');
    expect((await first).kind).toBe('done');
    expect(await eventsOfType(w, incident.id, TimelineEventType.ReviewStarted)).toHaveLength(1);
  });

  it('leaves a review whose claim was taken over unrecorded, and stops its reading', async () => {
    const w = reviewWorld();
    const incident = await assessedIncident(w);
    const stalled = w.trail.faults.hold('lookupByAccessKey');
    const first = review(w, incident.id);
    await stalled.reached;
    w.clock.advance(MEMORY_REVIEW_LEASE_MS);

    const second = await review(w, incident.id);
    stalled.release();

    expect(second).toMatchObject({ kind: 'done' });
    expect(await first).toMatchObject({ kind: 'superseded' });
    expect(await eventsOfType(w, incident.id, TimelineEventType.ReviewCompleted)).toHaveLength(1);
    expect((await storedIncident(w, incident.id)).review).toMatchObject({ status: 'done', startedAt: second.kind === 'done' ? second.incident.review?.startedAt : '' });
  });

  it('refuses a key of an account out of reach without claiming a review', async () => {
    const w = reviewWorld();
    const keyId = memoryKeyId(9);
    w.sts.keyAccounts.set(keyId, '444455556666');
    w.organizations.withAccounts({ id: '444455556666', name: 'Workloads' });
    w.accounts.refuse('444455556666');
    const incident = await assessedIncident(w, keyId);

    expect((await review(w, incident.id)).kind).toBe('out-of-reach');

    expect((await storedIncident(w, incident.id)).review).toBeUndefined();
    expect(w.trail.faults.calls).toEqual([]);
  });

  it('keeps the window within what CloudTrail holds', async () => {
    const w = reviewWorld();
    const incident = await assessedIncident(w);

    const outcome = await review(w, incident.id, undefined, 365);

    expect(outcome).toMatchObject({ kind: 'done', incident: { review: { days: MAX_REVIEW_DAYS } } });
  });

  it('answers not-found for an unknown incident', async () => {
    expect(await review(reviewWorld(), 'KI-FFFFFF')).toEqual({ kind: 'not-found' });
  });
});
