/** `/key-incident list | status | note | contain | resolve | reopen`: after the ack, one service call each. */
import type { ParsedCommand } from '../../../domain/command.js';
import { IncidentStatus } from '../../../domain/incident/incident.js';
import type { Services } from '../../../services/index.js';
import { changedReply, exportedReply, listReply, noteReply, statusReply } from '../views/incident-replies.js';
import { noIncidentReply } from '../views/replies.js';
import { refusalReply } from '../views/refusals.js';
import type { SlackMessage } from '../views/root-message.js';

export type Subcommand = Extract<ParsedCommand, { kind: 'list' | 'status' | 'note' | 'contain' | 'resolve' | 'reopen' | 'export' }>;

const TARGET: Record<'contain' | 'resolve' | 'reopen', IncidentStatus> = {
  contain: IncidentStatus.Contained,
  resolve: IncidentStatus.Resolved,
  reopen: IncidentStatus.Open,
};

export async function runSubcommand(services: Services, cmd: Subcommand, userId: string): Promise<SlackMessage> {
  if (cmd.kind === 'list') {
    const open = await services.listOpen();
    const items = await Promise.all(open.slice(0, 30).map(async (incident) => ({ incident, permalink: await services.permalink(incident) })));
    return listReply(items);
  }
  const incident = await services.findIncident(cmd.ref, { includeResolved: cmd.kind !== 'note' });
  if (!incident) return noIncidentReply(cmd.ref);
  switch (cmd.kind) {
    case 'status':
      return statusReply(incident, await services.permalink(incident));
    case 'note':
      await services.addNote(incident, userId, cmd.text);
      return noteReply(incident);
    case 'export': {
      const outcome = await services.exportIncident(incident, cmd.format, userId);
      return outcome.kind === 'uploaded' ? exportedReply(incident, outcome.filename) : refusalReply(outcome.reason);
    }
    default: {
      const outcome = await services.setStatus(incident, TARGET[cmd.kind], userId, cmd.kind === 'resolve' ? cmd.summary : undefined);
      return outcome.kind === 'changed' ? changedReply(outcome.incident) : refusalReply(outcome.reason);
    }
  }
}
