import { describe, expect, it } from 'vitest';
import { ActivityAggregator, OTHERS, isAccessDenied, isRead } from '../../../../src/domain/review/activity.js';
import type { TrailEvent } from '../../../../src/domain/review/types.js';
import { at, trail } from './records.js';

/** A minimal event, built without the record builder so 100,000 of them stay fast. */
function event(i: number, parts: Partial<TrailEvent> = {}): TrailEvent {
  return {
    eventId: `e${i}`,
    eventTime: at(i),
    eventName: 'DescribeInstances',
    eventSource: 'ec2.amazonaws.com',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.1',
    userAgent: 'aws-cli/2',
    ...parts,
  };
}

const denied = (i: number, region = 'us-east-1', code = 'AccessDenied') => event(i, { errorCode: code, awsRegion: region });

describe('reads and writes', () => {
  it('follows CloudTrail’s readOnly flag when present', () => {
    expect(isRead(event(0, { eventName: 'AssumeRole', readOnly: true }))).toBe(true);
    expect(isRead(event(0, { eventName: 'GetSomethingThatWrites', readOnly: false }))).toBe(false);
  });

  it('goes by the verb when the flag is missing', () => {
    expect(['GetObject', 'ListUsers', 'DescribeInstances', 'HeadBucket', 'LookupEvents'].every((n) => isRead(event(0, { eventName: n })))).toBe(true);
    expect(['CreateUser', 'RunInstances', 'PutBucketPolicy', 'Getaway'].some((n) => isRead(event(0, { eventName: n })))).toBe(false);
  });
});

describe('the activity summary', () => {
  it('counts events, reads, writes, errors, and the time span whatever the order', () => {
    const a = new ActivityAggregator();
    [event(30), event(0, { eventName: 'CreateUser', eventSource: 'iam.amazonaws.com' }), event(10, { errorCode: 'ThrottlingException' })].forEach((e) => a.add(e));
    expect(a.summary()).toMatchObject({ events: 3, reads: 2, writes: 1, errors: 1, firstEventTime: at(0), lastEventTime: at(30) });
  });

  it('leaves out of the time span times it cannot place in UTC', () => {
    const a = new ActivityAggregator();
    [event(10), event(0, { eventTime: '2026-11-28T02:00:00' }), event(20, { eventTime: 'yesterday' })].forEach((e) => a.add(e));
    expect(a.summary()).toMatchObject({ events: 3, firstEventTime: at(10), lastEventTime: at(10) });
  });

  it('lists values largest first, services without .amazonaws.com', () => {
    const a = new ActivityAggregator();
    a.add(event(0, { sourceIPAddress: '198.51.100.1' }));
    a.add(event(1));
    a.add(event(2));
    a.add(event(3, { eventSource: 'iam.amazonaws.com', awsRegion: 'us-east-1' }));
    const s = a.summary();
    expect(s.sourceIps).toEqual([{ value: '203.0.113.1', count: 3 }, { value: '198.51.100.1', count: 1 }]);
    expect(s.services).toEqual([{ value: 'ec2', count: 3 }, { value: 'iam', count: 1 }]);
  });

  it('counts values past the cap under (others)', () => {
    const a = new ActivityAggregator({ maxDistinct: 3 });
    ['a', 'b', 'c', 'd', 'e', 'a'].forEach((ua, i) => a.add(event(i, { userAgent: ua })));
    expect(a.summary().userAgents).toEqual([{ value: 'a', count: 2 }, { value: 'b', count: 1 }, { value: 'c', count: 1 }, { value: OTHERS, count: 2 }]);
    expect(a.summary({ top: 1 }).userAgents).toEqual([{ value: 'a', count: 2 }, { value: OTHERS, count: 4 }]);
  });

  it('keeps its maps small over 100,000 events from 10 IPs', () => {
    const a = new ActivityAggregator();
    for (let i = 0; i < 100_000; i++) {
      a.add(event(i, { sourceIPAddress: `203.0.113.${i % 10}`, userAgent: `agent-${i % 3}`, ...(i % 1000 === 0 && { errorCode: 'AccessDenied' }) }));
    }
    const sizes = a.trackedSizes();
    expect(sizes).toEqual({ sourceIps: 10, userAgents: 3, regions: 1, services: 1, errorMinutes: 100 });
    const s = a.summary();
    expect(s.events).toBe(100_000);
    expect(s.sourceIps).toHaveLength(10);
    expect(s.sourceIps.every((ip) => ip.count === 10_000)).toBe(true);
  });

  it('caps distinct IPs at 1,000 by default', () => {
    const a = new ActivityAggregator();
    for (let i = 0; i < 5_000; i++) a.add(event(i, { sourceIPAddress: `10.${i >> 8}.${i & 255}.1` }));
    expect(a.trackedSizes().sourceIps).toBe(1_000);
    expect(a.summary().sourceIps.at(-1)).toEqual({ value: OTHERS, count: 4_000 });
  });
});

