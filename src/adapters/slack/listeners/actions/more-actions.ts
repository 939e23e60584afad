/** The "More actions" menu: proposes the containment action chosen. */
import type { BlockStaticSelectAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../../../services/index.js';
import { parseRef } from '../../interaction-ids.js';
import { proposeReply } from '../../views/action-replies.js';
import { guarded } from '../respond.js';
import { NOT_HERE, privateReply } from './private-reply.js';

/** Proposes the action kind of the chosen option (`incidentId:kind`) on that incident, when its menu offers it. */
export function moreActionsMenu(services: Services): Middleware<SlackActionMiddlewareArgs<BlockStaticSelectAction>> {
  return async ({ ack, body, action, respond }) => {
    await ack();
    const reply = privateReply(respond);
    await guarded(services.log, reply, async () => {
      const ref = parseRef(action.selected_option?.value);
      const incident = ref && (await services.incidentIn(ref.incidentId, body.channel?.id));
      if (!ref || !incident) return void (await reply(NOT_HERE));
      const message = proposeReply(await services.proposeFromMenu({ incidentId: incident.id, kind: ref.rest, userId: body.user.id }, incident));
      if (message) await reply(message);
    });
  };
}
