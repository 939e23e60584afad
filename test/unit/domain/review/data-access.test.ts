import { describe, expect, it } from 'vitest';
import { DataAccessTracker } from '../../../../src/domain/review/findings.js';
import { FindingCategory, type TrailEvent } from '../../../../src/domain/review/types.js';
import { ATTACKER_IP, ROOT_KEY, at, trail } from './records.js';

/** An S3 data event as CloudTrail logs it. */
const getObject = (seconds: number, bucket = 'prod-data', extra: Partial<TrailEvent> = {}): TrailEvent => ({
  ...trail({
    eventName: 'GetObject', eventSource: 's3.amazonaws.com', eventTime: at(seconds), readOnly: true,
    requestParameters: { bucketName: bucket, Host: `${bucket}.s3.us-east-1.amazonaws.com`, key: `exports/${seconds}.csv` },
  }),
  ...extra,
});

describe('bulk downloads from S3', () => {
  it('flag a bucket with 100 objects read within an hour, across the hour boundary, with the earliest read as evidence', () => {
    const tracker = new DataAccessTracker();
    // 02:40:10 to 03:00:00: the last read falls in the next clock hour.
    for (let i = 120; i > 0; i--) tracker.add(getObject(i * 10));
    const [f] = tracker.findings();
    expect(f).toMatchObject({
      category: FindingCategory.Data,
      eventName: 'GetObject',
      summary: 'Downloaded 120 objects from bucket prod-data (120 within two hours from 2026-11-28T02:00:00.000Z)',
      eventTime: at(10),
      sourceIPAddress: ATTACKER_IP,
      accessKeyId: ROOT_KEY,
      consoleUrl: 'https://console.aws.amazon.com/s3/buckets/prod-data?region=us-east-1',
    });
  });

  it('do not flag reads spread thinly over hours', () => {
    const tracker = new DataAccessTracker();
    for (let i = 0; i < 150; i++) tracker.add(getObject(i * 120));
    expect(tracker.findings()).toEqual([]);
  });

  it('ignore refused reads and other S3 calls', () => {
    const tracker = new DataAccessTracker({ minObjectsPerHour: 1 });
    tracker.add(getObject(0, 'a', { errorCode: 'AccessDenied' }));
    tracker.add(getObject(0, 'b', { eventName: 'PutObject' }));
    expect(tracker.findings()).toEqual([]);
  });

  it('track a bounded number of buckets', () => {
    const tracker = new DataAccessTracker({ minObjectsPerHour: 1, maxBuckets: 2 });
    ['a', 'b', 'c', 'c'].forEach((b, i) => tracker.add(getObject(i, b)));
    expect(tracker.findings().map((f) => f.summary.split(' ')[5])).toEqual(['a', 'b']);
    expect(tracker.untrackedReads).toBe(2);
  });
});
