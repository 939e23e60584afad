/**
 * A proxy in front of DynamoDB Local where a suite kills processes and injects faults on the
 * wire, so the app meets them exactly as it would meet them from DynamoDB. Point the app's
 * `AWS_ENDPOINT_URL_DYNAMODB` at `url`.
 *
 * Everything is forwarded as it came: method, path, raw headers (Host and the SigV4 signature
 * included, in their order) and the body byte for byte; DynamoDB's answer comes back the same
 * way. On top of that a test can:
 * - `trap(match, phase, fire)`: on the next request `match` accepts, run `fire` (e.g. SIGKILL
 *   the process that sent it), either before forwarding it (`request`: DynamoDB never sees it)
 *   or once DynamoDB answered (`answer`: the write landed, its sender never hears so). Either
 *   way the request's connection is then dropped.
 * - `failNext(operation, fault)` and `randomFaults(plan)`: answer in DynamoDB's place with its
 *   throttling errors, or a transaction conflict for TransactWriteItems (see `errors.ts`).
 * Requests are told apart by operation (`X-Amz-Target`), body, and the `app/<id>` of the
 * User-Agent (`AWS_SDK_UA_APP_ID`, one per process).
 */
import { Agent, createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoFault, type ErrorAnswer, throttled, transactionConflict } from './errors.js';

export { DynamoFault } from './errors.js';

/** One request as the proxy saw it. */
export interface DynamoRequest {
  /** `TransactWriteItems`, `GetItem` … (from `X-Amz-Target: DynamoDB_20120810.<operation>`). */
  readonly operation: string;
  /** The JSON body, parsed (`{}` when it is not JSON). */
  readonly input: Readonly<Record<string, unknown>>;
  /** The `app/<id>` of the User-Agent, when set. */
  readonly agent: string | undefined;
}

/** Before forwarding, or once DynamoDB answered. */
export type TrapPhase = 'request' | 'answer';

/** After `fire`: drop the connection, or go on (forward the request, deliver DynamoDB's answer). */
export type TrapEnd = 'drop' | 'deliver';

export interface TrapHandle {
  /** Resolves with the request once `fire` has run. */
  readonly fired: Promise<DynamoRequest>;
  /** Withdraws the trap if it has not fired. */
  cancel(): void;
}

/** Faults injected at random: each eligible request gets one with probability `rate`. */
export interface RandomFaults {
  readonly rate: number;
  /** Share of TransactWriteItems faults that are conflicts rather than throttling (0–1). */
  readonly conflictShare: number;
  /** A seeded source of numbers in [0, 1). */
  readonly random: () => number;
}

/** DynamoDB's answer, as it came. */
interface Forwarded {
  readonly status: number;
  readonly rawHeaders: string[];
  readonly body: Buffer;
}

interface Trap {
  readonly match: (request: DynamoRequest) => boolean;
  readonly phase: TrapPhase;
  readonly fire: (request: DynamoRequest) => Promise<void> | void;
  readonly then: TrapEnd;
  readonly fired: (request: DynamoRequest) => void;
}

export class DynamoFaultProxy {
  /** Faults answered so far, by kind. */
  readonly injected: Record<DynamoFault, number> = { [DynamoFault.Throttling]: 0, [DynamoFault.ProvisionedThroughput]: 0, [DynamoFault.TransactionConflict]: 0 };
  /** Requests forwarded to DynamoDB. */
  forwarded = 0;
  /** Every request that arrived, oldest first (operation and sender). */
  readonly seen: Pick<DynamoRequest, 'operation' | 'agent'>[] = [];
  private readonly traps: Trap[] = [];
  private readonly planned: { operation: string; fault: DynamoFault; match: (request: DynamoRequest) => boolean }[] = [];
  private random: RandomFaults | undefined;
  private readonly agent = new Agent({ keepAlive: true });

  private constructor(private readonly server: Server, private readonly upstream: URL) {
    server.on('request', (req, res) => void this.handle(req, res).catch(() => res.destroy()));
  }

  /** Starts a proxy to `upstream` (DynamoDB Local's `http://127.0.0.1:<port>`) on a free port. */
  static async start(upstream: string): Promise<DynamoFaultProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new DynamoFaultProxy(server, new URL(upstream));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  trap(match: (request: DynamoRequest) => boolean, phase: TrapPhase, fire: (request: DynamoRequest) => Promise<void> | void, then: TrapEnd = 'drop'): TrapHandle {
    let fired!: (request: DynamoRequest) => void;
    const done = new Promise<DynamoRequest>((resolve) => (fired = resolve));
    const trap: Trap = { match, phase, fire, then, fired };
    this.traps.push(trap);
    return { fired: done, cancel: () => this.remove(trap) };
  }

