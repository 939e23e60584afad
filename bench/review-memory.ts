/**
 * A CloudTrail review of a very busy key: peak memory and time for 10,000 to 1,000,000 events.
 *
 *   npx tsx bench/review-memory.ts                    # 10,000, 100,000 and 1,000,000 events
 *   npx tsx bench/review-memory.ts 1000000            # one size
 *   npx tsx bench/review-memory.ts --src /tmp/before  # another checkout's src/ (same stream)
 *
 * Each size runs in a child process of its own, so its peak RSS (`maxRSS`) is its own. The
 * whole use case runs (`claimReview`, `runReview`) on the in-memory fakes, with CloudTrail
 * served at the port by a reader that makes each page of 50 events as it is asked for and
 * keeps none. Not the wire-level fake: it holds every record it serves and answers at
 * CloudTrail's 2 requests a second, so 20,000 pages would take 2.8 hours and the peak would be
 * the fake's. Not the in-memory fake either: it holds every event too. What is measured is
 * the review's own memory.
 *
 * The stream is what an attacker holding the key can write: 60 % reads of 20 secrets, 20 %
 * reads of SSM parameters with a new name each time, 10 % denied calls, 9 % other reads with
 * a new user agent every hundredth event, and 1 % `AssumeRole` minting a new temporary key,
 * from 50 source IPs, spread over 90 days, newest first as LookupEvents returns them.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const SIZES = [10_000, 100_000, 1_000_000];
const PAGE = 50;
const DAY_MS = 86_400_000;
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const ACCOUNT = '111122223333';
const END = Date.parse('2026-11-28T00:00:00Z');

/** Event `i` of the stream, `i = 0` the newest. */
function eventAt(i: number, total: number): Record<string, unknown> {
  const time = new Date(END - Math.floor((i * 90 * DAY_MS) / total)).toISOString();
  const base = {
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, eventTime: time, awsRegion: 'eu-west-1',
    sourceIPAddress: `203.0.113.${i % 50}`, userAgent: `aws-cli/2.17.${i % 100 === 0 ? i : 60}`,
    userIdentity: { type: 'IAMUser', accountId: ACCOUNT, accessKeyId: KEY, userName: 'ci-deployer', arn: `arn:aws:iam::${ACCOUNT}:user/ci-deployer` },
  };
  const kind = i % 100;
  if (kind < 60) return { ...base, eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', readOnly: true, requestParameters: { secretId: `prod/secret-${i % 20}` } };
  if (kind < 80) return { ...base, eventSource: 'ssm.amazonaws.com', eventName: 'GetParameter', readOnly: true, requestParameters: { name: `/flood/${i}`, withDecryption: true } };
  if (kind < 90) return { ...base, eventSource: 'iam.amazonaws.com', eventName: 'ListRoles', readOnly: true, errorCode: 'AccessDenied', errorMessage: 'not authorized' };
  if (kind < 99) return { ...base, eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true };
  const minted = `ASIA${String(i).padStart(16, '0')}`;
  return {
    ...base, eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', readOnly: true,
    requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/deploy`, roleSessionName: `s${i}` },
    responseElements: { credentials: { accessKeyId: minted, expiration: 'Nov 28, 2026 3:40:00 AM' }, assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/s${i}` } },
  };
}

/** A `CloudTrailReader` that makes the exposed key's pages as they are asked for; minted keys have none. */
function generatedTrail(total: number) {
  const scan = (events: number) => {
    const s = {
      skipped: 0, skippedEventIds: [] as string[], pages: 0, more: true,
      async *[Symbol.asyncIterator]() {
        for (let first = 0; first < events; first += PAGE) {
          s.pages += 1;
          s.more = first + PAGE < events;
          yield Array.from({ length: Math.min(PAGE, events - first) }, (_, k) => eventAt(first + k, total));
        }
        s.more = false;
      },
    };
    return s;
  };
  return {
    lookupByAccessKey: (_region: string, key: string) => scan(key === KEY ? total : 0),
    lookupByEventName: () => scan(0),
  };
}

async function child(total: number, src: string): Promise<void> {
  const load = (path: string) => import(pathToFileURL(resolve(src, path)).href);
  const { claimReview, runReview } = await load('services/review/review-incident.ts');
  const { memoryDeps } = await import('../test/fakes/memory/index.js');
  const { anEvent, anIncident } = await import('../test/support/incident-builders.js');
  const w = memoryDeps();
  w.clock.set(new Date(END + 60_000));
  const review = { ...w.deps.review, regions: ['eu-west-1'], maxPagesPerRegion: 100_000, maxSecondsPerRegion: 86_400 };
  const deps = { ...w.deps, trail: generatedTrail(total), review };
  const incident = anIncident({ keyId: KEY });
  await w.repo.create(incident, anEvent(incident));
  global.gc?.();
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const claim = await claimReview(deps, incident.id, 'U0ONCALL', 90);
  const outcome = await runReview(deps, claim);
  const seconds = (performance.now() - started) / 1000;
  const r = outcome.result;
  console.log(JSON.stringify({
    total, events: outcome.incident.review.events, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, startRssMb: before / 2 ** 20,
    findings: r.findings.length, foldedEvents: r.foldedEvents, temporaryKeys: r.credentials.length,
  }));
  process.exit(0);
}

function parent(sizes: number[], root: string): void {
  console.log(`Machine: ${cpus().length} cores, Node ${process.versions.node}, load average ${loadavg()[0]!.toFixed(1)}; src: ${resolve(root, 'src')}\n`);
  console.log('| events | time | events/s | peak RSS | RSS before the review | findings kept | events in folded findings | temporary keys kept |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const total of sizes) {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', process.argv[1]!, '--child', String(total), '--src', root], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    if (run.status !== 0 || !line.startsWith('{')) {
      console.log(`| ${total.toLocaleString('en')} | failed (exit ${run.status ?? run.signal}) | | | | | | |\n${run.stderr.split('\n').slice(-5).join('\n')}`);
      continue;
    }
    const m = JSON.parse(line) as Record<string, number>;
    const f = (v: number | undefined, d = 0) => (v === undefined ? '—' : v.toLocaleString('en', { maximumFractionDigits: d }));
    console.log(`| ${f(m['events'])} | ${f(m['seconds'], 1)} s | ${f(m['events']! / m['seconds']!)} | ${f(m['peakRssMb'])} MB | ${f(m['startRssMb'])} MB | ${f(m['findings'])} | ${f(m['foldedEvents'])} | ${f(m['temporaryKeys'])} |`);
  }
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args.splice(at, 2)[1];
};
const root = resolve(option('--src') ?? resolve(import.meta.dirname, '..'));
const childSize = option('--child');
if (childSize) await child(Number(childSize), resolve(root, 'src'));
else parent(args.length > 0 ? args.map(Number) : SIZES, root);
