/**
 * SdkCloudTrailReader through the real SDK against the fake CloudTrail. To stay fast these tests
 * scale the rate limit down on BOTH sides (2 requests per 100 ms, still enforced by the fake);
 * the documented one-second pace is tested in cloudtrail-reader-pacing.test.ts.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LookupPacer } from '../../src/adapters/cloudtrail/lookup-pacer.js';
import { SdkCloudTrailReader, type SdkCloudTrailReaderOptions } from '../../src/adapters/cloudtrail/sdk-cloudtrail-reader.js';
import type { TrailEvent } from '../../src/domain/review/types.js';
import type { TrailScan } from '../../src/ports/cloudtrail-reader.js';
import type { FakeAws } from '../fakes/fake-aws.js';
import { accessDenied, assumedRole, assumeRole, getSessionToken, history, iamUser } from '../fakes/cloudtrail-records.js';
import { type AwsUnderTest, rejection, startAwsUnderTest } from '../support/aws.js';

const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';
const KEY = 'AKIAEXPOSEDKEY000001';
const OTHER_KEY = 'AKIAOTHERUSERKEY0002';
const HOUR = 3_600_000;
const WINDOW = { requests: 2, windowMs: 100 };

let env: AwsUnderTest;
let aws: FakeAws;
// Whole seconds, as CloudTrail writes event times.
const end = new Date(Math.floor(Date.now() / 1000) * 1000);
const start = new Date(end.getTime() - 48 * HOUR);
const exposed = iamUser(ACCOUNT, 'backup-admin', KEY);

beforeAll(async () => {
  env = await startAwsUnderTest(REGION, 3);
  aws = env.aws;
});

beforeEach(() => {
  aws.reset();
  aws.cloudTrail.rateLimit = WINDOW;
});

afterAll(() => env.close());

function reader(options: SdkCloudTrailReaderOptions = {}): SdkCloudTrailReader {
  const pacer = new LookupPacer({ limit: WINDOW.requests, windowMs: WINDOW.windowMs });
  return new SdkCloudTrailReader(env.clients.cloudTrailFor, { pacer, retry: { baseMs: 20, capMs: 100 }, ...options });
}

async function collect(scan: TrailScan): Promise<TrailEvent[][]> {
  const pages: TrailEvent[][] = [];
  for await (const page of scan) pages.push(page);
  return pages;
}

function lookups(region = REGION) {
  return aws.calls.filter((c) => c.action === 'LookupEvents' && c.region === region);
}

describe('SdkCloudTrailReader: paging', () => {
  it('returns every event made with the key exactly once, newest first, 50 a page', async () => {
    const mine = history(exposed, 260, start, new Date(end.getTime() - HOUR), REGION);
    const others = history(iamUser(ACCOUNT, 'alice', OTHER_KEY), 40, start, end, REGION);
    aws.trail(REGION).add([...mine, ...others]);

    const scan = reader().lookupByAccessKey(REGION, KEY, start, end);
    const pages = await collect(scan);

    const events = pages.flat();
    expect(pages.map((p) => p.length)).toEqual([50, 50, 50, 50, 50, 10]);
    expect(events.map((e) => e.eventId).sort()).toEqual(mine.map((r) => r.eventID as string).sort());
    expect(new Set(events.map((e) => e.eventId)).size).toBe(260);
    const times = events.map((e) => Date.parse(e.eventTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(scan.pages).toBe(6);
    expect(scan.skipped).toBe(0);
    expect(lookups()[0]?.params).toMatchObject({
      LookupAttributes: JSON.stringify([{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }]),
      MaxResults: '50',
      StartTime: String(start.getTime() / 1000),
      EndTime: String(end.getTime() / 1000),
    });
    expect(lookups().slice(1).every((c) => c.params.NextToken !== undefined)).toBe(true);
  });

  it('says after each page whether CloudTrail has another, and stops asking when the caller stops', async () => {
    aws.trail(REGION).add(history(exposed, 120, start, new Date(end.getTime() - HOUR), REGION));

    const scan = reader().lookupByAccessKey(REGION, KEY, start, end);
    const more: boolean[] = [];
    for await (const page of scan) {
      more.push(scan.more);
      if (page.length > 0 && more.length === 2) break;
    }

    expect(more).toEqual([true, true]);
    expect(lookups()).toHaveLength(2);
    const all = reader().lookupByAccessKey(REGION, KEY, start, end);
    const seen: boolean[] = [];
    for await (const _page of all) seen.push(all.more);
    expect(seen).toEqual([true, true, false]);
  });

  it('keeps to the time window, both ends included', async () => {
    const at = (hoursAgo: number) => new Date(Math.floor((end.getTime() - hoursAgo * HOUR) / 1000) * 1000);
    const [before, first, inside, last, after] = [30, 24, 12, 6, 1].map((h) => history(exposed, 1, at(h), at(h), REGION)[0]!);
    aws.trail(REGION).add([before!, first!, inside!, last!, after!]);

    const events = (await collect(reader().lookupByAccessKey(REGION, KEY, at(24), at(6)))).flat();

    expect(events.map((e) => e.eventId)).toEqual([last, inside, first].map((r) => r!.eventID));
  });

  it('yields nothing, after one request, when the key did nothing', async () => {
    aws.trail(REGION).add(history(iamUser(ACCOUNT, 'alice', OTHER_KEY), 5, start, end, REGION));

    const scan = reader().lookupByAccessKey(REGION, KEY, start, end);

    expect(await collect(scan)).toEqual([]);
    expect(scan.pages).toBe(1);
    expect(lookups()).toHaveLength(1);
  });

  it('asks the Region of the scan, through that Region\'s client', async () => {
    aws.trail('ap-southeast-2').add(history(exposed, 3, start, end, 'ap-southeast-2'));
    aws.trail(REGION).add(history(exposed, 5, start, end, REGION));

    const events = (await collect(reader().lookupByAccessKey('ap-southeast-2', KEY, start, end))).flat();

    expect(events).toHaveLength(3);
    expect(events.every((e) => e.awsRegion === 'ap-southeast-2')).toBe(true);
    expect(aws.calls.map((c) => c.region)).toEqual(['ap-southeast-2']);
  });
});

describe('SdkCloudTrailReader: reading records', () => {
  it('reads what the review needs from CloudTrailEvent: identity, session, minted keys, errors', async () => {
    const minted = 'ASIAMINTEDBYEXPOSED1';
    const role = 'arn:aws:iam::111122223333:role/deploy';
    const t = (minutes: number) => new Date(end.getTime() - 5 * HOUR + minutes * 60_000);
    const session = getSessionToken(exposed, { time: t(0), region: REGION, newAccessKeyId: minted });
    const assume = assumeRole(exposed, { time: t(1), region: REGION, roleArn: role, sessionName: 'x' });
    const denied = accessDenied(exposed, { time: t(2), region: REGION, eventName: 'ListUsers', eventSource: 'iam.amazonaws.com' });
    aws.trail(REGION).add([session, assume, denied]);

    const events = (await collect(reader().lookupByAccessKey(REGION, KEY, start, end))).flat();

    const [deniedEvent, assumeEvent, sessionEvent] = events;
    expect(sessionEvent).toMatchObject({
      eventName: 'GetSessionToken',
      eventSource: 'sts.amazonaws.com',
      awsRegion: REGION,
      readOnly: true,
      userIdentity: { type: 'IAMUser', userName: 'backup-admin', accessKeyId: KEY, accountId: ACCOUNT },
      responseElements: { credentials: { accessKeyId: minted } },
    });
    expect(assumeEvent).toMatchObject({ requestParameters: { roleArn: role, roleSessionName: 'x' }, resources: [{ type: 'AWS::IAM::Role', ARN: role }] });
    expect(deniedEvent).toMatchObject({ eventName: 'ListUsers', errorCode: 'AccessDenied', readOnly: true });
    expect(deniedEvent?.errorMessage).toContain('is not authorized to perform: iam:ListUsers');
  });

  it('finds the work of a temporary key by its ASIA id, with the role session it belongs to', async () => {
    const temporary = 'ASIATEMPORARYKEY0001';
    const session = assumedRole(ACCOUNT, 'deploy', 'x', temporary, new Date(end.getTime() - 3 * HOUR));
    aws.trail(REGION).add(history(session, 3, start, end, REGION));

    const events = (await collect(reader().lookupByAccessKey(REGION, temporary, start, end))).flat();

    expect(events).toHaveLength(3);
    expect(events[0]?.userIdentity).toMatchObject({
      type: 'AssumedRole',
      accessKeyId: temporary,
      sessionContext: { sessionIssuer: { type: 'Role', userName: 'deploy' }, attributes: { mfaAuthenticated: 'false' } },
    });
  });

  it('skips and counts records whose CloudTrailEvent is not a readable record, keeping the rest', async () => {
    const records = history(exposed, 60, start, end, REGION);
    const [broken, notObject] = [records[10]!.eventID as string, records[55]!.eventID as string];
    aws.trail(REGION).add(records).corrupt(broken, '{"eventVersion": "1.09", "eventID": ').corrupt(notObject, '[1, 2]');

    const scan = reader().lookupByAccessKey(REGION, KEY, start, end);
    const events = (await collect(scan)).flat();

    expect(events).toHaveLength(58);
    expect(scan.skipped).toBe(2);
    expect([...scan.skippedEventIds].sort()).toEqual([broken, notObject].sort());
    expect(events.map((e) => e.eventId)).not.toContain(broken);
  });

  it('can be iterated once only', async () => {
    const scan = reader().lookupByAccessKey(REGION, KEY, start, end);
    await collect(scan);

    expect(() => scan[Symbol.asyncIterator]()).toThrow(/once/);
  });
});

describe('SdkCloudTrailReader: throttling and errors', () => {
  it('retries a throttled page with the same NextToken, losing and repeating nothing', async () => {
    const records = history(exposed, 150, start, end, REGION);
    aws.trail(REGION).add(records);
    const seen: string[] = [];

    for await (const page of reader().lookupByAccessKey(REGION, KEY, start, end)) {
      seen.push(...page.map((e) => e.eventId));
      if (seen.length === 50) aws.trail(REGION).throttleNext(3);
    }

    expect(seen.sort()).toEqual(records.map((r) => r.eventID as string).sort());
    const calls = lookups();
    expect(calls.map((c) => c.errorCode ?? 'ok')).toEqual(['ok', 'ThrottlingException', 'ThrottlingException', 'ThrottlingException', 'ok', 'ok']);
    const tokens = calls.slice(1, 5).map((c) => c.params.NextToken);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toBeDefined();
    expect(aws.trail(REGION).rateLimited).toBe(0);
  });

  it('gives up after its attempts with a retryable ThrottlingException AwsError', async () => {
    aws.trail(REGION).add(history(exposed, 3, start, end, REGION)).throttleNext(5);

    const error = await rejection(collect(reader({ retry: { maxAttempts: 3, baseMs: 10, capMs: 20 } }).lookupByAccessKey(REGION, KEY, start, end)));

    expect(error).toMatchObject({ code: 'ThrottlingException', service: 'cloudtrail', operation: 'LookupEvents', retryable: true });
    expect(error.message).toBe('Rate exceeded');
    expect(lookups()).toHaveLength(3);
  });

  it('retries a server failure like a throttle', async () => {
    aws.trail(REGION).add(history(exposed, 3, start, end, REGION));
    aws.failNext('LookupEvents', 'InternalFailure', { status: 500 });

    const events = (await collect(reader().lookupByAccessKey(REGION, KEY, start, end))).flat();

    expect(events).toHaveLength(3);
    expect(lookups().map((c) => c.status)).toEqual([500, 200]);
  });

  it("reports CloudTrail's refusal of a reversed time range as AwsError, without retrying", async () => {
    const error = await rejection(collect(reader().lookupByAccessKey(REGION, KEY, end, start)));

    expect(error).toMatchObject({ code: 'InvalidTimeRangeException', retryable: false, service: 'cloudtrail' });
    expect(lookups()).toHaveLength(1);
  });

  it('reports AccessDenied as AwsError, without retrying', async () => {
    aws.deny('LookupEvents');

    const error = await rejection(collect(reader().lookupByAccessKey(REGION, KEY, start, end)));

    expect(error).toMatchObject({ code: 'AccessDeniedException', retryable: false });
    expect(lookups()).toHaveLength(1);
  });

  it('refuses a client that would retry by itself, since its retries would skip the pacing', async () => {
    const retrying = new CloudTrailClient({ region: REGION, maxAttempts: 3 });
    try {
      const scan = new SdkCloudTrailReader(() => retrying).lookupByAccessKey(REGION, KEY, start, end);

      await expect(collect(scan)).rejects.toThrow(/maxAttempts: 1/);
      expect(aws.calls).toHaveLength(0);
    } finally {
      retrying.destroy();
    }
  });
});
