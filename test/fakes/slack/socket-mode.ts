import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { isObject } from './http-io.js';
import type { Journal } from './journal.js';
import type { FakeSlackIdentity, JsonObject, SocketAckRecord } from './types.js';

/** Path of the fake's Socket Mode WebSocket, like Slack's `wss://…/link/?ticket=…`. */
export const SOCKET_PATH = '/link/';

/** An envelope Slack pushes over Socket Mode; `envelope_id` is generated when absent. */
export interface SocketEnvelope {
  readonly envelope_id?: string;
  readonly type: 'slash_commands' | 'interactive' | 'events_api' | (string & {});
  readonly payload: JsonObject;
  readonly accepts_response_payload?: boolean;
  readonly retry_attempt?: number;
  readonly retry_reason?: string;
}

/** The app's acknowledgement of an envelope. */
export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: JsonObject;
}

/** Options of `send…`. */
export interface SendOptions {
  /** How long to wait for the ack (default: the fake's `waitTimeoutMs`). */
  readonly timeoutMs?: number;
}

/**
 * Slack's side of Socket Mode: single-use connection URLs from `apps.connections.open`, a
 * `hello` on connect, envelopes pushed by tests, acks recorded and awaited, and `disconnect`
 * messages. The `ws` server answers the client's pings by itself.
 */
export class FakeSocketMode {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets: WebSocket[] = [];
  private readonly connectionListeners = new Set<() => void>();

  constructor(
    private readonly journal: Journal,
    private readonly identity: FakeSlackIdentity,
    private readonly origin: () => string,
    private readonly defaultTimeoutMs: number,
  ) {}

  /** Number of open connections. */
  get openConnections(): number {
    return this.sockets.length;
  }

  /** A single-use WebSocket URL, as `apps.connections.open` returns. */
  issueUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${this.origin().replace(/^http/, 'ws')}${SOCKET_PATH}?ticket=${ticket}&app_id=${this.identity.appId}`;
  }

  /** Takes over an HTTP upgrade to the socket path; refuses unknown or reused tickets. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== SOCKET_PATH || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.server.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** Resolves once at least one connection is open. */
  waitForConnection(options: SendOptions = {}): Promise<void> {
    if (this.sockets.length > 0) return Promise.resolve();
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise((resolve, reject) => {
      const listener = (): void => {
        clearTimeout(timer);
        this.connectionListeners.delete(listener);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connectionListeners.delete(listener);
        reject(new Error(`fake Slack: no Socket Mode connection within ${timeoutMs} ms`));
      }, timeoutMs);
      this.connectionListeners.add(listener);
    });
  }

  /** Pushes an envelope over the newest connection and resolves with the app's ack. */
  async send(envelope: SocketEnvelope, options: SendOptions = {}): Promise<SocketAck> {
    const socket = this.sockets.at(-1);
    if (socket === undefined) throw new Error('fake Slack: no Socket Mode connection is open (was app.start() awaited?)');
    const envelopeId = envelope.envelope_id ?? randomUUID();
    const mark = this.journal.lastSeq;
    socket.send(JSON.stringify({ ...envelope, envelope_id: envelopeId }));
    const ack = await this.journal.waitFor((record): record is SocketAckRecord => record.kind === 'ack' && record.envelopeId === envelopeId, {
      after: mark,
      timeoutMs: options.timeoutMs,
      description: `ack of ${envelope.type} envelope ${envelopeId}`,
    });
    return ack.payload === undefined ? { envelope_id: envelopeId } : { envelope_id: envelopeId, payload: ack.payload };
  }

  /** Pushes a slash command (`type: slash_commands`, responses accepted). */
  sendSlashCommand(payload: object, options?: SendOptions): Promise<SocketAck> {
    return this.send({ type: 'slash_commands', payload: { ...payload }, accepts_response_payload: true }, options);
  }

  /** Pushes an interactivity payload (block_actions, view_submission, …). */
  sendInteractive(payload: object, options?: SendOptions): Promise<SocketAck> {
    return this.send({ type: 'interactive', payload: { ...payload }, accepts_response_payload: true }, options);
  }

  /** Pushes an Events API payload (the `event_callback` wrapper). */
  sendEvent(payload: object, options: SendOptions & { retryAttempt?: number; retryReason?: string } = {}): Promise<SocketAck> {
    const retry = { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' };
    return this.send({ type: 'events_api', payload: { ...payload }, accepts_response_payload: false, ...retry }, options);
  }

  /** Sends Slack's `disconnect` message (e.g. before a connection refresh); the client reconnects. */
  disconnect(reason: 'refresh_requested' | 'warning' | 'link_disabled' | (string & {}) = 'refresh_requested'): void {
    const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } });
    for (const socket of this.sockets) socket.send(message);
  }

  /**
   * Closes every connection (a close handshake, then a hard stop after 1 s) and stops
   * accepting new ones. A client that was not stopped first will try to reconnect.
   */
  async close(): Promise<void> {
    await Promise.all(this.sockets.splice(0).map((socket) => closeGracefully(socket)));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.sockets.push(socket);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.recordAck(data.toString());
    });
    // A peer that vanishes mid-frame emits 'error' before 'close'; only 'close' matters here.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const index = this.sockets.indexOf(socket);
      if (index >= 0) this.sockets.splice(index, 1);
    });
    socket.send(JSON.stringify(this.hello()));
    for (const listener of [...this.connectionListeners]) listener();
  }

  /** Slack's first message on a connection. */
  private hello(): JsonObject {
    return {
      type: 'hello',
      num_connections: this.sockets.length,
      debug_info: { host: 'applink-fake', started: slackTime(new Date()), build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: this.identity.appId },
    };
  }

  private recordAck(raw: string): void {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (!isObject(message) || typeof message.envelope_id !== 'string') return;
    this.journal.append({
      kind: 'ack',
      envelopeId: message.envelope_id,
      payload: isObject(message.payload) ? message.payload : undefined,
    });
  }
}

/** Slack's `debug_info.started` format: "2020-10-11 12:12:12.120". */
function slackTime(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 23);
}

/** Completes (or starts) the close handshake, terminating a peer that does not answer. */
function closeGracefully(socket: WebSocket, timeoutMs = 1000): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.terminate(), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1000);
  });
}
