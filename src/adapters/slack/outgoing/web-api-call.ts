/** The one way the outgoing adapters call Slack: a failure becomes a `SlackError` naming the method. */
import { SlackError } from '../../../domain/errors.js';

/**
 * Slack's error string from a failure (`data.error` of a Web API answer); a transport failure
 * keeps its own code, and one with neither gets `fallback`.
 */
export function slackError(method: string, err: unknown, fallback = 'unknown_error'): SlackError {
  const e = err as { code?: string; data?: { error?: string } };
  return new SlackError(e.data?.error ?? e.code ?? fallback, method, { cause: err });
}

/** Runs one Web API call; whatever it throws is rethrown as a `SlackError` for `method`. */
export async function callWebApi<T>(method: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw slackError(method, err);
  }
}
