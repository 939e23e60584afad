/** `/key-incident`: what each parsed subcommand does, one entry per kind. */
import type { ParsedCommand } from '../../../../domain/command.js';
import { IncidentStatus } from '../../../../domain/incident/incident.js';
import { coverageReply } from '../../views/account-coverage.js';
import { refusalReply } from '../../views/refusals.js';
import { exportReply, listReply, noteReply, statusChangeReply, statusReply } from '../../views/incident-replies.js';
import {
  type AfterResolve, helpReply, invalidReply, noIncidentReply, noVisibleIncidentReply, openReply, resolvedReply, restartReply, reviewRefusedReply, reviewStartedReply, secretOnlyReply,
} from '../../views/replies.js';
import {
  afterAck, type AfterAck, type CommandEntry, type CommandKind, type CommandOf, inAck, type Lookup, onIncident,
} from './command-entry.js';

/** Resolved incidents too: their status, export, and a change of status. */
const ANY: Lookup = { missing: noIncidentReply, hidden: noVisibleIncidentReply, unverified: refusalReply };
/** Notes, review and assessment are for incidents not yet resolved: a resolved one is refused, saying so. */
const UNRESOLVED = (command: AfterResolve): Lookup => ({ ...ANY, resolved: (incident) => resolvedReply(incident, command) });


function changeStatus<C extends { readonly ref: string }>(to: IncidentStatus, reason: (cmd: C) => string | undefined = () => undefined): AfterAck<C> {
  return onIncident(ANY, {
    call: (cmd, { services, request }) => services.setStatus(cmd.incident, to, request.userId, reason(cmd)),
    view: statusChangeReply,
  });
}

const COMMANDS: { readonly [K in CommandKind]: CommandEntry<CommandOf<K>> } = {
  help: inAck(() => helpReply()),
  'secret-only': inAck(() => secretOnlyReply()),
  invalid: inAck((cmd) => invalidReply(cmd.reason)),
  open: afterAck({
    // The response starts now; the author hears how it opened while it goes on.
    call: ({ keyId, note }, { services, request }) => services.respondToKey({ keyId, ...(note === undefined ? {} : { note }), ...request }),
    view: ({ opened }, cmd) => openReply(opened, cmd),
    then: ({ rest }) => rest,
  }),
  assess: onIncident(UNRESOLVED('assess'), {
    call: ({ incident }, { services, request }) => services.restartAssessment(incident.id, request.userId),
    view: (outcome, { incident }) => restartReply(incident, outcome),
    then: async (outcome, { services }) => { if (outcome.kind === 'restarted') await services.respondToIncident(outcome.incident); },
  }),
  review: onIncident(UNRESOLVED('review'), {
    call: ({ incident, days }, { services, request }) => services.claimReview(incident.id, request.userId, days),
    view: (claim, { incident, days }) => (claim.kind === 'claimed' ? reviewStartedReply(incident, days) : reviewRefusedReply(claim)),
    then: async (claim, { services }) => { if (claim.kind === 'claimed') await services.runReview(claim); },
  }),
  accounts: afterAck({
    call: (_cmd, { services, request }) => services.accountCoverage(request.userId),
    view: (outcome) => (outcome.kind === 'refused' ? refusalReply(outcome.reason) : coverageReply(outcome)),
  }),
  list: afterAck({
    call: (_cmd, { services, request }) => services.listIncidents(request),
    view: (outcome) => (outcome.kind === 'listed' ? listReply(outcome.listing) : refusalReply(outcome.reason)),
  }),
  status: onIncident(ANY, {
    call: ({ incident }, { services }) => services.permalink(incident),
    view: (permalink, { incident }) => statusReply(incident, permalink),
  }),
  note: onIncident(UNRESOLVED('note'), {
    call: ({ incident, text }, { services, request }) => services.addNote(incident, request.userId, text),
    view: (_done, { incident }) => noteReply(incident),
  }),
  export: onIncident(ANY, {
    call: ({ incident, format }, { services, request }) => services.exportIncident(incident, format, request.userId),
    view: (outcome, { incident }) => exportReply(incident, outcome),
  }),
  contain: changeStatus(IncidentStatus.Contained),
  resolve: changeStatus(IncidentStatus.Resolved, (cmd: CommandOf<'resolve'>) => cmd.summary),
  reopen: changeStatus(IncidentStatus.Open),
};

/** The kinds the table has an entry for. */
export const COMMAND_KINDS = Object.keys(COMMANDS) as CommandKind[];

/** The entry for a parsed command. */
export function commandEntry(cmd: ParsedCommand): CommandEntry<ParsedCommand> {
  // The entry was picked by the command's own kind, so it takes that command.
  return COMMANDS[cmd.kind] as CommandEntry<ParsedCommand>;
}
