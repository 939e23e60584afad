import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../src/domain/action/kinds.js';
import { TimelineEventType } from '../../../src/domain/incident/incident.js';
import { MAX_REVIEW_DAYS } from '../../../src/services/review/review-incident.js';
import { memoryKeyId } from '../../fakes/memory/index.js';
import { at, getSessionToken, iam, iamUser, sessionOf, T0 } from '../domain/review/records.js';
import {
  assessedIncident, eventsOfType, type MemoryWorld, OWNER, restart, review, storedIncident, world,
} from './support.js';

const REVIEW_STALE_MS = 15 * 60 * 1000;

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

    expect((await review(w, incident.id)).kind).toBe('already-running');
    w.clock.advance(REVIEW_STALE_MS);
    const retaken = await review(w, incident.id);

    expect(retaken).toMatchObject({ kind: 'done', incident: { review: { status: 'done' } } });
    expect(await eventsOfType(w, incident.id, TimelineEventType.ReviewStarted)).toHaveLength(2);
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
