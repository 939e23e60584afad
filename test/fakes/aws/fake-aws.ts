/**
 * A local HTTP server speaking IAM and STS (awsQuery), Secrets Manager, CloudTrail and
 * Organizations (JSON 1.1, told apart by the `X-Amz-Target` header) to the real AWS SDK. Point
 * `AWS_ENDPOINT_URL_IAM`, `_STS`, `_SECRETS_MANAGER`, `_CLOUDTRAIL` and `_ORGANIZATIONS` at
 * `url`; seed state with the builders, `trail(region).add(records)` and `organization(…)`;
 * inject faults with `failNext` / `deny`; stop a call midway with `hold`; assert on `calls` and
 * on the state accessors (`userState`, `roleState`, `keyStatus`, `secretValue`,
 * `assumedRoleSessions` …).
 *
 * Across accounts: a role in another account (`account(id).role(name, { trust: trustAccount(…) })`)
 * can be assumed with AssumeRole; requests signed with the session's key then act in that account.
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
  type RoleBuilder,
  type RoleSeed,
  type UserBuilder,
} from './builders.js';
import type { CloudTrailState, RegionTrail } from './cloudtrail-state.js';
import { dispatch, type AwsCall } from './dispatch.js';
import { FaultPlan, type FailOptions } from './faults.js';
import { HoldPlan, type HeldRequest, type HoldHandle, type HoldOptions } from './holds.js';
import {
  roleSnapshot,
  secretSnapshot,
  sessionSnapshot,
  userSnapshot,
  type AssumedRoleSessionSnapshot,
  type RoleSnapshot,
  type SecretSnapshot,
  type UserSnapshot,
} from './inspect.js';
import { dispatchJson, loggedMembers, targetAction } from './json-dispatch.js';
import { OrganizationState, type OrganizationSeed } from './organization-state.js';
import { QueryParams } from './request.js';
import { versionAt, type SecretState } from './secrets-state.js';
import type { KeyStatus } from './state.js';
import { FakeAwsWorld } from './world.js';

/** Where to look for a secret: the bot's account by default, any region unless given. */
export interface SecretLocation {
  readonly account?: string;
  readonly region?: string;
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly requestId: string;
  readonly call: AwsCall;
}

export interface FakeAwsOptions {
  /** The account the bot's credentials are in (default 111122223333). */
  readonly botAccount?: string;
  /** The bot's principal ARN (default `arn:aws:iam::<botAccount>:user/key-incident-bot`). */
  readonly botArn?: string;
}

export const DEFAULT_BOT_ACCOUNT = '111122223333';

/** What a request waits for before the fake handles it, by action (`GetUser`, `LookupEvents` …). */
export type Latency = (action: string) => Promise<void> | void;

export class FakeAws {
  /** Every request, oldest first, including failed ones and SDK retries. */
  readonly calls: AwsCall[] = [];
  /** Retries of calls whose app "crashed" during a hold: swallowed, never applied (see `hold`). */
  readonly swallowed: HeldRequest[] = [];
  private readonly world: FakeAwsWorld;
  private readonly faults = new FaultPlan();
  private readonly holds = new HoldPlan();
  /** SDK invocations whose held request lost its client: their retries come from a "dead" app. */
  private readonly abandoned = new Set<string>();
  private latency: Latency | undefined;
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

  /** A role in the bot's account (trust policy: EC2 unless `trust` is given). */
  role(name: string, options?: RoleSeed): RoleBuilder {
    return this.account(this.botAccount).role(name, options);
  }

  /** A customer managed policy in the bot's account. */
  policy(name: string, document: PolicyDocumentInput, options?: PathSeed & { description?: string }): PolicyBuilder {
    return this.account(this.botAccount).policy(name, document, options);
  }

  /** A Region's CloudTrail history (bot's account by default): `add`, counts, `throttleNext`. Re-take after `reset()`. */
  trail(region: string, account = this.botAccount): RegionTrail {
    return this.world.cloudTrail.trail(account, region);
  }

  /** CloudTrail's clocks and enforced LookupEvents rate limit, for tests to adjust. */
  get cloudTrail(): CloudTrailState {
    return this.world.cloudTrail;
  }

