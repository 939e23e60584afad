/**
 * Real and large histories through SdkCloudTrailReader and the fake CloudTrail. The large one
 * runs at a scaled-down limit on both sides (2 requests per 200 ms, enforced by the fake) to
 * stay fast; cloudtrail-reader-pacing.test.ts covers the documented one-second pace.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LookupPacer } from '../../src/adapters/cloudtrail/lookup-pacer.js';
import { SdkCloudTrailReader } from '../../src/adapters/cloudtrail/sdk-cloudtrail-reader.js';
import type { TrailEvent } from '../../src/domain/review/types.js';
import type { CloudTrailReader } from '../../src/ports/cloudtrail-reader.js';
import type { CloudTrailRecord, FakeAws } from '../fakes/fake-aws.js';
import { assumedRole, history, iamUser, readTrailLog } from '../fakes/cloudtrail-records.js';
import { type AwsUnderTest, startAwsUnderTest } from '../support/aws.js';

const FIXTURES = '/work/shared/fixtures/cloudtrail-stratus';
const ACCOUNT = '111122223333';
const KEY = 'AKIAEXPOSEDKEY000001';

let env: AwsUnderTest;
let aws: FakeAws;

beforeAll(async () => {
  env = await startAwsUnderTest('us-east-1', 3);
  aws = env.aws;
});

beforeEach(() => aws.reset());

afterAll(() => env.close());

async function all(reader: CloudTrailReader, region: string, key: string, start: Date, end: Date): Promise<TrailEvent[]> {
  const events: TrailEvent[] = [];
  for await (const page of reader.lookupByAccessKey(region, key, start, end)) events.push(...page);
  return events;
}

function fixtureRecords(): CloudTrailRecord[] {
  const files = [
    'aws.credential-access.secretsmanager-retrieve-secrets.json',
    'aws.defense-evasion.cloudtrail-delete.json',
    'aws.exfiltration.ec2-share-ebs-snapshot.json',
  ];
  return files.flatMap((file) => {
    const log = readTrailLog(join(FIXTURES, file));
    if (!log.ok) throw new Error(log.problem);
    return log.records;
  });
}

describe('SdkCloudTrailReader on real records', () => {
  it('finds what each Stratus Red Team session key did, newest first, within CloudTrail\'s 90 days', async () => {
    // The records are from July 2022: the fake's clock is set so they are within retention.
    aws.cloudTrail.now = () => new Date('2022-07-21T00:00:00Z');
    aws.trail('us-east-1').add(fixtureRecords());
    const reader = new SdkCloudTrailReader(env.clients.cloudTrailFor, { pacer: new LookupPacer() });
    const [start, end] = [new Date('2022-07-20T00:00:00Z'), new Date('2022-07-21T00:00:00Z')];

    const secrets = await all(reader, 'us-east-1', 'ASIAZ3MSJV4WY7WYVLEU', start, end);
    const trail = await all(reader, 'us-east-1', 'ASIAZ3MSJV4W3HFKBOMH', start, end);

    expect(secrets.map((e) => e.eventName)).toEqual(['ModifySnapshotAttribute', ...Array<string>(10).fill('GetSecretValue')]);
    expect(secrets[0]).toMatchObject({ eventSource: 'ec2.amazonaws.com', readOnly: false, eventTime: '2022-07-20T21:06:11.000Z' });
    expect(trail).toEqual([expect.objectContaining({ eventName: 'DeleteTrail', eventSource: 'cloudtrail.amazonaws.com', readOnly: false })]);
    expect(trail[0]?.userIdentity?.sessionContext?.sessionIssuer?.arn).toBe('arn:aws:iam::677301038893:role/account-admin');
  });

  it('no longer returns them once they are older than 90 days', async () => {
    aws.cloudTrail.now = () => new Date('2022-10-20T00:00:00Z');
    aws.trail('us-east-1').add(fixtureRecords());
    const reader = new SdkCloudTrailReader(env.clients.cloudTrailFor, { pacer: new LookupPacer() });

    const events = await all(reader, 'us-east-1', 'ASIAZ3MSJV4WY7WYVLEU', new Date('2022-07-01T00:00:00Z'), new Date('2022-10-20T00:00:00Z'));

    expect(events).toEqual([]);
  });
});

describe('SdkCloudTrailReader on a large history', () => {
  it('sees each of 3,000 events over 3 Regions exactly once, scanning the Regions in parallel', async () => {
    const scale = { requests: 2, windowMs: 200 };
    aws.cloudTrail.rateLimit = scale;
    const end = new Date(Math.floor(Date.now() / 1000) * 1000);
    const start = new Date(end.getTime() - 30 * 24 * 3_600_000);
    const regions = ['us-east-1', 'eu-central-1', 'sa-east-1'];
    const seeded = new Map<string, string[]>();
    for (const region of regions) {
      const mine = history(iamUser(ACCOUNT, 'backup-admin', KEY), 1000, start, end, region);
      const noise = history(assumedRole(ACCOUNT, 'ci', 'build', 'ASIANOISEKEY00000001', start), 200, start, end, region);
      aws.trail(region).add([...mine, ...noise]);
      seeded.set(region, mine.map((r) => r.eventID as string));
    }
    const reader = new SdkCloudTrailReader(env.clients.cloudTrailFor, { pacer: new LookupPacer({ limit: scale.requests, windowMs: scale.windowMs }) });

    const found = await Promise.all(regions.map((region) => all(reader, region, KEY, start, end)));

    regions.forEach((region, i) => {
      const ids = found[i]!.map((e) => e.eventId);
      expect(ids).toHaveLength(1000);
      expect([...ids].sort()).toEqual([...seeded.get(region)!].sort());
      expect(aws.trail(region).lookups).toBe(20);
      expect(aws.trail(region).throttled).toBe(0);
    });
  });
});
