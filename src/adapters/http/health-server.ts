/**
 * `GET /healthz`, and the HTTP port the bot listens on: Slack's requests in HTTP mode, only the
 * health check in Socket Mode. A port that cannot be bound becomes one readable error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';

/** Resolves when the bot can serve (its incident table answers). */
export type HealthCheck = () => Promise<void>;

export const HEALTH_PATH = '/healthz';

/** The port is taken, or may not be bound by this process: says which and what to do. */
export class PortUnavailableError extends Error {
  constructor(readonly port: number, readonly code: string, options?: ErrorOptions) {
    super(code === 'EADDRINUSE'
      ? `port ${port} (PORT) is already in use: stop whatever listens on it, or set PORT to a free port.`
      : `cannot listen on port ${port} (PORT): ${code}. Set PORT to a free port above 1023.`, options);
    this.name = 'PortUnavailableError';
  }
}

/** The listen error as `PortUnavailableError` when it is about the port, else unchanged. */
export function portError(err: unknown, port: number): unknown {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'EADDRINUSE' || code === 'EACCES' ? new PortUnavailableError(port, code, { cause: err }) : err;
}

function answerHealth(check: HealthCheck, res: ServerResponse): void {
  check().then(
    () => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok\n'); },
    () => { res.writeHead(503, { 'content-type': 'text/plain' }); res.end('incident table unreachable\n'); },
  );
}

/** `GET /healthz` as a route of Bolt's HTTP receiver: 200 once the check passes, 503 otherwise. */
export function healthRoute(check: HealthCheck): CustomRoute {
  return { path: HEALTH_PATH, method: ['GET'], handler: (_req, res) => answerHealth(check, res) };
}

/**
 * Socket Mode's own HTTP server, answering only `GET /healthz`, bound before Slack is
 * connected: rejects with `PortUnavailableError` when the port cannot be had.
 */
export function listenForHealth(port: number, check: HealthCheck): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === HEALTH_PATH) return answerHealth(check, res);
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(portError(err, port)));
    server.listen(port, () => resolve(server));
  });
}

/** Stops the server, closing idle keep-alive connections too. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