  /**
   * Seeds the AWS Organization (replacing any earlier one); until then every Organizations call
   * answers AWSOrganizationsNotInUseException. The management account is a member even when
   * `accounts` does not list it. Returns the organization id (`o-…`).
   */
  organization(seed: OrganizationSeed): string {
    this.world.organization = new OrganizationState(seed);
    return this.world.organization.id;
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

  /**
   * Catches the next request for `action` (IAM, STS, Secrets Manager …; `*` for any) that
   * `options.match` accepts, to simulate a crash around it: see `holds.ts`. Await `arrived`,
   * then stop the app (destroying its clients, or killing its process, drops the connection)
   * or `release()` to let the request finish.
   *
   * A destroyed SDK client still retries a call whose connection dropped, on a new socket. A
   * crashed process would not, so once a held request's client is gone, every later attempt
   * of the same SDK invocation (same `amz-sdk-invocation-id`) is swallowed: not applied, not
   * recorded, never answered.
   */
  hold(action: string, options: HoldOptions): HoldHandle {
    return this.holds.hold(action, options);
  }

  /**
   * Every request waits for `latency(action)` before it is answered (and before a change it
   * asks for is made), as the network and AWS would make it wait; `undefined` removes it.
   * `reset()` keeps it.
   */
  delayCalls(latency: Latency | undefined): void {
    this.latency = latency;
  }

  /** How many requests named `action` arrived (retries included). */
  count(action: string): number {
    return this.calls.filter((c) => c.action === action).length;
  }

  /** Whether IAM has this user (in the bot's account unless told otherwise). */
  userExists(name: string, accountId = this.botAccount): boolean {
    return this.world.accounts.get(accountId)?.users.has(name) ?? false;
  }

  /** A copy of what the user has now, or undefined once deleted. */
  userState(name: string, accountId = this.botAccount): UserSnapshot | undefined {
    const user = this.world.accounts.get(accountId)?.users.get(name);
    return user && userSnapshot(user);
  }

  /** A copy of the role's trust, inline and attached policies, or undefined when there is no such role. */
  roleState(name: string, accountId = this.botAccount): RoleSnapshot | undefined {
    const role = this.world.accounts.get(accountId)?.roles.get(name);
    return role && roleSnapshot(role);
  }

  /** The status of a key in any account, or undefined when no user has it (deleted). */
  keyStatus(keyId: string): KeyStatus | undefined {
    return this.world.findKey(keyId)?.key.status;
  }

  /** The secret IAM returned when CreateAccessKey made this key (undefined for seeded keys). */
  keySecret(keyId: string): string | undefined {
    return this.world.findKey(keyId)?.key.secret;
  }

  /** The role sessions AssumeRole issued, oldest first (never their secret key or session token). */
  assumedRoleSessions(): AssumedRoleSessionSnapshot[] {
    return this.world.sessions.all().map(sessionSnapshot);
  }

  /** Whether the account still has this virtual MFA device (assigned or not). */
  virtualMfaDeviceExists(serialNumber: string, accountId = this.botAccount): boolean {
    return this.world.accounts.get(accountId)?.virtualMfaDevices.has(serialNumber) ?? false;
  }

  /** A secret's metadata (no value), or undefined when there is no such secret. */
  secret(name: string, where: SecretLocation = {}): SecretSnapshot | undefined {
    const found = this.findSecret(name, where);
    return found && secretSnapshot(found);
  }

  /**
   * The AWSCURRENT value of a secret: the only way the fake gives a secret value to a test
   * (`calls` show `SecretString` as `(redacted)`).
   */
  secretValue(name: string, where: SecretLocation = {}): string | undefined {
    const found = this.findSecret(name, where);
    return found && versionAt(found)?.secretString;
  }

  /** Forgets seeded state (organization and issued role sessions too), faults, holds not yet taken, calls and swallowed retries. */
  reset(): void {
    this.world.reset();
    this.faults.clear();
    this.holds.clear();
    this.abandoned.clear();
    this.calls.length = 0;
    this.swallowed.length = 0;
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

  private findSecret(name: string, { account = this.botAccount, region }: SecretLocation): SecretState | undefined {
    return this.world.secrets.named(account, name).find((s) => region === undefined || s.region === region);
  }

  /** Dispatches one request, honouring a hold on its action; leaves without answering if the client left. */
  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = header(req, 'x-amz-target');
    const gone = new Promise<void>((resolve) => res.once('close', resolve));
    const invocation = header(req, 'amz-sdk-invocation-id');
    const request = describe(target, body, agentOf(header(req, 'user-agent')));
    if (invocation !== undefined && this.abandoned.has(invocation)) {
      this.swallowed.push(request);
      return gone;
    }
    const abandon = () => void (invocation !== undefined && this.abandoned.add(invocation));
    await this.latency?.(request.action);
    const hold = this.holds.take(request);
    if (hold && !hold.apply && !(await hold.holdUntilReleased(request, gone))) return abandon();
    const answer = await this.route(req, body, target);
    const call = request.agent === undefined ? answer.call : { ...answer.call, agent: request.agent };
    this.calls.push(call);
    if (hold?.apply && !(await hold.holdUntilReleased(call, gone))) return abandon();
    res.writeHead(answer.status, {
      'content-type': answer.contentType,
      'x-amzn-RequestId': answer.requestId,
      'content-length': Buffer.byteLength(answer.body),
    });
    res.end(answer.body);
  }

  /** A JSON service (Secrets Manager, CloudTrail, Organizations) when there is a target header, else IAM/STS (awsQuery). */
  private async route(req: IncomingMessage, body: string, target: string | undefined): Promise<Answer> {
    const authorization = req.headers.authorization;
    if (target !== undefined) {
      const { json, ...rest } = dispatchJson({ target, body, authorization }, this.world, this.faults);
      return { ...rest, body: json, contentType: 'application/x-amz-json-1.1' };
    }
    const { xml, ...rest } = await dispatch({ body, authorization }, this.world, this.faults);
    return { ...rest, body: xml, contentType: 'text/xml' };
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `<id>` of the `app/<id>` an SDK adds to its User-Agent when `AWS_SDK_UA_APP_ID` is set. */
function agentOf(userAgent: string | undefined): string | undefined {
  return /(?:^| )app\/([^ ]+)/.exec(userAgent ?? '')?.[1];
}

/** A request as a hold reports it before it is dispatched (secret values redacted). */
function describe(target: string | undefined, body: string, agent: string | undefined): HeldRequest {
  const from = agent === undefined ? {} : { agent };
  if (target === undefined) {
    const { action, params } = QueryParams.parse(body);
    return { action, params: params.toObject(), ...from };
  }
  let input: Record<string, unknown> = {};
  try {
    input = JSON.parse(body) as Record<string, unknown>;
  } catch {
    // an unreadable body is reported without members
  }
  return { action: targetAction(target), params: loggedMembers(input), ...from };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
