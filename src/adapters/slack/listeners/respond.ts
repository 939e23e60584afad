import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { failureReply } from '../views/replies.js';
import type { SlackMessage } from '../views/root-message.js';

export type Reply = (message: SlackMessage) => Promise<unknown>;

/** An ephemeral response body for `ack` or `respond`. */
export const ephemeral = (m: SlackMessage) => ({ response_type: 'ephemeral' as const, text: m.text, blocks: m.blocks });

/**
 * Runs a listener's work after the ack. An unexpected error is logged under a correlation id
 * that the user sees too, so a report can be traced without the log holding any payload.
 */
export async function guarded(log: Logger, reply: Reply, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const correlationId = randomUUID().slice(0, 8);
    log.error({ correlationId, err: { name: (err as Error).name, code: (err as { code?: string }).code, message: (err as Error).message } }, 'listener failed');
    await reply(failureReply(correlationId)).catch(() => undefined);
  }
}
