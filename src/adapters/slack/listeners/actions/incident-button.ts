/** A button on an incident's message whose value is `incidentId:rest` (see `actionRef`). */
import type { BlockButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Incident } from '../../../../domain/incident/incident.js';
import type { Services } from '../../../../services/index.js';
import { parseRef } from '../../interaction-ids.js';
import type { SlackMessage } from '../../views/root-message.js';
import { guarded } from '../respond.js';
import { NOT_HERE, privateReply } from './private-reply.js';

/** The incident a button names, and the rest of its value (an action id). */
export interface ButtonRef {
  readonly incident: Incident;
  readonly rest: string;
}

/**
 * Acks, then resolves the button's value against the channel the click came from and hands
 * over to `work`, answering privately with what it returns.
 */
export function incidentButton(
  services: Services,
  work: (ref: ButtonRef, userId: string) => Promise<SlackMessage | undefined>,
): Middleware<SlackActionMiddlewareArgs<BlockButtonAction>> {
  return async ({ ack, body, action, respond }) => {
    await ack();
    const reply = privateReply(respond);
    await guarded(services.log, reply, async () => {
      const ref = parseRef(action.value);
      const incident = ref && (await services.incidentIn(ref.incidentId, body.channel?.id));
      const message = ref && incident ? await work({ incident, rest: ref.rest }, body.user.id) : NOT_HERE;
      if (message) await reply(message);
    });
  };
}
