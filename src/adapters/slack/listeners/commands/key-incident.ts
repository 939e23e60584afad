/** `/key-incident`: parse, then answer in the ack or ack at once and answer after it, as the table says. */
import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCommand } from '../../../../domain/command.js';
import type { Services } from '../../../../services/index.js';
import { ephemeral, guarded, type Reply } from '../respond.js';
import { commandEntry } from './command-table.js';

/** The slash command's handler: one table entry per subcommand. */
export function keyIncidentCommand(services: Services): Middleware<SlackCommandMiddlewareArgs> {
  return async ({ command, ack, respond, context }) => {
    const parsed = parseCommand(command.text);
    const entry = commandEntry(parsed);
    if (entry.answers === 'in-ack') return void (await ack(ephemeral(entry.view(parsed))));
    await ack();
    const reply: Reply = (m) => respond(ephemeral(m));
    const request = {
      userId: command.user_id,
      channelId: command.channel_id,
      teamId: command.team_id,
      isRetry: (context.retryNum ?? 0) > 0,
      ...(command.trigger_id ? { triggerId: command.trigger_id } : {}),
    };
    await guarded(services.log, reply, () => entry.run(parsed, { services, request, reply }));
  };
}
