/**
 * The bot as a real operating-system process: `node --import tsx src/main.ts`, configured only
 * through its environment, as an operator runs it. Its pino lines are collected in a `LogSink`;
 * its port is read from its "key-incident started" line; it dies by SIGKILL, with no clean stop.
 * Every process started here is killed when the test process exits, and ends itself should
 * the test process die without exiting (`exit-with-parent.ts`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LogSink, SIGNING_SECRET } from './harness.js';
import { postInteraction, postSlashCommand, type SignedPostResult, slashCommand, type SlashCommandPayload } from './slack-requests.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Loaded machines start a tsx process in 1–3 s; this is only the limit. */
const START_TIMEOUT_MS = 60_000;

export interface BotProcess {
  /** Its `AWS_SDK_UA_APP_ID`: the `app/<name>` in the User-Agent of every AWS request it sends. */
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  readonly logs: LogSink;
  readonly eventsUrl: string;
  /** Resolves once the process has exited, with its signal (`SIGKILL`) or code. */
  readonly exited: Promise<string>;
  readonly alive: boolean;
  command(text: string, overrides?: Partial<SlashCommandPayload>): Promise<SignedPostResult>;
  click(payload: object): Promise<SignedPostResult>;
  /** SIGKILL; resolves once it is gone. */
  kill(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts `src/main.ts` with exactly `env` (plus PATH and HOME); resolves once it listens. */
export async function spawnBot(name: string, env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/support/exit-with-parent.ts', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AWS_SDK_UA_APP_ID: name, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const logs = new LogSink();
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => logs.write(`${line}\n`));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<string>((done) => child.once('exit', (code, signal) => {
    live.delete(child);
    done(signal ?? String(code));
  }));
  const port = await Promise.race([
    logs.waitFor((line) => line.includes('"key-incident started"'), START_TIMEOUT_MS).then((line) => (JSON.parse(line) as { port: number }).port),
    exited.then((how) => { throw new Error(`bot ${name} exited (${how}) before it started:\n${stderr.join('')}${logs.text}`); }),
  ]).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return processHandle(name, child, port, logs, exited);
}

function processHandle(name: string, child: ChildProcess, port: number, logs: LogSink, exited: Promise<string>): BotProcess {
  const eventsUrl = `http://127.0.0.1:${port}/slack/events`;
  return {
    name, pid: child.pid!, port, logs, eventsUrl, exited,
    get alive() { return child.exitCode === null && child.signalCode === null; },
    command: (text, overrides = {}) => postSlashCommand(eventsUrl, slashCommand({ text, ...overrides }), { signingSecret: SIGNING_SECRET }),
    click: (payload) => postInteraction(eventsUrl, payload, { signingSecret: SIGNING_SECRET }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

/** SIGKILLs every bot process still running; resolves once they are gone. */
export async function killAllBots(): Promise<void> {
  const exits = [...live].map((child) => new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  }));
  await Promise.all(exits);
}
