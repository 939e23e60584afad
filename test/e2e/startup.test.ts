/**
 * The real entry point (`src/main.ts`) as a separate process: settings from `.env`, one
 * message naming every problem, a clean start and stop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_TOKEN, startWorld, type World } from '../support/harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'src/main.ts');

interface Exit { code: number | null; stdout: string; stderr: string }

function run(cwd: string, env: Record<string, string>): { child: ChildProcess; exited: Promise<Exit>; stdout: () => string } {
  const child = spawn(TSX, [MAIN], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<Exit>((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
  return { child, exited, stdout: () => stdout };
}

/** Resolves when the process has printed a line matching, or rejects when it exits first. */
function printed(p: ReturnType<typeof run>, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = p.stdout().split('\n').find((l) => pattern.test(l));
      if (line) { p.child.stdout!.off('data', check); resolve(line); }
    };
    p.child.stdout!.on('data', check);
    p.exited.then((e) => reject(new Error(`exited ${e.code} before printing ${pattern}: ${e.stderr}${e.stdout}`)));
  });
}

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'ki-start-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('starting the bot', () => {
  it('refuses to start with one message that names every problem and echoes no secret', async () => {
    const p = run(dir, { SLACK_BOT_TOKEN: 'not-a-bot-token-s3cr3t', DRY_RUN: 'perhaps' });
    const exit = await p.exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('key-incident cannot start; fix these settings:');
    for (const name of ['SLACK_BOT_TOKEN does not look like', 'SLACK_SIGNING_SECRET is missing', 'AWS_REGION is missing', 'No approvers', 'DRY_RUN must be true or false']) {
      expect(exit.stderr).toContain(name);
    }
    expect(exit.stderr + exit.stdout).not.toContain('s3cr3t');
  });

  describe('with a complete .env', () => {
    let world: World;
    beforeAll(async () => { world = await startWorld('startup'); });
    afterAll(async () => { await world.close(); });

    it('reads .env, creates its table, answers /healthz and stops cleanly on SIGTERM', async () => {
      const table = `${world.table.tableName}-own`;
      await writeFile(join(dir, '.env'), [
        'SLACK_BOT_TOKEN=xoxb-test-token',
        'SLACK_SIGNING_SECRET=test-signing-secret',
        `SLACK_API_URL=${world.slack.apiUrl}`,
        'AWS_REGION=eu-west-1',
        `INCIDENT_TABLE=${table}`,
        'APPROVERS=anyone',
        'PORT=0',
      ].join('\n'));
      const p = run(dir, {
        AWS_ENDPOINT_URL_DYNAMODB: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '',
        AWS_ENDPOINT_URL_IAM: world.aws.url,
        AWS_ENDPOINT_URL_STS: world.aws.url,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      });
      const started = JSON.parse(await printed(p, /key-incident started/)) as { port: number; mode: string; table: string };
      expect(started).toMatchObject({ mode: 'http', table });
      const health = await fetch(`http://127.0.0.1:${started.port}/healthz`);
      expect(health.status).toBe(200);
      p.child.kill('SIGTERM');
      const exit = await p.exited;
      expect(exit.code).toBe(0);
      expect(exit.stdout).toContain('"signal":"SIGTERM"');
    });

    it('stops cleanly on a SIGTERM that comes while it is still starting', async () => {
      // DynamoDB that accepts the connection and never answers: start-up waits on the table.
      let connected!: () => void;
      const reached = new Promise<void>((done) => (connected = done));
      const held: import('node:net').Socket[] = [];
      const silent = createServer((socket) => { held.push(socket); connected(); });
      await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
      try {
        const p = run(dir, {
          SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 'test-signing-secret', SLACK_API_URL: world.slack.apiUrl,
          AWS_REGION: 'eu-west-1', INCIDENT_TABLE: 'held-table', APPROVERS: 'anyone', PORT: '0',
          AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(silent.address() as { port: number }).port}`,
          AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
        });
        await reached;
        p.child.kill('SIGTERM');
        const exit = await p.exited;
        expect(exit.code).toBe(0);
        expect(exit.stdout).toContain('"signal":"SIGTERM"');
        expect(exit.stdout).toContain('before start-up finished');
      } finally {
        for (const socket of held) socket.destroy();
        await new Promise((done) => silent.close(done));
      }
    });

    describe('on a port another process holds', () => {
      let holder: Server;
      let port: number;
      beforeAll(async () => {
        holder = createServer();
        await new Promise<void>((done) => holder.listen(0, done));
        port = (holder.address() as { port: number }).port;
      });
      afterAll(async () => { await new Promise((done) => holder.close(done)); });

      it.each([
        ['Socket Mode', { SLACK_APP_TOKEN: APP_TOKEN }],
        ['HTTP mode', { SLACK_SIGNING_SECRET: 'test-signing-secret' }],
      ])('in %s, says in one line which port is taken and what to do, and exits 1', async (_mode, slackEnv) => {
        const p = run(dir, {
          ...slackEnv,
          SLACK_BOT_TOKEN: 'xoxb-test-token',
          SLACK_API_URL: world.slack.apiUrl,
          AWS_REGION: 'eu-west-1',
          INCIDENT_TABLE: world.table.tableName,
          APPROVERS: 'anyone',
          PORT: String(port),
          AWS_ENDPOINT_URL_DYNAMODB: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
          // The SDK's warning about Node 20 is not what this test is about.
          NODE_NO_WARNINGS: '1',
        });
        const exit = await p.exited;
        expect(exit.code).toBe(1);
        expect(exit.stderr.trimEnd().split('\n')).toEqual([
          `key-incident failed to start: port ${port} (PORT) is already in use: stop whatever listens on it, or set PORT to a free port.`,
        ]);
        expect(exit.stdout).not.toContain('key-incident started');
        // Start-up stopped before connecting to Slack.
        expect(world.slack.calls.filter((c) => c.method === 'apps.connections.open')).toEqual([]);
      });
    });
  });
});