describe('bursts of denied calls', () => {
  const scan = () => [
    ...Array.from({ length: 12 }, (_, i) => denied(i * 5)), // 12 in one minute, us-east-1
    ...Array.from({ length: 6 }, (_, i) => denied(600 + i * 20)), // 6 over adjacent minutes
    ...Array.from({ length: 6 }, (_, i) => denied(600 + i * 20, 'eu-west-1', 'Client.UnauthorizedOperation')),
    event(5), // a success in between does not break the run
  ];

  it('finds runs of at least 10 AccessDenied-like errors per region', () => {
    const a = new ActivityAggregator();
    scan().forEach((e) => a.add(e));
    expect(a.summary().errorBursts).toEqual([{ start: '2026-11-28T02:40:00.000Z', end: '2026-11-28T02:40:55.000Z', count: 12, region: 'us-east-1' }]);
  });

  it('joins adjacent minutes into one burst', () => {
    const a = new ActivityAggregator({ burstMinErrors: 6 });
    scan().forEach((e) => a.add(e));
    expect(a.summary().errorBursts.map((b) => [b.region, b.count, b.start, b.end])).toEqual([
      ['us-east-1', 12, '2026-11-28T02:40:00.000Z', '2026-11-28T02:40:55.000Z'],
      ['eu-west-1', 6, '2026-11-28T02:50:00.000Z', '2026-11-28T02:51:40.000Z'],
      ['us-east-1', 6, '2026-11-28T02:50:00.000Z', '2026-11-28T02:51:40.000Z'],
    ]);
  });

  it('are the same whatever order the events come in', () => {
    const forward = new ActivityAggregator({ burstMinErrors: 6 });
    const backward = new ActivityAggregator({ burstMinErrors: 6 });
    const shuffled = new ActivityAggregator({ burstMinErrors: 6 });
    const events = scan();
    events.forEach((e) => forward.add(e));
    [...events].reverse().forEach((e) => backward.add(e));
    [...events].sort((x, y) => (x.eventId.length * 7919 + x.eventTime.charCodeAt(17)) % 13 - (y.eventId.length * 7919 + y.eventTime.charCodeAt(17)) % 13)
      .forEach((e) => shuffled.add(e));
    expect(backward.summary()).toEqual(forward.summary());
    expect(shuffled.summary()).toEqual(forward.summary());
  });

  it('do not count other errors', () => {
    const a = new ActivityAggregator();
    Array.from({ length: 20 }, (_, i) => event(i, { errorCode: 'ThrottlingException' })).forEach((e) => a.add(e));
    expect(a.summary().errors).toBe(20);
    expect(a.summary().errorBursts).toEqual([]);
  });

  it('recognise the codes services use for a refused call', () => {
    const codes = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation', 'AuthorizationError'];
    expect(codes.every(isAccessDenied)).toBe(true);
    expect(['NoSuchEntity', 'ThrottlingException', 'InvalidClientTokenId', undefined].some(isAccessDenied)).toBe(false);
  });

  it('come through the record builder too', () => {
    const a = new ActivityAggregator({ burstMinErrors: 2 });
    a.add(trail({ eventName: 'ListUsers', eventSource: 'iam.amazonaws.com', errorCode: 'AccessDenied', eventTime: at(0) }));
    a.add(trail({ eventName: 'ListRoles', eventSource: 'iam.amazonaws.com', errorCode: 'AccessDenied', eventTime: at(1) }));
    expect(a.summary().errorBursts).toHaveLength(1);
  });
});
