/** Approve / Deny on a proposal. */
import type { BlockButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../../../services/index.js';
import { decideReply } from '../../views/action-replies.js';
import { incidentButton } from './incident-button.js';

/** The button that approves or denies the proposal its value names. */
export function decideActionButton(services: Services, decision: 'approve' | 'deny'): Middleware<SlackActionMiddlewareArgs<BlockButtonAction>> {
  return incidentButton(services, async (ref, userId) =>
    decideReply(await services.decideAction({ incident: ref.incident, actionId: ref.rest, userId, decision })));
}
