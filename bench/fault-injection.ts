/**
 * The fault-injection suite at scale: many approved actions carried out by bot processes on
 * one DynamoDB table, processes killed (SIGKILL) at random steps of their attempts, with
 * Slack 429s and timeouts, DynamoDB throttling and transaction conflicts, and IAM throttling
 * injected at random, and the default lease and sweep (ACTION_LEASE_MS 15 s, sweep 5 s).
 *
 *   npx tsx bench/fault-injection.ts [--attempts N] [--processes P] [--seed S] [--round R]
 *
 * Same harness as test/e2e/fault-injection.test.ts (DynamoDB Local behind the fault proxy,
 * the wire-level fakes, `src/main.ts` processes). Rounds of R attempts (default 6) run at
 * once: two approved on two processes that are killed at a random kill point, the rest on
 * the third, unharmed one; a killed process is started again 2–4 s later, as an orchestrator
 * would. Faults per round, at random: Slack answering 429s (half the rounds) or answering
 * after the client's timeout (a fifth); one IAM throttle (30 %); DynamoDB throttling and
 * transaction conflicts on 10 % of item requests (half the rounds). The plan (kinds, kill
 * points, faults per round) follows from the seed; which requests the DynamoDB faults hit
 * depends on timing too. Reports attempts, kills, double executions, actions stuck longer
 * than 30 s, lost or duplicated timeline events, messages Slack ends showing wrongly, kill →
 * settled (p50/p99/max, and by kill point), and approval → IAM call by Slack's trouble, with
 * DynamoDB healthy or not.
 */
import { REPLACEMENT_SECRET_ENV } from '../test/support/secrets.js';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import startDynamoDbLocal from '../test/support/dynamodb-local.global-setup.js';
import { DynamoFault } from '../test/fakes/dynamodb/fault-proxy.js';
import { type BotProcess, killAllBots } from '../test/support/bot-process.js';
import { createTableAt } from '../test/support/dynamodb.js';
import { ACTION_CASES, type ActionCase, approve, inspect, prepare, settledBy, slackShows, type Findings, type Subject } from '../test/support/fault-attempts.js';
import { type ArmedKill, armKill, KILL_POINTS, type KillPoint, timeIamCall } from '../test/support/kill-points.js';
import { ProcessReplicas, type ProcessWorld, startProcessWorld } from '../test/support/process-replicas.js';
import { seededRandom } from '../test/support/seeded-random.js';

const SETTLE_MS = 30_000;
const KILLS_PER_ROUND = 2;
/** In half the rounds, share of DynamoDB item requests answered with a fault; half of the transaction faults are conflicts. */
const DYNAMO_FAULT_RATE = 0.1;

interface Plan {
  readonly kind: ActionCase;
  readonly point: KillPoint | 'none';
  /** For a killed process: how long until it is started again. */
  readonly restartAfterMs: number;
}

/** What happened to one attempt. */
interface Result extends Plan {
  readonly killed?: number;
  /** The kill point was armed but the attempt never reached it (it then ran unharmed). */
  readonly missed: boolean;
  readonly settledAfterMs?: number;
  readonly toIamMs?: number;
  readonly slackTrouble: 'rate-limit' | 'timeout' | 'none';
  /** Whether DynamoDB faults were injected in its round. */
  readonly dynamoFaults: boolean;
  readonly findings: Findings;
  readonly shown: boolean;
}

interface Context {
  readonly world: ProcessWorld;
  readonly replicas: ProcessReplicas;
  /** Draws the plan. */
  readonly random: () => number;
  /** Draws which DynamoDB requests fail (their order depends on timing). */
  readonly faults: () => number;
  readonly processes: number;
  users: number;
}

const option = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};

