/** Approve / Deny / Undo / Propose again buttons, and the "More actions" menu. */
import type { App, BlockButtonAction, BlockStaticSelectAction } from '@slack/bolt';
import { isActionKind } from '../../../domain/actions.js';
import type { Services } from '../../../services/index.js';
import { ActionId, parseRef } from '../ids.js';
import { decideReply, proposeReply } from '../views/action-replies.js';
import { invalidReply } from '../views/replies.js';
import type { SlackMessage } from '../views/root-message.js';
import { ephemeral, guarded } from './respond.js';

type Respond = (message: object) => Promise<unknown>;

/** An ephemeral answer under the clicked message, never replacing it. */
const replyWith = (respond: Respond) => (m: SlackMessage) => respond({ ...ephemeral(m), replace_original: false });

const NOT_HERE = invalidReply('That belongs to no incident in this channel.');

function registerDecision(app: App, services: Services, actionId: string, decision: 'approve' | 'deny'): void {
  app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
    await ack();
    const reply = replyWith(respond);
    await guarded(services.log, reply, async () => {
      const ref = parseRef(action.value);
      const incident = ref && (await services.incidentIn(ref.incidentId, body.channel?.id));
      if (!ref || !incident) return void (await reply(NOT_HERE));
      const outcome = await services.decideAction({ incidentId: incident.id, actionId: ref.rest, userId: body.user.id, decision });
      const message = decideReply(outcome);
      if (message) await reply(message);
    });
  });
}

function registerFollowUp(app: App, services: Services, actionId: string, mode: 'undo' | 'again'): void {
  app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
    await ack();
    const reply = replyWith(respond);
    await guarded(services.log, reply, async () => {
      const ref = parseRef(action.value);
      const incident = ref && (await services.incidentIn(ref.incidentId, body.channel?.id));
      if (!ref || !incident) return void (await reply(NOT_HERE));
      const message = proposeReply(await services.proposeFollowUp({ incidentId: incident.id, actionId: ref.rest, userId: body.user.id, mode }));
      if (message) await reply(message);
    });
  });
}

export function registerActionButtons(app: App, services: Services): void {
  registerDecision(app, services, ActionId.Approve, 'approve');
  registerDecision(app, services, ActionId.Deny, 'deny');
  registerFollowUp(app, services, ActionId.Undo, 'undo');
  registerFollowUp(app, services, ActionId.ProposeAgain, 'again');
  app.action<BlockStaticSelectAction>(ActionId.MoreActions, async ({ ack, body, action, respond }) => {
    await ack();
    const reply = replyWith(respond);
    await guarded(services.log, reply, async () => {
      const ref = parseRef(action.selected_option?.value);
      const incident = ref && (await services.incidentIn(ref.incidentId, body.channel?.id));
      if (!ref || !incident || !isActionKind(ref.rest)) return void (await reply(NOT_HERE));
      const message = proposeReply(await services.proposeAction({ incidentId: incident.id, kind: ref.rest, userId: body.user.id }));
      if (message) await reply(message);
    });
  });
}
