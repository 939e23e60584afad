/**
 * The whole bot, started as in production (config from an environment, `startApp`), wired to
 * DynamoDB Local and to wire-level fakes of Slack and AWS. Drives it with signed requests.
 */
import { Writable } from 'node:stream';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { FakeAws, type FakeAwsOptions } from '../fakes/fake-aws.js';
import { type FakeSlack, type SocketAck, startFakeSlack } from '../fakes/fake-slack.js';
import { createTestTable, type TestTable } from './dynamodb.js';
import { liveLogs } from './live-logs.js';
import {
  postInteraction, postSlashCommand, type SignedPostResult, slashCommand, type SlashCommandPayload, TEST_CHANNEL, TEST_USER,
} from './slack-requests.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';
export const APP_TOKEN = 'xapp-test-app-token';
export const APPROVER = 'U0APPROVER';
/** A member of the incident channel (`TEST_CHANNEL`) who is no approver and takes part in nothing unless a test says so. */
export const CHANNEL_MEMBER = 'U0MEMBER';

/** Collects every log line the app writes; tests can wait for a line. */
export class LogSink extends Writable {
  readonly lines: string[] = [];

  constructor() {
    super();
    liveLogs.add(this);
  }

  private readonly waiters = new Set<{ match: (line: string) => boolean; resolve: (line: string) => void }>();

  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter((l) => l !== '')) {
      this.lines.push(line);
      for (const w of this.waiters) if (w.match(line)) { this.waiters.delete(w); w.resolve(line); }
    }
    done();
  }

  /** Resolves with the first line (already written or to come) matching; rejects after `timeoutMs`. */
  waitFor(match: (line: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const seen = this.lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (line: string) => { clearTimeout(timer); resolve(line); } };
      const timer = setTimeout(() => { this.waiters.delete(waiter); reject(new Error('no matching log line')); }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  get text(): string {
    return this.lines.join('\n');
  }
}

/**
 * Resolves with every matching line once, across `sinks` (e.g. several app instances), at
 * least `count` lines match; rejects after `timeoutMs` saying how many did.
 */
export async function waitForLines(sinks: readonly LogSink[], match: (line: string) => boolean, count: number, timeoutMs = 10_000): Promise<string[]> {
  const matching = () => sinks.flatMap((sink) => sink.lines.filter(match));
  const deadline = Date.now() + timeoutMs;
  while (matching().length < count) {
    const remaining = deadline - Date.now();
    const seen = sinks.map((sink) => sink.lines.filter(match).length);
    // The next matching line in any sink, then count again.
    const next = sinks.map((sink, i) => sink.waitFor((line) => match(line) && sink.lines.filter(match).length > seen[i]!, Math.max(1, remaining)));
    await Promise.race(next).catch(() => {
      throw new Error(`expected ${count} matching log lines, saw ${matching().length}`);
    });
  }
  return matching();
}

export interface World {
  readonly slack: FakeSlack;
  readonly aws: FakeAws;
  readonly table: TestTable;
  close(): Promise<void>;
}

/** Fakes and a fresh table, with the SDK pointed at them through its standard settings. */
export async function startWorld(label: string, awsOptions: FakeAwsOptions = {}): Promise<World> {
  // Waits end as soon as what they wait for arrives; the limit only matters on a loaded machine.
  const [slack, aws, table] = await Promise.all([startFakeSlack({ waitTimeoutMs: 20_000, channels: [{ ...TEST_CHANNEL, members: [TEST_USER.id, CHANNEL_MEMBER] }] }), FakeAws.start(awsOptions), createTestTable(label)]);
  process.env.AWS_ENDPOINT_URL_IAM = aws.url;
  process.env.AWS_ENDPOINT_URL_STS = aws.url;
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = aws.url;
  process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = aws.url;
  process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = aws.url;
  return {
    slack, aws, table,
    close: async () => {
      await Promise.all([slack.close(), aws.close(), table.dispose()]);
    },
  };
}

/** What driving an app over HTTP needs: its events URL, a slash command, a click (an in-process `Bot` or a `BotProcess`). */
export interface BotDriver {
  readonly eventsUrl: string;
  command(text: string): Promise<SignedPostResult>;
  click(payload: object): Promise<SignedPostResult>;
}

export interface Bot extends BotDriver {
  readonly running: RunningApp;
  readonly logs: LogSink;
  readonly eventsUrl: string;
  readonly baseUrl: string;
  command(text: string, overrides?: Partial<SlashCommandPayload> & { retryNum?: number }): Promise<SignedPostResult>;
  click(payload: object): Promise<SignedPostResult>;
  stop(): Promise<void>;
}

/** Starts one bot process-equivalent on the world (several may share one table). */
/** The bot's settings on the world's fakes and table, as an operator would give them. */
function botConfig(world: World, env: Record<string, string>) {
  return loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: world.slack.apiUrl,
    AWS_REGION: 'eu-west-1',
    INCIDENT_TABLE: world.table.tableName,
    APPROVER_USER_IDS: APPROVER,
    PORT: '0',
    LOG_LEVEL: 'trace',
    ...env,
  });
}

/** A clock tests can move forward (expiry, reconciliation after a crash). */
export class TestClock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export async function startBot(world: World, env: Record<string, string> = {}, options: { clock?: TestClock } = {}): Promise<Bot> {
  const logs = new LogSink();
  const config = botConfig(world, { SLACK_SIGNING_SECRET: SIGNING_SECRET, ...env });
  const running = await startApp(config, { logDestination: logs, ...(options.clock ? { clock: options.clock } : {}) });
  const baseUrl = `http://127.0.0.1:${running.port}`;
  const eventsUrl = `${baseUrl}/slack/events`;
  return {
    running, logs, baseUrl, eventsUrl,
    command: (text, { retryNum, ...overrides } = {}) =>
      postSlashCommand(eventsUrl, slashCommand({ text, ...overrides }), { signingSecret: SIGNING_SECRET, ...(retryNum ? { retryNum } : {}) }),
    click: (payload) => postInteraction(eventsUrl, payload, { signingSecret: SIGNING_SECRET }),
    stop: () => running.stop(),
  };
}

export interface SocketModeBot {
  readonly running: RunningApp;
  readonly logs: LogSink;
  /** The bot's own HTTP server (custom routes such as `/healthz`). */
  readonly baseUrl: string;
  /** Pushes a `/key-incident` slash_commands envelope over the fake's socket; resolves with the app's ack. */
  command(text: string, overrides?: Partial<SlashCommandPayload>, options?: { timeoutMs?: number }): Promise<SocketAck>;
  stop(): Promise<void>;
}

/**
 * Starts the bot in Socket Mode (SLACK_APP_TOKEN set, no signing secret) on the world's fake
 * Slack; resolves once the fake's `hello` arrived. Stop it before closing the world.
 */
export async function startSocketModeBot(world: World, env: Record<string, string> = {}): Promise<SocketModeBot> {
  const logs = new LogSink();
  const config = botConfig(world, { SLACK_APP_TOKEN: APP_TOKEN, ...env });
  const running = await startApp(config, { logDestination: logs });
  return {
    running, logs,
    baseUrl: `http://127.0.0.1:${running.port}`,
    command: (text, overrides = {}, options = {}) => world.slack.socket.sendSlashCommand(slashCommand({ text, ...overrides }), options),
    stop: () => running.stop(),
  };
}

/** Every item in the table. */
export async function scanTable(table: TestTable): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
