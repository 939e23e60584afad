/**
 * A fake Slack for tests that drive the real Bolt app over the wire: the Web API as
 * `@slack/web-api` calls it, `response_url`s, and Socket Mode.
 *
 * HTTP mode:
 * ```ts
 * const fake = await startFakeSlack();               // before `new App`: Bolt calls auth.test in its constructor
 * const app = new App({ token: 'xoxb-test-token', signingSecret, clientOptions: { slackApiUrl: fake.apiUrl } });
 * const server = await app.start(0);                 // http.Server on a free port
 * await postSlashCommand(`http://127.0.0.1:${port}/slack/events`,
 *   slashCommand({ text: 'AKIA…', response_url: fake.responseUrl('cmd-1') }), { signingSecret });
 * const post = await fake.waitForCall('chat.postMessage', (call) => call.params.channel === 'C0INCIDENT');
 * await app.stop(); await fake.close();              // stop the app first
 * ```
 * Socket Mode: `new App({ token, appToken: 'xapp-…', socketMode: true, clientOptions: { slackApiUrl: fake.apiUrl } })`,
 * `await app.start()` (resolves on the fake's hello), then `await fake.socket.sendSlashCommand(slashCommand())`
 * resolves with the app's ack.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FailOptions, type FaultOptions, FaultPlan, TokenPolicy } from './slack/faults.js';
import { FileStore, type SharedFile, UPLOAD_PATH, type UploadRecord } from './slack/files.js';
import { sendJson } from './slack/http-io.js';
import { Journal, type WaitOptions } from './slack/journal.js';
import { RESPONSE_PATH, ResponseUrls } from './slack/response-urls.js';
import { FakeSocketMode } from './slack/socket-mode.js';
import type {
  ApiCallRecord,
  ChannelSetup,
  FakeSlackIdentity,
  FakeSlackOptions,
  FakeSlackRecord,
  ResponseUrlRecord,
  StoredEphemeral,
  StoredMessage,
  StoredView,
  UserSetup,
} from './slack/types.js';
import { ViewRegistry } from './slack/views.js';
import { API_PATH, type CallLatency, WebApiEndpoint } from './slack/web-api-endpoint.js';
import { type NewMessage, Workspace } from './slack/workspace.js';

export type * from './slack/types.js';
export type { SocketAck, SocketEnvelope } from './slack/socket-mode.js';
export type { WaitOptions } from './slack/journal.js';
export type { SharedFile, UploadRecord } from './slack/files.js';
export { describeRecord } from './slack/journal.js';
export type { CallLatency } from './slack/web-api-endpoint.js';

/** Who the fake workspace is unless options say otherwise; payload builders use the same ids. */
export const DEFAULT_SLACK_IDENTITY: FakeSlackIdentity = {
  teamId: 'T0TESTTEAM',
  teamDomain: 'key-incident-test',
  teamName: 'Key Incident Test',
  appId: 'A0TESTAPP',
  botUserId: 'U0TESTBOT',
  botId: 'B0TESTBOT',
  botName: 'key-incident',
};

/** A running fake Slack; create it with `startFakeSlack`. */
export class FakeSlack {
  /** Give this to Bolt/WebClient as `clientOptions.slackApiUrl` (ends with `/`). */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly identity: FakeSlackIdentity;
  /** Socket Mode: push envelopes, await acks, send `disconnect`. */
  readonly socket: FakeSocketMode;
  private readonly journal: Journal;
  private readonly workspace: Workspace;
  private readonly viewRegistry: ViewRegistry;
  private readonly responseUrls: ResponseUrls;
  private readonly webApi: WebApiEndpoint;
  private readonly fileStore: FileStore;
  private readonly faults = new FaultPlan();
  private readonly tokens = new TokenPolicy();

