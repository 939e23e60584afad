/** "All permission details" button: opens the modal for the incident in that thread. */
import type { BlockButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../../../services/index.js';
import { incidentNotInChannelReply } from '../../views/replies.js';
import { permissionsModal } from '../../views/permissions-modal.js';
import { ephemeral, guarded } from '../respond.js';

/** Opens the permissions modal of the incident the button's value names. */
export function permissionDetailsButton(services: Services): Middleware<SlackActionMiddlewareArgs<BlockButtonAction>> {
  return async ({ ack, body, action, client, respond }) => {
    await ack();
    await guarded(services.log, (m) => respond(ephemeral(m)), async () => {
      // Only from the incident's own channel: a crafted click cannot read another incident.
      const incident = await services.incidentIn(action.value ?? '', body.channel?.id);
      if (!incident) {
        await respond(ephemeral(incidentNotInChannelReply()));
        return;
      }
      await client.views.open({ trigger_id: body.trigger_id, view: permissionsModal(incident) });
    });
  };
}
