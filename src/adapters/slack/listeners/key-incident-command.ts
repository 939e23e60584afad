/** `/key-incident`: parse, ack at once, then respond to the key after the ack. */
import type { App } from '@slack/bolt';
import { type ParsedCommand, parseCommand } from '../../../domain/command.js';
import type { Incident } from '../../../domain/incident/incident.js';
import type { Services } from '../../../services/index.js';
import type { OpenIncidentOutcome } from '../../../services/open-incident.js';
import { COMMAND } from '../interaction-ids.js';
import { runSubcommand } from './incident-subcommands.js';
import {
  alreadyOpenReply, assessStartedReply, beingOpenedReply, cannotPostReply, helpReply, invalidReply, reviewStartedReply, secretAlsoSeenReply, secretOnlyReply,
} from '../views/replies.js';
import type { SlackMessage } from '../views/root-message.js';
import { coverageReply } from '../views/account-coverage.js';
import { ephemeral, guarded } from './respond.js';

function immediateReply(parsed: Extract<ParsedCommand, { kind: 'help' | 'secret-only' | 'invalid' }>): SlackMessage {
  if (parsed.kind === 'help') return helpReply();
  if (parsed.kind === 'secret-only') return secretOnlyReply();
  return invalidReply(parsed.reason);
}

function outcomeReply(outcome: OpenIncidentOutcome, secretSeen: boolean): SlackMessage | undefined {
  switch (outcome.kind) {
    case 'opened':
      return secretSeen ? secretAlsoSeenReply(outcome.incident) : undefined;
    case 'already-open':
      return alreadyOpenReply(outcome.incident, outcome.permalink);
    case 'being-opened':
      return beingOpenedReply(outcome.incident);
    case 'cannot-post':
      return cannotPostReply(outcome.incident);
    case 'retry-ignored':
      return undefined;
  }
}

export function registerKeyIncidentCommand(app: App, services: Services): void {
  app.command(COMMAND, async ({ command, ack, respond, context }) => {
    const parsed = parseCommand(command.text);
    const reply = (m: SlackMessage) => respond(ephemeral(m));
    // review and assess: long work on an open incident, answered first, run after the ack.
    const onOpen = async (ref: string, run: (incident: Incident) => Promise<void>) => {
      await ack();
      await guarded(services.log, reply, async () => {
        const incident = await services.findIncident(ref);
        if (!incident) return void (await reply(invalidReply(`No open incident ${ref}.`)));
        await run(incident);
      });
    };
    if (parsed.kind === 'review') {
      await onOpen(parsed.ref, async (incident) => {
        const claim = await services.claimReview(incident.id, command.user_id, parsed.days);
        if (claim.kind === 'already-running') await reply(invalidReply(`A CloudTrail review of ${incident.id} is already running; its results will appear in the thread.`));
        if (claim.kind === 'out-of-reach') await reply(invalidReply(`${claim.reason} The steps to fix it are in the incident's thread.`));
        if (claim.kind !== 'claimed') return;
        // The review is claimed: it runs even when this answer cannot be given.
        await reply(reviewStartedReply(incident, parsed.days)).catch((err: unknown) => services.log.warn({ incidentId: incident.id, err: (err as Error).message }, 'review start not announced'));
        await services.runReview(claim);
      });
      return;
    }
    if (parsed.kind === 'assess') {
      await onOpen(parsed.ref, async (incident) => {
        const outcome = await services.restartAssessment(incident.id, command.user_id);
        if (outcome.kind === 'running') return void (await reply(invalidReply(`${incident.id} is being assessed right now; its findings will appear in the thread.`)));
        if (outcome.kind === 'resolved') return void (await reply(invalidReply(`${incident.id} is resolved: reopen it first.`)));
        await reply(assessStartedReply(incident));
        await services.respondToIncident(outcome.incident);
      });
      return;
    }
    if (parsed.kind === 'accounts') {
      await ack();
      await guarded(services.log, reply, async () => {
        const outcome = await services.accountCoverage(command.user_id);
        await reply(outcome.kind === 'refused' ? invalidReply(outcome.reason) : coverageReply(outcome));
      });
      return;
    }
    if (parsed.kind === 'help' || parsed.kind === 'secret-only' || parsed.kind === 'invalid') {
      await ack(ephemeral(immediateReply(parsed)));
      return;
    }
    if (parsed.kind !== 'open') {
      await ack();
      await guarded(services.log, reply, async () => {
        await reply(await runSubcommand(services, parsed, command.user_id));
      });
      return;
    }
    await ack();
    await guarded(services.log, reply, async () => {
      const { opened, rest } = await services.respondToKey({
        keyId: parsed.keyId,
        ...(parsed.note === undefined ? {} : { note: parsed.note }),
        channelId: command.channel_id,
        teamId: command.team_id,
        userId: command.user_id,
        isRetry: (context.retryNum ?? 0) > 0,
        ...(command.trigger_id ? { triggerId: command.trigger_id } : {}),
      });
      const message = outcomeReply(opened, parsed.secretSeen);
      // The author hears first; the response goes on whether or not that answer got through.
      await Promise.all([message && reply(message), rest]);
    });
  });
}
