import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultPlan, InjectedOutcome, TokenPolicy } from './faults.js';
import { type ParsedApiRequest, parseApiRequest, readBody, sendJson } from './http-io.js';
import type { Journal } from './journal.js';
import { type JsonObject, SlackApiError } from './types.js';
import { METHODS, type MethodContext } from './web-api-methods.js';

/** Path prefix of the Web API; `slackApiUrl` is the origin plus this. */
export const API_PATH = '/api/';

/**
 * What a Web API call waits for before the fake runs it, as the network and Slack would make
 * it wait. It may also queue a fault (`failNext`) for the very call it sees.
 */
export type CallLatency = (call: { readonly method: string; readonly params: JsonObject }) => Promise<void> | void;

interface Answer {
  readonly status: number;
  readonly body: JsonObject;
  readonly headers?: Record<string, string>;
}

/**
 * `POST /api/<method>`: checks the token, applies queued faults, runs the method and records
 * the call with its answer. Platform errors are HTTP 200 with `ok: false`, as in Slack.
 */
export class WebApiEndpoint {
  /** Set by `FakeSlack.delayCalls`. */
  latency: CallLatency | undefined;

  constructor(
    private readonly journal: Journal,
    private readonly context: MethodContext,
    private readonly faults: FaultPlan,
    private readonly tokens: TokenPolicy,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const request = parseApiRequest(req, await readBody(req));
    await this.latency?.({ method, params: request.params });
    const answer = this.answer(method, request);
    this.journal.append({
      kind: 'api',
      method,
      params: request.params,
      token: request.token,
      httpStatus: answer.status,
      result: answer.body,
    });
    sendJson(res, answer.status, answer.body, answer.headers);
  }

  private answer(method: string, request: ParsedApiRequest): Answer {
    const refusal = request.bodyError ?? this.tokens.check(method, request.token);
    if (refusal !== undefined) return failure(refusal);
    const injected = this.faults.take(method);
    if (injected !== undefined) return injectedAnswer(injected);
    const handler = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
    if (handler === undefined) return failure('unknown_method', { req_method: method });
    try {
      return { status: 200, body: { ok: true, ...handler(request.params, this.context) } };
    } catch (error) {
      if (error instanceof SlackApiError) return failure(error.code, error.extra);
      // A bug in the fake: answer an error WebClient does not retry, and show the cause.
      console.error(`fake Slack: ${method} threw`, error);
      return failure('internal_error');
    }
  }
}

/** Slack answers platform errors with HTTP 200 and `ok: false`. */
function failure(error: string, extra: JsonObject = {}): Answer {
  return { status: 200, body: { ok: false, error, ...extra } };
}

function injectedAnswer(outcome: InjectedOutcome): Answer {
  if (outcome.kind === 'error') return failure(outcome.error, outcome.extra);
  return {
    status: 429,
    body: { ok: false, error: 'ratelimited' },
    headers: { 'retry-after': String(outcome.retryAfterSeconds) },
  };
}
