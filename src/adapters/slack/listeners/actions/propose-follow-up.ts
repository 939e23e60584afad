/** Undo / Propose again on a finished action. */
import type { BlockButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../../../services/index.js';
import { proposeReply } from '../../views/action-replies.js';
import { incidentButton } from './incident-button.js';

/** The button that proposes undoing, or doing again, the action its value names. */
export function proposeFollowUpButton(services: Services, mode: 'undo' | 'again'): Middleware<SlackActionMiddlewareArgs<BlockButtonAction>> {
  return incidentButton(services, async (ref, userId) =>
    proposeReply(await services.proposeFollowUp({ incidentId: ref.incident.id, actionId: ref.rest, userId, mode })));
}