  /** The next `times` requests of `operation` (`*`: any) that `match` accepts get `fault` instead of DynamoDB's answer. */
  failNext(operation: string, fault: DynamoFault, times = 1, match: (request: DynamoRequest) => boolean = () => true): void {
    for (let i = 0; i < times; i++) this.planned.push({ operation, fault, match });
  }

  /** Faults at random from now on; `undefined` stops them. */
  randomFaults(plan: RandomFaults | undefined): void {
    this.random = plan;
  }

  /** Forgets traps, planned and random faults, and counts. */
  reset(): void {
    this.traps.length = 0;
    this.planned.length = 0;
    this.random = undefined;
    this.forwarded = 0;
    this.seen.length = 0;
    for (const fault of Object.values(DynamoFault)) this.injected[fault] = 0;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private remove(trap: Trap): void {
    const index = this.traps.indexOf(trap);
    if (index >= 0) this.traps.splice(index, 1);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const request = describe(req, body);
    this.seen.push({ operation: request.operation, agent: request.agent });
    const trap = this.traps.find((t) => t.match(request));
    if (trap?.phase === 'request') {
      this.remove(trap);
      await trap.fire(request);
      if (trap.then === 'drop') return this.dropped(trap, request, res);
    }
    const fault = trap ? undefined : this.faultFor(request);
    if (fault) return send(res, fault);
    const answer = await this.forward(req, body);
    // An answer trap waits for a write that landed (a refused one is answered, and it stays armed).
    const springs = trap?.phase === 'answer' && answer.status === 200 && this.traps.includes(trap);
    if (springs) {
      this.remove(trap);
      await trap.fire(request);
      if (trap.then === 'drop') return this.dropped(trap, request, res);
    }
    res.writeHead(answer.status, answer.rawHeaders);
    res.end(answer.body);
    if (trap?.phase === 'request' || springs) trap!.fired(request);
  }

  private dropped(trap: Trap, request: DynamoRequest, res: ServerResponse): void {
    res.destroy();
    trap.fired(request);
  }

  /** A planned fault, else (maybe) a random one; none for operations outside the table's data. */
  private faultFor(request: DynamoRequest): ErrorAnswer | undefined {
    const index = this.planned.findIndex((p) => (p.operation === request.operation || p.operation === '*') && p.match(request));
    const planned = index < 0 ? undefined : this.planned.splice(index, 1)[0]!.fault;
    const fault = planned ?? this.randomFault(request);
    if (!fault) return undefined;
    this.injected[fault]++;
    const items = (request.input.TransactItems as unknown[] | undefined)?.length ?? 0;
    if (fault !== DynamoFault.TransactionConflict) return throttled(fault);
    return transactionConflict(items, Math.floor((this.random?.random() ?? 0) * items));
  }

  private randomFault(request: DynamoRequest): DynamoFault | undefined {
    const plan = this.random;
    if (!plan || !DATA_OPERATIONS.has(request.operation) || plan.random() >= plan.rate) return undefined;
    if (request.operation === 'TransactWriteItems' && plan.random() < plan.conflictShare) return DynamoFault.TransactionConflict;
    return plan.random() < 0.5 ? DynamoFault.Throttling : DynamoFault.ProvisionedThroughput;
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<Forwarded> {
    this.forwarded++;
    return new Promise((resolve, reject) => {
      const upstream = httpRequest({
        host: this.upstream.hostname, port: this.upstream.port, method: req.method, path: req.url, agent: this.agent,
        // Raw headers as sent, in order; Host stays what the client signed.
        headers: req.rawHeaders,
        setHost: false,
      }, (answer) => {
        void readBody(answer).then((data) => resolve({ status: answer.statusCode ?? 502, rawHeaders: answer.rawHeaders, body: data }), reject);
      });
      upstream.once('error', reject);
      upstream.end(body);
    });
  }
}

/** Operations on items (not the table's own: CreateTable, DescribeTable stay faultless). */
const DATA_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'TransactWriteItems', 'TransactGetItems', 'BatchGetItem', 'BatchWriteItem']);

function describe(req: IncomingMessage, body: Buffer): DynamoRequest {
  const target = String(req.headers['x-amz-target'] ?? '');
  let input: Record<string, unknown> = {};
  try {
    input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    // not JSON: matched by operation and agent only
  }
  const agent = /(?:^| )app\/([^ ]+)/.exec(String(req.headers['user-agent'] ?? ''))?.[1];
  return { operation: target.slice(target.indexOf('.') + 1), input, agent };
}

function send(res: ServerResponse, answer: ErrorAnswer): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

async function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
