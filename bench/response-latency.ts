/**
 * How long responders wait, after `/key-incident AKIA…`, for the owner and for the first
 * proposal, against the least time the calls on the way allow.
 *
 *   npx tsx bench/response-latency.ts [--runs N] [--compare DIR]
 *
 * Starts DynamoDB Local and the wire-level fakes of AWS and Slack from `test/fakes`, with a
 * latency on every call (IAM/STS/Organizations 80 ms, Slack 150 ms), then the real app over
 * HTTP. Each run opens an incident for a fresh key whose user gets its rights from a group's
 * attached customer managed policy (new each run, so no cached document shortens the chain),
 * and measures from sending the command to Slack storing the owner message and the first
 * proposal. Critical paths: owner max(Slack, IAM) + Slack = 300 ms; first proposal
 * max(Slack, 5 × IAM) + Slack = 550 ms (key → groups → attached policies → policy → version,
 * then one post). With `--compare DIR` (another checkout with its dependencies installed),
 * that checkout's app runs first in the same process, so both sets of figures compare.
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import startDynamoDbLocal from '../test/support/dynamodb-local.global-setup.js';
import { FakeAws } from '../test/fakes/fake-aws.js';
import { type FakeSlack, startFakeSlack } from '../test/fakes/fake-slack.js';
import { postSlashCommand, slashCommand } from '../test/support/slack-requests.js';

const IAM_MS = 80;
const SLACK_MS = 150;
const OWNER_PATH_MS = Math.max(SLACK_MS, IAM_MS) + SLACK_MS;
const PROPOSAL_PATH_MS = Math.max(SLACK_MS, 5 * IAM_MS) + SLACK_MS;
const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';

interface AppModules {
  readonly startApp: (config: unknown, options: object) => Promise<{ port: number; stop(): Promise<void> }>;
  readonly loadConfig: (env: Record<string, string>) => unknown;
}

interface Timing {
  readonly owner: number;
  readonly proposal: number;
  /** From the command to the root message's request reaching Slack: where the critical paths begin. */
  readonly start: number;
}

/** When the latest root message's request reached the fake Slack. */
let rootArrived = 0;

async function main(): Promise<void> {
  const runs = Number(option('--runs') ?? 7);
  const compare = option('--compare');
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  let endpoint = '';
  const stopDynamo = await startDynamoDbLocal({ provide: (_key: string, value: string) => (endpoint = value) } as never);
  const [aws, slack] = await Promise.all([FakeAws.start(), startFakeSlack({ waitTimeoutMs: 30_000 })]);
  pointSdkAt(aws.url, endpoint);
  aws.delayCalls(() => sleep(IAM_MS));
  slack.delayCalls(({ method, params }) => {
    if (method === 'chat.postMessage' && params.thread_ts === undefined) rootArrived = performance.now();
    return sleep(SLACK_MS);
  });
  const variants: [string, string][] = [...(compare ? [[`before (${compare})`, resolve(compare)] as [string, string]] : []), ['after (this tree)', resolve('.')]];
  const results: [string, Timing[]][] = [];
  try {
    for (const [label, dir] of variants) results.push([label, await measure(await loadApp(dir), aws, slack, runs, label)]);
  } finally {
    await Promise.all([aws.close(), slack.close()]);
    await stopDynamo();
  }
  report(runs, results);
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

function pointSdkAt(awsUrl: string, dynamoUrl: string): void {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_IAM: awsUrl, AWS_ENDPOINT_URL_STS: awsUrl, AWS_ENDPOINT_URL_SECRETS_MANAGER: awsUrl,
    AWS_ENDPOINT_URL_CLOUDTRAIL: awsUrl, AWS_ENDPOINT_URL_ORGANIZATIONS: awsUrl, AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
    AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIAKEYINCIDENTTESTS', AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
  });
}

async function loadApp(dir: string): Promise<AppModules> {
  const [{ startApp }, { loadConfig }] = await Promise.all([import(`${dir}/src/app.ts`), import(`${dir}/src/config.ts`)]);
  return { startApp, loadConfig } as AppModules;
}

/** One warm-up incident (Bolt's auth.test, the bot's identity, the permission catalogue), then `runs` measured ones. */
async function measure(app: AppModules, aws: FakeAws, slack: FakeSlack, runs: number, label: string): Promise<Timing[]> {
  const config = app.loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, AWS_REGION: 'eu-west-1',
    INCIDENT_TABLE: `ki-bench-${label.split(' ')[0]}-${Date.now()}`, APPROVER_USER_IDS: 'U0APPROVER', PORT: '0', LOG_LEVEL: 'silent',
  });
  const running = await app.startApp(config, {});
  const timings: Timing[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const timing = await oneIncident(aws, slack, `http://127.0.0.1:${running.port}/slack/events`, `${label.split(' ')[0]}-${i}`);
      if (i > 0) timings.push(timing);
      // Let the CloudTrail review and the rest of this incident finish before the next one.
      await sleep(1500);
    }
  } finally {
    await running.stop();
  }
  return timings;
}

async function oneIncident(aws: FakeAws, slack: FakeSlack, eventsUrl: string, name: string): Promise<Timing> {
  const keyId = aws.keyIdFor(aws.botAccount);
  const policy = aws.policy(`bench-${name}`, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  aws.group(`bench-${name}`).attach(policy.arn);
  aws.user(`bench-${name}`).key(keyId).memberOf(`bench-${name}`);
  const mark = slack.mark();
  const began = performance.now();
  const root = slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === undefined && String(c.params.text).includes(keyId), { after: mark });
  await postSlashCommand(eventsUrl, slashCommand({ text: keyId }), { signingSecret: SIGNING_SECRET });
  const ts = String((await root).result.ts);
  const inThread = (pattern: RegExp) => slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === ts && pattern.test(String(c.params.text)), { after: mark })
    .then(() => performance.now() - began);
  const [owner, proposal] = await Promise.all([inThread(/(^| · )Owner: /), inThread(/\): proposed$/)]);
  return { owner, proposal, start: rootArrived - began };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function report(runs: number, results: readonly [string, Timing[]][]): void {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Response latency: IAM/STS ${IAM_MS} ms, Slack ${SLACK_MS} ms per call; ${runs} runs each; ${cpus().length} cores, load average ${load}`);
  console.log(`critical paths: owner ${OWNER_PATH_MS} ms, first proposal ${PROPOSAL_PATH_MS} ms\n`);
  for (const [label, timings] of results) {
    const start = median(timings.map((t) => t.start));
    const line = (name: string, path: number, xs: number[]) => {
      const m = median(xs);
      return `${name} ${Math.round(m)} ms (ratio ${(m / path).toFixed(2)}; from the root post ${(m - start) / path < 0 ? '-' : ((m - start) / path).toFixed(2)}; ` +
        `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))} ms)`;
    };
    console.log(`${label}: command → root post reaches Slack ${Math.round(start)} ms`);
    console.log(`  ${line('owner', OWNER_PATH_MS, timings.map((t) => t.owner))}`);
    console.log(`  ${line('first proposal', PROPOSAL_PATH_MS, timings.map((t) => t.proposal))}`);
  }
}

// Exit when done: a review left running by the last incident would keep the process alive.
main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
