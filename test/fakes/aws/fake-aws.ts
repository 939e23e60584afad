/**
 * A local HTTP server speaking IAM and STS (awsQuery) to the real AWS SDK. Point
 * `AWS_ENDPOINT_URL_IAM` and `AWS_ENDPOINT_URL_STS` at `url`; seed state with the builders;
 * inject faults with `failNext` / `deny`; assert on `calls`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keyIdForAccount } from './access-key-id.js';
import {
  AccountSeeder,
  type GroupBuilder,
  type PathSeed,
  type PolicyBuilder,
  type PolicyDocumentInput,
  type UserBuilder,
} from './builders.js';
import { dispatch, type AwsCall } from './dispatch.js';
import { FaultPlan, type FailOptions } from './faults.js';
import { FakeAwsWorld } from './world.js';

export interface FakeAwsOptions {
  /** The account the bot's credentials are in (default 111122223333). */
  readonly botAccount?: string;
  /** The bot's principal ARN (default `arn:aws:iam::<botAccount>:user/key-incident-bot`). */
  readonly botArn?: string;
}

export const DEFAULT_BOT_ACCOUNT = '111122223333';

export class FakeAws {
  /** Every request, oldest first, including failed ones and SDK retries. */
  readonly calls: AwsCall[] = [];
  private readonly world: FakeAwsWorld;
  private readonly faults = new FaultPlan();
  private server: Server | undefined;

  private constructor(options: FakeAwsOptions) {
    const account = options.botAccount ?? DEFAULT_BOT_ACCOUNT;
    this.world = new FakeAwsWorld({ account, ...(options.botArn ? { arn: options.botArn } : {}) });
  }

  /** Starts a fake on 127.0.0.1 on a free port. */
  static async start(options: FakeAwsOptions = {}): Promise<FakeAws> {
    const fake = new FakeAws(options);
    await fake.listen();
    return fake;
  }

  /** Base URL, e.g. `http://127.0.0.1:49152`. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('fake AWS is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  get botAccount(): string {
    return this.world.bot.account;
  }

  get botArn(): string {
    return this.world.bot.arn;
  }

  /** Seeds an account's IAM (created empty on first use). */
  account(id: string): AccountSeeder {
    return new AccountSeeder(this.world.account(id));
  }

  /** A user in the bot's account. */
  user(name: string, options?: PathSeed): UserBuilder {
    return this.account(this.botAccount).user(name, options);
  }

  /** A group in the bot's account. */
  group(name: string, options?: PathSeed): GroupBuilder {
    return this.account(this.botAccount).group(name, options);
  }

  /** A customer managed policy in the bot's account. */
  policy(name: string, document: PolicyDocumentInput, options?: PathSeed & { description?: string }): PolicyBuilder {
    return this.account(this.botAccount).policy(name, document, options);
  }

  /** Tells STS the account of a key that no seeded user holds (overrides decoding). */
  registerKey(keyId: string, accountId: string): void {
    this.world.registeredKeys.set(keyId, accountId);
  }

  /** A fresh key id in AWS's format that decodes to `accountId`. */
  keyIdFor(accountId: string): string {
    return keyIdForAccount(accountId);
  }

  /** List pages hold at most `size` items, whatever MaxItems says (as IAM may do). */
  capPageSize(size: number | undefined): void {
    this.world.pageCap = size;
  }

  /** The next call(s) of `action` (or `*`) fail with `code`. */
  failNext(action: string, code: string, options?: FailOptions): void {
    this.faults.failNext(action, code, options);
  }

  /** The next `times` calls of `action` answer Throttling (HTTP 400, "Rate exceeded"). */
  throttle(action: string, times = 1): void {
    this.faults.failNext(action, 'Throttling', { times });
  }

  /** Every call of `action` (or `*`) answers AccessDenied until `allow(action)`. */
  deny(action: string): void {
    this.faults.deny(action);
  }

  allow(action: string): void {
    this.faults.allow(action);
  }

  /** How many requests named `action` arrived (retries included). */
  count(action: string): number {
    return this.calls.filter((c) => c.action === action).length;
  }

  /** Forgets seeded state, faults and calls. */
  reset(): void {
    this.world.reset();
    this.faults.clear();
    this.calls.length = 0;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.answer(req, res).catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const result = await dispatch({ body, authorization: req.headers.authorization }, this.world, this.faults);
    this.calls.push(result.call);
    res.writeHead(result.status, {
      'content-type': 'text/xml',
      'x-amzn-RequestId': result.requestId,
      'content-length': Buffer.byteLength(result.xml),
    });
    res.end(result.xml);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
