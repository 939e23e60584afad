/**
 * How close SdkCloudTrailReader comes to the pace LookupEvents' limit allows.
 *
 *   npx tsx bench/cloudtrail-scan.ts [pages per Region, default 20]
 *
 * Scans N pages (50 events each) against the fake CloudTrail, which enforces the documented
 * limit (2 requests per second per account per Region), in 1 Region and then in 3 Regions at
 * once, and prints actual time / the least time the limit allows: floor((N - 1) / 2) s per
 * Region, Regions being independent. Then, for contrast, the SDK's own paginator with the SDK's
 * standard retries and no pacing. Everything runs in one process, so the ratios compare.
 */
import { cpus, loadavg } from 'node:os';
import { CloudTrailClient, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { createAwsClients, destroyAwsClients } from '../src/adapters/aws-clients.js';
import { LookupPacer } from '../src/adapters/cloudtrail/lookup-pacer.js';
import { SdkCloudTrailReader } from '../src/adapters/cloudtrail/sdk-cloudtrail-reader.js';
import { history, iamUser } from '../test/fakes/cloudtrail-records.js';
import { FakeAws } from '../test/fakes/fake-aws.js';

const KEY = 'AKIAEXPOSEDKEY000001';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];
const PAGE = 50;

interface Result {
  readonly label: string;
  readonly seconds: number;
  readonly minimum: number;
  readonly requests: number;
  readonly throttled: number;
  readonly events: number;
  readonly note?: string;
}

async function main(): Promise<void> {
  const pages = Number(process.argv[2] ?? 20);
  if (!Number.isInteger(pages) || pages < 1) throw new Error(`pages must be a positive integer, got ${process.argv[2]}`);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const aws = await FakeAws.start();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_CLOUDTRAIL: aws.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAKEYINCIDENTTESTS',
    AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
  });
  const clients = createAwsClients({ region: 'us-east-1', maxAttempts: 3 });
  const seed = () => {
    aws.reset();
    const end = new Date(Math.floor(Date.now() / 1000) * 1000);
    const start = new Date(end.getTime() - 7 * 86_400_000);
    for (const region of REGIONS) aws.trail(region).add(history(iamUser(aws.botAccount, 'backup-admin', KEY), pages * PAGE, start, end, region));
    return { start, end };
  };
  const minimum = Math.floor((pages - 1) / 2);
  const results: Result[] = [];
  try {
    for (const regions of [REGIONS.slice(0, 1), REGIONS]) {
      const { start, end } = seed();
      const reader = new SdkCloudTrailReader(clients.cloudTrailFor, { pacer: new LookupPacer() });
      const { seconds, value: events } = await timed(() => Promise.all(regions.map((r) => countEvents(reader.lookupByAccessKey(r, KEY, start, end)))));
      const label = regions.length === 1 ? 'paced, 1 Region' : `paced, ${regions.length} Regions in parallel`;
      results.push({ label, seconds, minimum, ...counts(aws, regions), events: sum(events) });
    }
    const { start, end } = seed();
    results.push(await unpaced(aws, start, end, minimum));
  } finally {
    destroyAwsClients(clients);
    await aws.close();
  }
  report(pages, results);
}

/** The SDK's paginator with its standard retries (3 attempts) and no pacing, for contrast. */
async function unpaced(aws: FakeAws, start: Date, end: Date, minimum: number): Promise<Result> {
  const client = new CloudTrailClient({ region: REGIONS[0]!, maxAttempts: 3 });
  let note: string | undefined;
  const { seconds, value: events } = await timed(async () => {
    let seen = 0;
    try {
      const input = { LookupAttributes: [{ AttributeKey: 'AccessKeyId' as const, AttributeValue: KEY }], StartTime: start, EndTime: end, MaxResults: PAGE };
      for await (const page of paginateLookupEvents({ client }, input)) seen += page.Events?.length ?? 0;
    } catch (error) {
      note = `gave up: ${(error as Error).name}`;
    }
    return seen;
  });
  client.destroy();
  return { label: 'unpaced SDK paginator, 1 Region', seconds, minimum, ...counts(aws, REGIONS.slice(0, 1)), events, ...(note ? { note } : {}) };
}

async function countEvents(pages: AsyncIterable<readonly unknown[]>): Promise<number> {
  let n = 0;
  for await (const page of pages) n += page.length;
  return n;
}

function counts(aws: FakeAws, regions: readonly string[]): { requests: number; throttled: number } {
  const trails = regions.map((r) => aws.trail(r));
  return { requests: sum(trails.map((t) => t.lookups)), throttled: sum(trails.map((t) => t.throttled)) };
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const began = performance.now();
  const value = await work();
  return { seconds: (performance.now() - began) / 1000, value };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function report(pages: number, results: readonly Result[]): void {
  const [one, three] = results;
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`CloudTrail scan benchmark: ${pages} pages of ${PAGE} per Region; ${cpus().length} cores, load average ${load}`);
  console.log(`least time the limit allows per Region: floor((${pages} - 1) / 2) = ${results[0]?.minimum} s\n`);
  for (const r of results) {
    const ratio = r.minimum > 0 ? (r.seconds / r.minimum).toFixed(3) : 'n/a';
    console.log(
      `${r.label.padEnd(36)} ${r.seconds.toFixed(2).padStart(7)} s  ratio ${ratio}  requests ${r.requests}  ` +
        `ThrottlingExceptions ${r.throttled}  events ${r.events}${r.note ? `  (${r.note})` : ''}`,
    );
  }
  if (one && three) console.log(`\n3 Regions / 1 Region: ${(three.seconds / one.seconds).toFixed(3)} (1.0 = Regions fully parallel, 3.0 = one shared pace)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
