/** Structured logs: fields, never payloads, tokens or secrets. */
import type { Logger as BoltLogger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';
import pino, { type DestinationStream, type Logger } from 'pino';

/** Field names whose values are never written, wherever they appear. */
const REDACT = ['token', 'botToken', 'appToken', 'signingSecret', 'secret', 'secretAccessKey', 'SecretAccessKey', 'authorization', 'text'];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const paths = [...REDACT, ...REDACT.map((k) => `*.${k}`)];
  return pino({ level, base: { app: 'key-incident' }, redact: { paths, censor: '[redacted]' } }, destination);
}

/**
 * Bolt's logger on top of ours. Bolt and the Web API client may log request details at
 * debug level, so their debug lines are dropped whatever LOG_LEVEL says.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack' });
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: () => undefined,
    info: (...msg) => child.info(text(msg)),
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    setLevel: (l) => { level = l === LogLevel.DEBUG ? LogLevel.INFO : l; },
    getLevel: () => level,
    setName: () => undefined,
  };
}
