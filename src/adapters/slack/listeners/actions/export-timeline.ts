/** "Export timeline" button: the postmortem as Markdown, uploaded into the thread. */
import type { BlockButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../../../services/index.js';
import { exportReply } from '../../views/incident-replies.js';
import { guarded } from '../respond.js';
import { NOT_HERE, privateReply } from './private-reply.js';

/** Exports the incident the button's value names, when it lives in the click's channel. */
export function exportTimelineButton(services: Services): Middleware<SlackActionMiddlewareArgs<BlockButtonAction>> {
  return async ({ ack, body, action, respond }) => {
    await ack();
    const reply = privateReply(respond);
    await guarded(services.log, reply, async () => {
      const incident = await services.incidentIn(action.value ?? '', body.channel?.id);
      if (!incident) return void (await reply(NOT_HERE));
      await reply(exportReply(incident, await services.exportIncident(incident, 'md', body.user.id)));
    });
  };
}
