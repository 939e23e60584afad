import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { CommandContext, CommandKind } from '../../../../../../src/adapters/slack/listeners/commands/command-entry.js';
import { COMMAND_KINDS, commandEntry } from '../../../../../../src/adapters/slack/listeners/commands/command-table.js';
import {
  alreadyOpenReply, assessStartedReply, helpReply, noIncidentReply, resolvedReply, reviewRefusedReply, reviewStartedReply, secretOnlyReply,
} from '../../../../../../src/adapters/slack/views/replies.js';
import { listReply, statusReply } from '../../../../../../src/adapters/slack/views/incident-replies.js';
import { IncidentStatus } from '../../../../../../src/domain/incident/incident.js';
import type { SlackMessage } from '../../../../../../src/adapters/slack/views/root-message.js';
import { parseCommand } from '../../../../../../src/domain/command.js';
import type { Services } from '../../../../../../src/services/index.js';
import { anIncident } from '../../../../../support/incident-builders.js';

/** One command text per kind: the Record makes the compiler ask for every kind. */
const SAMPLES: Record<CommandKind, string> = {
  help: 'help',
  open: 'AKIAIOSFODNN7EXAMPLE leaked in a gist',
  'secret-only': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  review: 'review KI-7F3A9C 30',
  list: 'list',
  accounts: 'accounts',
  status: 'status KI-7F3A9C',
  contain: 'contain KI-7F3A9C',
  reopen: 'reopen KI-7F3A9C',
  assess: 'assess KI-7F3A9C',
  note: 'note KI-7F3A9C rotated in CI',
  resolve: 'resolve KI-7F3A9C key deleted',
  export: 'export KI-7F3A9C csv',
  invalid: 'hello',
};

const IN_ACK: readonly CommandKind[] = ['help', 'secret-only', 'invalid'];

/** Services that answer only what a test gives them; any other call fails the test. */
function servicesWith(given: Partial<Services>): Services {
  return new Proxy(given, {
    get: (target, name: string) => (name === 'log' ? pino({ level: 'silent' }) : target[name as keyof Services] ?? (() => { throw new Error(`unexpected call: ${name}`); })),
  }) as Services;
}

/** Runs the entry of `text` after the ack; resolves with what it answered (into `replies`). */
async function runAfterAck(text: string, services: Services, replies: SlackMessage[] = []): Promise<SlackMessage[]> {
  const parsed = parseCommand(text);
  const entry = commandEntry(parsed);
  if (entry.answers !== 'after-ack') throw new Error(`${parsed.kind} answers in the ack`);
  const ctx: CommandContext = {
    services,
    request: { userId: 'U0ONCALL', channelId: 'C0SECURITY', teamId: 'T0TEAM', isRetry: false },
    reply: async (m) => { replies.push(m); },
  };
  await entry.run(parsed, ctx);
  return replies;
}

