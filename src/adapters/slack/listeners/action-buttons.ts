/** Approve / Deny / Undo / Propose again buttons, and the "More actions" menu. */
import type { App, BlockButtonAction, BlockStaticSelectAction } from '@slack/bolt';
import { isActionKind } from '../../../domain/action/kinds.js';
import type { Incident } from '../../../domain/incident/incident.js';
import type { Services } from '../../../services/index.js';
import { ActionId, parseRef } from '../interaction-ids.js';
import { decideReply, proposeReply } from '../views/action-replies.js';
import { exportedReply } from '../views/incident-replies.js';
import { invalidReply } from '../views/replies.js';
import type { SlackMessage } from '../views/root-message.js';
import { ephemeral, guarded } from './respond.js';

type Respond = (message: object) => Promise<unknown>;

/** An ephemeral answer under the clicked message, never replacing it. */
const replyWith = (respond: Respond) => (m: SlackMessage) => respond({ ...ephemeral(m), replace_original: false });

const NOT_HERE = invalidReply('That belongs to no incident in this channel.');

/**
 * A button on an incident's message: ack, then resolve `incidentId:rest` from the value against
 * the channel the click came from, and hand over to `work`, answering privately.
 */
function onIncidentButton(
  app: App,
  services: Services,
  actionId: string,
  work: (ref: { incident: Incident; rest: string }, userId: string) => Promise<SlackMessage | undefined>,
): void {
  app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
    await ack();
    const reply = replyWith(respond);
    await guarded(services.log, reply, async () => {
      const ref = parseRef(action.value);
      const incident = ref && (await services.incidentIn(ref.incidentId, body.channel?.id));
      const message = ref && incident ? await work({ incident, rest: ref.rest }, body.user.id) : NOT_HERE;
      if (message) await reply(message);
    });
  });
}

const decide = (services: Services, decision: 'approve' | 'deny') => async (ref: { incident: Incident; rest: string }, userId: string) =>
  decideReply(await services.decideAction({ incident: ref.incident, actionId: ref.rest, userId, decision }));

const followUp = (services: Services, mode: 'undo' | 'again') => async (ref: { incident: Incident; rest: string }, userId: string) =>
  proposeReply(await services.proposeFollowUp({ incidentId: ref.incident.id, actionId: ref.rest, userId, mode }));

export function registerActionButtons(app: App, services: Services): void {
  onIncidentButton(app, services, ActionId.Approve, decide(services, 'approve'));
  onIncidentButton(app, services, ActionId.Deny, decide(services, 'deny'));
  onIncidentButton(app, services, ActionId.Undo, followUp(services, 'undo'));
  onIncidentButton(app, services, ActionId.ProposeAgain, followUp(services, 'again'));
  app.action<BlockButtonAction>(ActionId.ExportTimeline, async ({ ack, body, action, respond }) => {
    await ack();
    const reply = replyWith(respond);
    await guarded(services.log, reply, async () => {
      const incident = await services.incidentIn(action.value ?? '', body.channel?.id);
      if (!incident) return void (await reply(NOT_HERE));
      const outcome = await services.exportIncident(incident, 'md', body.user.id);
      await reply(outcome.kind === 'uploaded' ? exportedReply(incident, outcome.filename) : invalidReply(outcome.reason));
    });
  });
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