  private constructor(
    private readonly server: Server,
    options: FakeSlackOptions,
  ) {
    const timeoutMs = options.waitTimeoutMs ?? 3000;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.apiUrl = `${this.origin}${API_PATH}`;
    this.identity = { ...DEFAULT_SLACK_IDENTITY, ...definedIdentity(options) };
    this.journal = new Journal(timeoutMs);
    this.workspace = new Workspace(this.identity, options.tsBase ?? 1_732_900_000, options.strictChannels ?? false);
    this.viewRegistry = new ViewRegistry(this.identity);
    this.responseUrls = new ResponseUrls(this.journal);
    this.socket = new FakeSocketMode(this.journal, this.identity, () => this.origin, timeoutMs);
    this.fileStore = new FileStore(() => this.origin);
    const context = { workspace: this.workspace, views: this.viewRegistry, files: this.fileStore, openSocketUrl: () => this.socket.issueUrl() };
    this.webApi = new WebApiEndpoint(this.journal, context, this.faults, this.tokens);
    this.seed(options);
    server.on('request', (req, res) => this.route(req, res).catch((error: unknown) => failRequest(res, error)));
    server.on('upgrade', (req, socket, head) => this.socket.handleUpgrade(req, socket, head));
  }

  /** Starts a fake on 127.0.0.1 with a free port. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new FakeSlack(server, options);
  }

  // ---- Recorded traffic ----

  /** Every record (API calls, response_url posts, socket acks), oldest first. */
  get records(): readonly FakeSlackRecord[] {
    return this.journal.records;
  }

  /** Every Web API call, oldest first. */
  get calls(): ApiCallRecord[] {
    return this.journal.records.filter((record): record is ApiCallRecord => record.kind === 'api');
  }