describe('the /key-incident command table', () => {
  it('has exactly one entry for every kind of parsed command', () => {
    for (const [kind, text] of Object.entries(SAMPLES)) expect(parseCommand(text).kind).toBe(kind);
    expect([...COMMAND_KINDS].sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it('answers help, a lone secret and invalid text in the ack, and everything else after it', () => {
    for (const [kind, text] of Object.entries(SAMPLES)) {
      expect({ kind, answers: commandEntry(parseCommand(text)).answers }).toEqual({ kind, answers: IN_ACK.includes(kind as CommandKind) ? 'in-ack' : 'after-ack' });
    }
  });

  it('renders the in-ack answers from the command alone', () => {
    const view = (text: string) => {
      const entry = commandEntry(parseCommand(text));
      return entry.answers === 'in-ack' ? entry.view(parseCommand(text)) : undefined;
    };
    expect(view('help')).toEqual(helpReply());
    expect(view(SAMPLES['secret-only'])).toEqual(secretOnlyReply());
    expect(view('hello')?.text).toContain('No access key id found.');
  });

  it('says which incident a reference names none of, without calling the service', async () => {
    const services = servicesWith({ findVisibleIncident: async () => ({ kind: 'missing' }) });
    expect(await runAfterAck('status KI-7F3A9C', services)).toEqual([noIncidentReply('KI-7F3A9C')]);
    expect(await runAfterAck('note KI-7F3A9C hello', services)).toEqual([noIncidentReply('KI-7F3A9C')]);
    expect(await runAfterAck('review KI-7F3A9C', services)).toEqual([noIncidentReply('KI-7F3A9C')]);
    expect(await runAfterAck('assess AKIAIOSFODNN7EXAMPLE', services)).toEqual([noIncidentReply('AKIAIOSFODNN7EXAMPLE')]);
  });

  it('refuses a resolved incident, saying why, for note, review and assess only', async () => {
    const incident = anIncident({ id: 'KI-7F3A9C', keyId: 'AKIAIOSFODNN7EXAMPLE', status: IncidentStatus.Resolved, resolvedAt: '2025-03-02T10:00:00.000Z' });
    const findVisibleIncident = vi.fn(async (_ref: string) => ({ kind: 'found', incident }) as const);
    const services = servicesWith({ findVisibleIncident });
    expect(await runAfterAck('note AKIAIOSFODNN7EXAMPLE rotated', services)).toEqual([resolvedReply(incident, 'note')]);
    expect(await runAfterAck('review KI-7F3A9C', services)).toEqual([resolvedReply(incident, 'review')]);
    expect(await runAfterAck('assess AKIAIOSFODNN7EXAMPLE', services)).toEqual([resolvedReply(incident, 'assess')]);
    expect(findVisibleIncident.mock.calls.map(([ref]) => ref)).toEqual(['AKIAIOSFODNN7EXAMPLE', 'KI-7F3A9C', 'AKIAIOSFODNN7EXAMPLE']);

    const takers = servicesWith({
      findVisibleIncident,
      permalink: async () => undefined,
      exportIncident: async () => ({ kind: 'uploaded', fileId: 'F0POSTMORTEM', filename: 'KI-7F3A9C-postmortem.md' }),
      setStatus: async (i, to) => ({ kind: 'changed', incident: { ...i, status: to } }),
    });
    expect(await runAfterAck('status AKIAIOSFODNN7EXAMPLE', takers)).toEqual([statusReply(incident)]);
    expect((await runAfterAck('export AKIAIOSFODNN7EXAMPLE', takers))[0]?.text).toBe('Exported KI-7F3A9C.');
    expect((await runAfterAck('reopen AKIAIOSFODNN7EXAMPLE', takers))[0]?.text).toBe('KI-7F3A9C is now open.');
  });

  it('lists what the listing service gives', async () => {
    const listing = { open: [], openCount: 0, resolved: [{ incident: anIncident({ status: IncidentStatus.Resolved, resolvedAt: '2025-03-02T10:00:00.000Z' }) }], resolvedDays: 30 };
    expect(await runAfterAck('list', servicesWith({ listIncidents: async () => ({ kind: 'listed', listing }) }))).toEqual([listReply(listing)]);
  });

  it('answers how the incident opened and waits for the rest of the response', async () => {
    const incident = anIncident({ keyId: 'AKIAIOSFODNN7EXAMPLE' });
    let restDone = false;
    const rest = Promise.resolve().then(() => { restDone = true; });
    const opened = servicesWith({ respondToKey: async () => ({ opened: { kind: 'opened', incident }, rest }) });
    expect(await runAfterAck(incident.keyId, opened)).toEqual([]);
    expect(restDone).toBe(true);

    const open = servicesWith({ respondToKey: async () => ({ opened: { kind: 'already-open', incident, permalink: 'https://slack.example/p1' }, rest: Promise.resolve() }) });
    expect(await runAfterAck(incident.keyId, open)).toEqual([alreadyOpenReply(incident, 'https://slack.example/p1')]);
  });

  it('passes who typed the command, where, and the retry on to opening', async () => {
    const respondToKey = vi.fn(async () => ({ opened: { kind: 'retry-ignored' as const, incident: anIncident() }, rest: Promise.resolve() }));
    await runAfterAck('AKIAIOSFODNN7EXAMPLE leaked in a gist', servicesWith({ respondToKey }));
    expect(respondToKey).toHaveBeenCalledWith({
      keyId: 'AKIAIOSFODNN7EXAMPLE', note: 'leaked in a gist', userId: 'U0ONCALL', channelId: 'C0SECURITY', teamId: 'T0TEAM', isRetry: false,
    });
  });

  it('restarts an assessment, says so, then runs it', async () => {
    const incident = anIncident();
    const replies: SlackMessage[] = [];
    const answeredBeforeAssessing: number[] = [];
    const services = servicesWith({
      findVisibleIncident: async () => ({ kind: 'found', incident }),
      restartAssessment: async () => ({ kind: 'restarted', incident }),
      respondToIncident: async () => { answeredBeforeAssessing.push(replies.length); },
    });
    expect(await runAfterAck(`assess ${incident.id}`, services, replies)).toEqual([assessStartedReply(incident)]);
    expect(answeredBeforeAssessing).toEqual([1]);
  });

  it('answers a review once it has started, and again only when it could not run', async () => {
    const incident = anIncident();
    const runReview = vi.fn(async () => ({ kind: 'done' as const, incident, result: {} as never }));
    const started = servicesWith({
      findVisibleIncident: async () => ({ kind: 'found', incident }),
      claimReview: async (_id, _user, days) => ({ kind: 'claimed', incident, days: days ?? 7, regions: ['us-east-1'], claimId: 'claim-1' }),
      runReview,
    });
    expect(await runAfterAck(`review ${incident.id} 30`, started)).toEqual([reviewStartedReply(incident, 30)]);
    expect(runReview).toHaveBeenCalledTimes(1);

    runReview.mockClear();
    const running = { kind: 'already-running' as const, incident };
    const refused = servicesWith({ findVisibleIncident: async () => ({ kind: 'found', incident }), claimReview: async () => running, runReview });
    expect(await runAfterAck(`review ${incident.id}`, refused)).toEqual([reviewRefusedReply(running)]);
    expect(runReview).not.toHaveBeenCalled();
  });
});
