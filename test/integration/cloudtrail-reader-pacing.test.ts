/**
 * SdkCloudTrailReader at LookupEvents' documented pace (2 requests per second per Region,
 * enforced by the fake) with the real clock. Only bounds derived from the limit are asserted
 * below; the upper bounds are generous for a loaded 2-core machine.
 *
 * The least time N requests in one Region can take under "at most 2 in any second" is
 * floor((N - 1) / 2) seconds: request k cannot arrive before floor(k / 2) s after the first.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LookupPacer } from '../../src/adapters/cloudtrail/lookup-pacer.js';
import { SdkCloudTrailReader } from '../../src/adapters/cloudtrail/sdk-cloudtrail-reader.js';
import type { CloudTrailReader } from '../../src/ports/cloudtrail-reader.js';
import type { FakeAws } from '../fakes/fake-aws.js';
import { history, iamUser } from '../fakes/cloudtrail-records.js';
import { type AwsUnderTest, startAwsUnderTest } from '../support/aws.js';

const ACCOUNT = '111122223333';
const KEY = 'AKIAEXPOSEDKEY000001';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];
const PAGE = 50;
/** Slack on top of the limit's floor for a loaded machine: far below another full pass. */
const SLACK_MS = 3500;

let env: AwsUnderTest;
let aws: FakeAws;
const end = new Date(Math.floor(Date.now() / 1000) * 1000);
const start = new Date(end.getTime() - 7 * 24 * 3_600_000);
const exposed = iamUser(ACCOUNT, 'backup-admin', KEY);

beforeAll(async () => {
  env = await startAwsUnderTest('us-east-1', 3);
  aws = env.aws;
});

beforeEach(() => aws.reset());

afterAll(() => env.close());

/** The floor the limit puts under `requests` requests in one Region, in ms. */
const floorMs = (requests: number) => Math.floor((requests - 1) / 2) * 1000;

function seed(region: string, pages: number): void {
  aws.trail(region).add(history(exposed, pages * PAGE, start, end, region));
}

async function count(reader: CloudTrailReader, region: string): Promise<number> {
  const ids = new Set<string>();
  for await (const page of reader.lookupByAccessKey(region, KEY, start, end)) for (const event of page) ids.add(event.eventId);
  return ids.size;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const began = performance.now();
  const result = await work();
  return { result, elapsedMs: performance.now() - began };
}

describe('SdkCloudTrailReader at the documented rate', () => {
  it('scans 10 pages without one ThrottlingException, in about the 4 s the limit forces', async () => {
    seed('eu-west-1', 10);
    const reader = new SdkCloudTrailReader(env.clients.cloudTrailFor, { pacer: new LookupPacer() });

    const { result, elapsedMs } = await timed(() => count(reader, 'eu-west-1'));

    expect(result).toBe(500);
    expect(aws.trail('eu-west-1').lookups).toBe(10);
    expect(aws.trail('eu-west-1').throttled).toBe(0);
    expect(elapsedMs).toBeGreaterThanOrEqual(floorMs(10));
    expect(elapsedMs).toBeLessThan(floorMs(10) + SLACK_MS);
  });

  it('scans three Regions in parallel in about the time of one, each at its own pace', async () => {
    for (const region of REGIONS) seed(region, 10);
    const reader = new SdkCloudTrailReader(env.clients.cloudTrailFor, { pacer: new LookupPacer() });

    const { result, elapsedMs } = await timed(() => Promise.all(REGIONS.map((region) => count(reader, region))));

    expect(result).toEqual([500, 500, 500]);
    for (const region of REGIONS) expect(aws.trail(region).throttled).toBe(0);
    expect(elapsedMs).toBeGreaterThanOrEqual(floorMs(10));
    // One shared pace would need floorMs(30) = 14 s; the slowest Region alone needs 4 s.
    expect(elapsedMs).toBeLessThan(floorMs(10) + SLACK_MS);
  });

  it('shares one Region\'s pace between two scans, through two readers on the process-wide pacer', async () => {
    seed('eu-west-1', 4);
    const [first, second] = [1, 2].map(() => new SdkCloudTrailReader(env.clients.cloudTrailFor));

    const { result, elapsedMs } = await timed(() => Promise.all([count(first!, 'eu-west-1'), count(second!, 'eu-west-1')]));

    expect(result).toEqual([200, 200]);
    expect(aws.trail('eu-west-1').lookups).toBe(8);
    expect(aws.trail('eu-west-1').throttled).toBe(0);
    expect(elapsedMs).toBeGreaterThanOrEqual(floorMs(8));
    expect(elapsedMs).toBeLessThan(floorMs(8) + SLACK_MS);
  });
});