async function main(): Promise<void> {
  const attempts = option('--attempts', 60);
  const processes = Math.max(3, option('--processes', 3));
  const seed = option('--seed', 1);
  const roundSize = Math.max(KILLS_PER_ROUND + 1, option('--round', 6));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  let endpoint = '';
  const stopDynamo = await startDynamoDbLocal({ provide: (_key: string, value: string) => (endpoint = value) } as never);
  const table = await createTableAt(endpoint, 'bench-faults');
  const world = await startProcessWorld('bench-faults', table);
  const env = { APPROVER_USER_IDS: 'U0APPROVER,U0APPROVER2', ...REPLACEMENT_SECRET_ENV };
  const ctx: Context = { world, replicas: new ProcessReplicas(world, env), random: seededRandom(seed), faults: seededRandom(seed + 1), processes, users: 0 };
  const results: Result[] = [];
  const began = Date.now();
  try {
    while (results.length < attempts) {
      results.push(...(await round(ctx, Math.max(KILLS_PER_ROUND + 1, Math.min(roundSize, attempts - results.length)))));
      console.error(`${results.length}/${attempts} attempts, ${Math.round((Date.now() - began) / 1000)} s`);
    }
  } finally {
    await killAllBots();
    await world.close();
    await table.dispose();
    await stopDynamo();
  }
  report(results, { attempts, processes, seed, roundSize, seconds: (Date.now() - began) / 1000, injected: { ...world.proxy.injected }, world });
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** One round: attempts prepared, faults injected, all approved at once, two processes killed. */
async function round(ctx: Context, size: number): Promise<Result[]> {
  const { world, replicas, random } = ctx;
  const live = await replicas.ensure(ctx.processes);
  const victims = live.slice(0, KILLS_PER_ROUND);
  const steady = live[KILLS_PER_ROUND]!;
  const plans: Plan[] = Array.from({ length: size }, (_, i) => ({
    kind: pick(random, ACTION_CASES), point: i < KILLS_PER_ROUND ? pick(random, KILL_POINTS) : 'none', restartAfterMs: 2_000 + random() * 2_000,
  }));
  const subjects: Subject[] = [];
  // Opened one per process at a time, before any fault.
  for (let i = 0; i < plans.length; i += live.length) {
    subjects.push(...(await Promise.all(plans.slice(i, i + live.length).map((p, j) => prepare(world, live[j]!, p.kind, `bench-${++ctx.users}`)))));
  }
  const trouble = slackTrouble(ctx);
  const iamThrottled = random() < 0.3 ? pick(random, subjects).mutation.action : undefined;
  if (iamThrottled) world.aws.throttle(iamThrottled);
  const dynamoFaults = random() < 0.5;
  if (dynamoFaults) world.proxy.randomFaults({ rate: DYNAMO_FAULT_RATE, conflictShare: 0.5, random: ctx.faults });
  const armed = plans.map((p, i) => (p.point === 'none' ? timeIamCall(world, steady, subjects[i]!) : armKill(world, victims[i]!, subjects[i]!, p.point)));
  const reachedIam: (number | undefined)[] = [];
  armed.forEach((a, i) => void a.iamAt.then((at) => (reachedIam[i] = at)));
  const clickedAt = Date.now();
  await Promise.all(subjects.map((s, i) => approve(world, plans[i]!.point === 'none' ? steady : victims[i]!, s)));
  const kills = await Promise.all(plans.map((p, i) => (p.point === 'none' ? undefined : afterKill(ctx, armed[i]!, p, subjects[i]!, steady))));
  const settled = await Promise.all(subjects.map((s, i) => settledBy(world, s, (kills[i] ?? clickedAt) + 2 * SETTLE_MS)));
  trouble.stop();
  world.proxy.randomFaults(undefined);
  const toIam = reachedIam.map((at) => (at === undefined ? undefined : at - clickedAt));
  for (const a of armed) a.disarm();
  const findings = await Promise.all(subjects.map((s) => inspect(world, s)));
  const shown = await Promise.all(subjects.map((s, i) => slackShows(world, s, findings[i]!.status, 60_000)));
  shown.forEach((ok, i) => ok || explainDisplay(ctx, subjects[i]!, trouble.kind));
  return plans.map((p, i) => ({
    ...p, missed: kills[i] === null, slackTrouble: trouble.kind, dynamoFaults, findings: findings[i]!, shown: shown[i]!,
    ...(kills[i] ? { killed: kills[i]! } : {}),
    ...(settled[i] !== undefined ? { settledAfterMs: settled[i]! - (kills[i] ?? clickedAt) } : {}),
    ...(toIam[i] !== undefined ? { toIamMs: toIam[i] } : {}),
  }));
}

/**
 * Waits for the kill (null when the attempt never reached its kill point within 30 s), clicks
 * again on a live process when the click died with its process, and starts a process again
 * 2–4 s later in the background.
 */
async function afterKill(ctx: Context, armed: ArmedKill, plan: Plan, subject: Subject, steady: BotProcess): Promise<number | null> {
  const killed = await Promise.race([armed.killed, sleep(SETTLE_MS).then(() => null)]);
  if (killed === null) return null;
  if (plan.point === 'before-claim') await approve(ctx.world, steady, subject);
  void sleep(plan.restartAfterMs).then(() => ctx.replicas.ensure(ctx.processes)).catch(() => undefined);
  return killed;
}

/** What Slack was sent for a message that does not show its action's outcome, and what the processes warned of. */
function explainDisplay(ctx: Context, subject: Subject, trouble: Result['slackTrouble']): void {
  const updates = ctx.world.slack.callsTo('chat.update').filter((c) => c.params.ts === subject.messageTs);
  console.error(`display of ${subject.ref} (Slack ${trouble}): ${JSON.stringify(updates.map((c) => [c.seq, c.httpStatus, c.result.error ?? 'ok', String(c.params.text).split(': ').at(-1)]))}`);
  const warnings = ctx.replicas.all.flatMap((p) => p.logs.lines.filter((l) => l.includes(subject.incidentId) && /"level":(40|50)/.test(l)).map((l) => `${p.name}: ${l}`));
  console.error(warnings.join('\n'));
}

/** Slack in trouble for the round's clicks: a rate limit (half the rounds), a timeout (a fifth), or neither. */
function slackTrouble(ctx: Context): { kind: Result['slackTrouble']; stop(): void } {
  const { slack } = ctx.world;
  const draw = ctx.random();
  if (draw < 0.5) {
    slack.rateLimitNext('*', 1 + Math.floor(ctx.random() * 2), { times: 10 });
    return { kind: 'rate-limit', stop: () => slack.clearFaults() };
  }
  if (draw < 0.7) {
    // For 2 s, every call waits longer than the client's 10 s timeout, and is still applied then.
    const until = Date.now() + 2_000;
    slack.delayCalls(() => (Date.now() < until ? sleep(11_000) : undefined));
    return { kind: 'timeout', stop: () => slack.delayCalls(undefined) };
  }
  return { kind: 'none', stop: () => undefined };
}

function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v).toLocaleString('en')} ms`);
const spread = (xs: readonly number[]) => `p50 ${ms(percentile(xs, 50))}, p99 ${ms(percentile(xs, 99))}, max ${ms(percentile(xs, 100))} (n=${xs.length})`;

interface RunInfo {
  readonly attempts: number;
  readonly processes: number;
  readonly seed: number;
  readonly roundSize: number;
  readonly seconds: number;
  readonly injected: Record<DynamoFault, number>;
  readonly world: ProcessWorld;
}

function report(results: readonly Result[], run: RunInfo): void {
  const killed = results.filter((r) => r.killed !== undefined);
  const count = (f: (r: Result) => boolean) => results.filter(f).length;
  const events = (key: 'lost' | 'duplicated') => results.reduce((n, r) => n + r.findings[key].reduce((m, x) => m + Number(x.split('×')[1]), 0), 0);
  const iam = (trouble: Result['slackTrouble'], dynamo: boolean) =>
    results.filter((r) => r.slackTrouble === trouble && r.dynamoFaults === dynamo && r.toIamMs !== undefined).map((r) => r.toIamMs!);
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Fault injection: ${results.length} attempts in ${Math.round(run.seconds)} s, ${run.processes} processes, rounds of ${run.roundSize}, seed ${run.seed}; ${cpus().length} cores, load average ${load}, Node ${process.versions.node}`);
  console.log(`  kinds: ${ACTION_CASES.map((k) => `${k} ${count((r) => r.kind === k)}`).join(', ')}`);
  console.log(`  kills (SIGKILL): ${killed.length}; by point: ${KILL_POINTS.map((p) => `${p} ${count((r) => r.point === p && r.killed !== undefined)}`).join(', ')}; kill point never reached: ${count((r) => r.missed)}`);
  console.log(`  injected: DynamoDB throttling ${run.injected[DynamoFault.Throttling] + run.injected[DynamoFault.ProvisionedThroughput]}, transaction conflicts ${run.injected[DynamoFault.TransactionConflict]}; Slack 429s ${run.world.slack.calls.filter((c) => c.httpStatus === 429).length}; IAM throttling ${run.world.aws.calls.filter((c) => c.errorCode === 'Throttling').length}`);
  console.log(`  outcomes: ${['succeeded', 'failed'].map((s) => `${s} ${count((r) => r.findings.status === s)}`).join(', ')}, other ${count((r) => !['succeeded', 'failed'].includes(r.findings.status))}`);
  const failures = results.filter((r) => r.findings.status === 'failed').map((r) => `${r.kind} killed ${r.point}: ${r.findings.outcome.code}`);
  console.log(`  failed: ${[...new Set(failures)].map((f) => `${f} ×${failures.filter((x) => x === f).length}`).join('; ') || 'none'}`);
  console.log(`  double executions (goal 0): ${count((r) => r.findings.mutations > 1)}; no IAM change at all: ${count((r) => r.findings.mutations === 0)}`);
  console.log(`  stuck > 30 s (goal 0): ${count((r) => r.settledAfterMs === undefined || r.settledAfterMs > SETTLE_MS)}`);
  console.log(`  lost timeline events (goal 0): ${events('lost')}; duplicated: ${events('duplicated')}`);
  console.log(`  Slack not showing the settled state at the end: ${count((r) => !r.shown)}`);
  console.log(`  kill → settled: ${spread(killed.filter((r) => r.settledAfterMs !== undefined).map((r) => r.settledAfterMs!))}`);
  for (const point of KILL_POINTS) console.log(`    killed ${point}: ${spread(killed.filter((r) => r.point === point && r.settledAfterMs !== undefined).map((r) => r.settledAfterMs!))}`);
  for (const dynamo of [false, true]) {
    const where = dynamo ? 'DynamoDB faults' : 'DynamoDB healthy';
    console.log(`  approval → IAM call, Slack rate-limited, ${where}: ${spread(iam('rate-limit', dynamo))}`);
    console.log(`  approval → IAM call, Slack timing out, ${where}: ${spread(iam('timeout', dynamo))}`);
    console.log(`  approval → IAM call, Slack fine, ${where}: ${spread(iam('none', dynamo))}`);
  }
  for (const r of results.filter((x) => x.findings.mutations > 1 || x.findings.lost.length > 0 || x.findings.duplicated.length > 0 || !x.shown || x.settledAfterMs === undefined)) {
    console.log(`  ! ${r.kind} killed ${r.point}: ${JSON.stringify({ ...r.findings, settledAfterMs: r.settledAfterMs, shown: r.shown })}`);
  }
}

// Exit when done: reviews left running in the fakes would keep the process alive.
main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  void killAllBots().finally(() => process.exit(1));
});
