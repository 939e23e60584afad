/**
 * The whole bot, started as in production (config from an environment, `startApp`), wired to
 * DynamoDB Local and to wire-level fakes of Slack and AWS. Drives it with signed requests.
 */
import { Writable } from 'node:stream';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { FakeAws } from '../fakes/fake-aws.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { createTestTable, type TestTable } from './dynamodb.js';
import { postInteraction, postSlashCommand, type SignedPostResult, slashCommand, type SlashCommandPayload } from './slack-requests.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';
export const APP_TOKEN = 'xapp-test-app-token';
export const APPROVER = 'U0APPROVER';

/** Collects every log line the app writes; tests can wait for a line. */
export class LogSink extends Writable {
  readonly lines: string[] = [];
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

export interface World {
  readonly slack: FakeSlack;
  readonly aws: FakeAws;
  readonly table: TestTable;
  close(): Promise<void>;
}

/** Fakes and a fresh table, with the SDK pointed at them through its standard settings. */
export async function startWorld(label: string): Promise<World> {
  const [slack, aws, table] = await Promise.all([startFakeSlack(), FakeAws.start(), createTestTable(label)]);
  process.env.AWS_ENDPOINT_URL_IAM = aws.url;
  process.env.AWS_ENDPOINT_URL_STS = aws.url;
  return {
    slack, aws, table,
    close: async () => {
      await Promise.all([slack.close(), aws.close(), table.dispose()]);
    },
  };
}

export interface Bot {
  readonly running: RunningApp;
  readonly logs: LogSink;
  readonly eventsUrl: string;
  readonly baseUrl: string;
  command(text: string, overrides?: Partial<SlashCommandPayload> & { retryNum?: number }): Promise<SignedPostResult>;
  click(payload: object): Promise<SignedPostResult>;
  stop(): Promise<void>;
}

/** Starts one bot process-equivalent on the world (several may share one table). */
export async function startBot(world: World, env: Record<string, string> = {}): Promise<Bot> {
  const logs = new LogSink();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: world.slack.apiUrl,
    AWS_REGION: 'eu-west-1',
    INCIDENT_TABLE: world.table.tableName,
    APPROVER_USER_IDS: APPROVER,
    PORT: '0',
    LOG_LEVEL: 'trace',
    ...env,
  });
  const running = await startApp(config, { logDestination: logs });
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
