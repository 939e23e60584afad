/**
 * Several bot processes on one world: DynamoDB Local behind the fault proxy, with one table,
 * and the wire-level fakes of Slack and AWS, all in this process, the bots in their own. Each
 * process gets a name of its own (its `AWS_SDK_UA_APP_ID`), so the fakes and the proxy know
 * which one sent a request. No process outlives the suite (see `bot-process.ts`).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { DynamoFaultProxy } from '../fakes/dynamodb/fault-proxy.js';
import { FakeAws } from '../fakes/fake-aws.js';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { type BotProcess, killAllBots, spawnBot } from './bot-process.js';
import { createTestTable, type TestTable } from './dynamodb.js';
import { APPROVER, BOT_TOKEN, SIGNING_SECRET, type World } from './harness.js';

export interface ProcessWorld extends World {
  /** In front of DynamoDB Local: every bot process's DynamoDB requests go through it. */
  readonly proxy: DynamoFaultProxy;
}

/** The fakes, the proxy in front of `table`'s DynamoDB Local, and `table` (a fresh one unless given). */
export async function startProcessWorld(label: string, given?: TestTable): Promise<ProcessWorld> {
  const [slack, aws, table] = await Promise.all([startFakeSlack({ waitTimeoutMs: 60_000 }), FakeAws.start(), given ?? createTestTable(label)]);
  const proxy = await DynamoFaultProxy.start(table.endpoint);
  return {
    slack, aws, table, proxy,
    close: async () => {
      await killAllBots();
      await Promise.all([slack.close(), aws.close(), proxy.close()]);
      if (!given) await table.dispose();
    },
  };
}

/** A bot's whole environment on the world, as an operator would set it; `env` adds or overrides. */
export function botEnvironment(world: ProcessWorld, env: Record<string, string> = {}): Record<string, string> {
  const aws = world.aws.url;
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: world.slack.apiUrl,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_IAM: aws,
    AWS_ENDPOINT_URL_STS: aws,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws,
    AWS_ENDPOINT_URL_CLOUDTRAIL: aws,
    AWS_ENDPOINT_URL_ORGANIZATIONS: aws,
    AWS_ENDPOINT_URL_DYNAMODB: world.proxy.url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    INCIDENT_TABLE: world.table.tableName,
    APPROVER_USER_IDS: APPROVER,
    PORT: '0',
    LOG_LEVEL: 'info',
    ...env,
  };
}

/** Bot processes on one world, each with a fresh name (`ki-p1`, `ki-p2` … a restart gets a new one). */
export class ProcessReplicas {
  private started = 0;
  private readonly starting = new Set<Promise<BotProcess>>();
  readonly all: BotProcess[] = [];

  constructor(readonly world: ProcessWorld, private readonly env: Record<string, string>) {}

  /** Those still running. */
  get live(): BotProcess[] {
    return this.all.filter((bot) => bot.alive);
  }

  start(env: Record<string, string> = {}): Promise<BotProcess> {
    const name = `ki-p${++this.started}`;
    const starting = spawnBot(name, botEnvironment(this.world, { ...this.env, ...env })).then((bot) => {
      this.all.push(bot);
      return bot;
    });
    this.starting.add(starting);
    void starting.catch(() => undefined).finally(() => this.starting.delete(starting));
    return starting;
  }

  /** Starts processes until `count` are running or starting; resolves once `count` are running. */
  async ensure(count: number): Promise<BotProcess[]> {
    for (let i = count - this.live.length - this.starting.size; i > 0; i--) void this.start();
    let failure: unknown;
    while (this.live.length < count && this.starting.size > 0) await Promise.race([...this.starting]).catch((err: unknown) => (failure = err));
    if (this.live.length < count) throw new Error(`only ${this.live.length} of ${count} bot processes are running`, { cause: failure });
    return this.live;
  }
}

/**
 * The suite's hooks: a process world labelled `label` before all tests; after each, Slack's
 * and the proxy's faults and delays are cleared; after all, every process is killed and the world
 * closed. `env` is given to every process.
 */
export function useProcessReplicas(label: string, env: Record<string, string>): { readonly replicas: () => ProcessReplicas } {
  let replicas: ProcessReplicas | undefined;
  beforeAll(async () => {
    replicas = new ProcessReplicas(await startProcessWorld(label), env);
  });
  afterEach(() => {
    const world = replicas?.world;
    world?.proxy.reset();
    world?.slack.delayCalls(undefined);
    world?.slack.clearFaults();
  });
  afterAll(async () => {
    await killAllBots();
    await replicas?.world.close();
  });
  return { replicas: () => replicas! };
}