  /** Calls of one method, oldest first. */
  callsTo(method: string): ApiCallRecord[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** How many times a method was called. */
  count(method: string): number {
    return this.callsTo(method).length;
  }

  /** Posts to response URLs, optionally for one id. */
  responses(id?: string): ResponseUrlRecord[] {
    return this.responseUrls.responses(id);
  }

  /** The current position in the record stream, for `waitFor(…, { after: mark })`. */
  mark(): number {
    return this.journal.lastSeq;
  }

  /** Resolves with the first record (already received or arriving later) matching `predicate`. */
  waitFor(predicate: (record: FakeSlackRecord) => boolean, options?: WaitOptions): Promise<FakeSlackRecord> {
    return this.journal.waitFor(predicate, options);
  }

  /** Resolves with the first call of `method` matching `predicate`. */
  waitForCall(method: string, predicate: (call: ApiCallRecord) => boolean = () => true, options: WaitOptions = {}): Promise<ApiCallRecord> {
    const matches = (record: FakeSlackRecord): record is ApiCallRecord => record.kind === 'api' && record.method === method && predicate(record);
    return this.journal.waitFor(matches, { description: `${method} call`, ...options });
  }

  /** Resolves with the first response_url post matching `predicate`. */
  waitForResponse(predicate: (response: ResponseUrlRecord) => boolean = () => true, options: WaitOptions = {}): Promise<ResponseUrlRecord> {
    const matches = (record: FakeSlackRecord): record is ResponseUrlRecord => record.kind === 'response' && predicate(record);
    return this.journal.waitFor(matches, { description: 'response_url post', ...options });
  }

  // ---- Controls ----

  /** The next call(s) of `method` (or `*` for any) answer `{ ok: false, error }`. */
  failNext(method: string, error: string, options?: FailOptions): void {
    this.faults.failNext(method, error, options);
  }

  /** The next call(s) of `method` (or `*` for any) answer HTTP 429 with `Retry-After`. */
  rateLimitNext(method: string, retryAfterSeconds: number, options?: FaultOptions): void {
    this.faults.rateLimitNext(method, retryAfterSeconds, options);
  }

  /** Drops the answers `failNext` and `rateLimitNext` queued that no call has taken yet. */
  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Every Web API call waits for `latency(call)` before it runs (a message gets its ts only
   * then), as the network and Slack would make it wait; `undefined` removes it.
   */
  delayCalls(latency: CallLatency | undefined): void {
    this.webApi.latency = latency;
  }

  /** Accept only these bot/user tokens; others get `invalid_auth`. */
  requireToken(...tokens: string[]): void {
    this.tokens.requireToken(...tokens);
  }

  /** Accept only these app-level tokens for `apps.connections.open`. */
  requireAppToken(...tokens: string[]): void {
    this.tokens.requireAppToken(...tokens);
  }

  /** A URL on this fake to put in payloads as `response_url`; posts to it are recorded under `id`. */
  responseUrl(id: string): string {
    return `${this.origin}${RESPONSE_PATH}${encodeURIComponent(id)}`;
  }

  // ---- Workspace state ----

  /** Adds or replaces a channel (e.g. one the bot is not a member of). */
  addChannel(channel: ChannelSetup): void {
    this.workspace.addChannel(channel);
  }

  /** Adds a member for `users.info`. */
  addUser(user: UserSetup): void {
    this.workspace.addUser(user);
  }

  /** Sets the members `usergroups.users.list` answers for a group. */
  setUsergroup(id: string, members: readonly string[]): void {
    this.workspace.setUsergroup(id, members);
  }

  /** Sets who is in a channel, for `conversations.members`. */
  setChannelMembers(channelId: string, members: readonly string[]): void {
    this.workspace.setMembers(channelId, members);
  }

  /** Stores a message as if a person posted it (default author `U0TESTUSER`). */
  seedMessage(message: NewMessage): StoredMessage {
    return this.workspace.post({ user: 'U0TESTUSER', ...message });
  }

  /** Channel history: top-level messages (and broadcast replies); all replies with `includeReplies`. */
  messagesIn(channel: string, options?: { includeReplies?: boolean }): StoredMessage[] {
    return this.workspace.messagesIn(channel, options);
  }

  /** A thread: its parent, then its replies. */
  threadOf(channel: string, ts: string): StoredMessage[] {
    return this.workspace.threadOf(channel, ts);
  }

  /** One live message (top-level or reply), or undefined. */
  message(channel: string, ts: string): StoredMessage | undefined {
    return this.workspace.messagesIn(channel, { includeReplies: true }).find((message) => message.ts === ts);
  }

  /** Ephemeral messages, optionally for one user. */
  ephemerals(user?: string): StoredEphemeral[] {
    return this.workspace.ephemerals.filter((ephemeral) => user === undefined || ephemeral.user === user);
  }

  /** Files shared by `files.completeUploadExternal`, oldest first (content as UTF-8 text). */
  get files(): SharedFile[] {
    return this.fileStore.shared();
  }

  /** Every POST to an upload URL handed out by `files.getUploadURLExternal`, oldest first. */
  get uploads(): readonly UploadRecord[] {
    return this.fileStore.uploads;
  }

  /** The next POST(s) to an upload URL answer this HTTP status and store nothing. */
  failNextUpload(status: number, times = 1): void {
    this.fileStore.failNextUpload(status, times);
  }

  /** Modals opened so far, in order. */
  get views(): StoredView[] {
    return this.viewRegistry.all;
  }

  /** Stops the fake: closes sockets and connections, rejects pending waits. Stop apps first. */
  async close(): Promise<void> {
    this.journal.rejectAll('closed while a test was waiting');
    await this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private seed(options: FakeSlackOptions): void {
    for (const channel of options.channels ?? []) this.workspace.addChannel(channel);
    for (const user of options.users ?? []) this.workspace.addUser(user);
    for (const [id, members] of Object.entries(options.usergroups ?? {})) this.workspace.setUsergroup(id, members);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.origin).pathname;
    if (path.startsWith(API_PATH)) return this.webApi.handle(req, res, decodeURIComponent(path.slice(API_PATH.length)));
    if (path.startsWith(UPLOAD_PATH)) return this.fileStore.handleUpload(req, res, decodeURIComponent(path.slice(UPLOAD_PATH.length)));
    if (path.startsWith(RESPONSE_PATH) && req.method === 'POST') {
      return this.responseUrls.handle(req, res, decodeURIComponent(path.slice(RESPONSE_PATH.length)));
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }
}

/** Starts a fake Slack on a free port. Close it (after stopping apps) with `fake.close()`. */
export function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  return FakeSlack.start(options);
}

/** A request the fake could not handle (e.g. the client went away mid-body). */
function failRequest(res: ServerResponse, error: unknown): void {
  console.error('fake Slack: request failed', error);
  if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fake_request_failed' });
}

function definedIdentity(options: FakeSlackOptions): Partial<FakeSlackIdentity> {
  const keys: (keyof FakeSlackIdentity)[] = ['teamId', 'teamDomain', 'teamName', 'appId', 'botUserId', 'botId', 'botName'];
  return Object.fromEntries(keys.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]));
}
