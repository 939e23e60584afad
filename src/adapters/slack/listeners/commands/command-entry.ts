/**
 * The shape of one `/key-incident` subcommand: answered in the ack (Slack's 3-second limit
 * leaves room for nothing slow), or after it with one service call rendered as one view.
 */
import type { ParsedCommand } from '../../../../domain/command.js';
import { type Incident, IncidentStatus } from '../../../../domain/incident/incident.js';
import type { AccessRefusal } from '../../../../domain/refusals.js';
import type { VisibleLookup } from '../../../../services/incident-access.js';
import type { Services } from '../../../../services/index.js';
import type { SlackMessage } from '../../views/root-message.js';
import type { Reply } from '../respond.js';

export type CommandKind = ParsedCommand['kind'];

/** The parsed commands of one kind. */
export type CommandOf<K extends CommandKind> = ParsedCommand & { readonly kind: K };

/** Who typed the command, where, and how Slack delivered it. */
export interface CommandRequest {
  readonly userId: string;
  readonly channelId: string;
  readonly teamId: string;
  /** Slack re-sent this request (X-Slack-Retry-Num). */
  readonly isRetry: boolean;
  /** Slack's trigger id: the same on every copy of one request. */
  readonly triggerId?: string;
}

/** What an entry answered after the ack runs with. */
export interface CommandContext {
  readonly services: Services;
  readonly request: CommandRequest;
  /** Answers privately the person who typed the command. */
  readonly reply: Reply;
}

export interface InAck<C> {
  readonly answers: 'in-ack';
  readonly view: (cmd: C) => SlackMessage;
}

export interface AfterAck<C> {
  readonly answers: 'after-ack';
  readonly run: (cmd: C, ctx: CommandContext) => Promise<void>;
}

export type CommandEntry<C> = InAck<C> | AfterAck<C>;

/** One service call, its outcome as one view, and any long work that follows the answer. */
export interface Step<C, O> {
  readonly call: (cmd: C, ctx: CommandContext) => Promise<O>;
  /** `undefined` when the incident's thread says it all. */
  readonly view: (outcome: O, cmd: C) => SlackMessage | undefined;
  readonly then?: (outcome: O, ctx: CommandContext) => Promise<unknown>;
}

/** A command with the incident its `ref` names. */
export type OnIncident<C> = C & { readonly incident: Incident };

/**
 * The answers when a command's `ref` names no incident, one the person may not see (or whose
 * channel's members Slack did not give), or a resolved one the command does not take.
 */
export interface Lookup {
  readonly missing: (ref: string) => SlackMessage;
  readonly hidden: (ref: string) => SlackMessage;
  readonly unverified: (reason: AccessRefusal) => SlackMessage;
  /** Absent when the command takes a resolved incident too. */
  readonly resolved?: (incident: Incident) => SlackMessage;
}

/** Answered in the ack itself, from the command alone. */
export function inAck<C>(view: (cmd: C) => SlackMessage): InAck<C> {
  return { answers: 'in-ack', view };
}

/** Answered after the ack: the call, then its view, then the long work. */
export function afterAck<C, O>(step: Step<C, O>): AfterAck<C> {
  return {
    answers: 'after-ack',
    run: async (cmd, ctx) => {
      const outcome = await step.call(cmd, ctx);
      const message = step.view(outcome, cmd);
      // The long work goes on even when the answer could not be given.
      try {
        if (message) await ctx.reply(message);
      } finally {
        await step.then?.(outcome, ctx);
      }
    },
  };
}

function notFound(lookup: Lookup, found: Exclude<VisibleLookup, { kind: 'found' }>, ref: string): SlackMessage {
  if (found.kind === 'unverified') return lookup.unverified(found.reason);
  return found.kind === 'hidden' ? lookup.hidden(ref) : lookup.missing(ref);
}

/** Answered after the ack, on the incident the command's `ref` names, or why there is none to act on (as `lookup` says). */
export function onIncident<C extends { readonly ref: string }, O>(lookup: Lookup, step: Step<OnIncident<C>, O>): AfterAck<C> {
  const entry = afterAck(step);
  return {
    answers: 'after-ack',
    run: async (cmd, ctx) => {
      const found = await ctx.services.findVisibleIncident(cmd.ref, ctx.request);
      if (found.kind !== 'found') await ctx.reply(notFound(lookup, found, cmd.ref));
      else if (found.incident.status === IncidentStatus.Resolved && lookup.resolved) await ctx.reply(lookup.resolved(found.incident));
      else await entry.run({ ...cmd, incident: found.incident }, ctx);
    },
  };
}
