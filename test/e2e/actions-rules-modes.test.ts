/**
 * The same rules in the bot's other modes: DRY_RUN records what it would have done and
 * changes nothing; Socket Mode takes the command and the approval over the WebSocket.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, type SocketModeBot, startBot, startSocketModeBot, startWorld, type World } from '../support/harness.js';
import {
  actionReached, chooseMoreAction, click, incidentPosted, mutatingAwsCalls, openIncident, proposalPosted, refOf, rootShows, storedAction, timeline,
} from '../support/incident-flow.js';
import { blockActions } from '../support/slack-requests.js';
import { REPLACEMENT_SECRET_ENV } from '../support/secrets.js';

const A = 'U0APPROVER';
const B = 'U0APPROVER2';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const RECOMMENDED = ['Disable access key', 'Revoke active sessions'];

let world: World;

beforeAll(async () => {
  world = await startWorld('actions-rules-modes');
});
afterEach(() => world.aws.reset());
afterAll(async () => {
  await world?.close();
});

function adminKey(userName: string): string {
  const keyId = world.aws.keyIdFor(world.aws.botAccount);
  world.aws.user(userName).key(keyId).attach(ADMIN);
  return keyId;
}

describe('DRY_RUN=true', () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot(world, { APPROVER_USER_IDS: `${A},${B}`, DRY_RUN: 'true', ...REPLACEMENT_SECRET_ENV });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  /** Approves the newest proposal with this title as each of `approvers`, in turn, until it succeeds. */
  async function approveAll(ts: string, title: string, approvers: readonly string[]) {
    const { ref, messageTs } = refOf(world, ts, title);
    const done = actionReached(world, messageTs, 'succeeded');
    for (const [i, userId] of approvers.entries()) {
      const counted = i < approvers.length - 1 ? actionReached(world, messageTs, 'proposed') : undefined;
      await click(world, bot, 'ki_approve', ref, userId);
      await counted;
    }
    return { ref, update: await done };
  }

  it('records “Dry run: Would have …” for a disable, a two-approver key deletion and a replacement key, and sends AWS only reads', async () => {
    const keyId = adminKey('dry-run');
    const { ts, incidentId } = await openIncident(world, bot, keyId, RECOMMENDED);
    await chooseMoreAction(world, bot, incidentId, 'delete-key', A);
    await proposalPosted(world, ts, 'Delete access key');
    await chooseMoreAction(world, bot, incidentId, 'create-replacement-key', A);
    await proposalPosted(world, ts, 'Create replacement key');

    const expected: Array<[string, readonly string[], string]> = [
      ['Disable access key', [A], `Dry run: Would have disabled key ${keyId}.`],
      ['Delete access key', [A, B], `Dry run: Would have deleted key ${keyId}.`],
      ['Create replacement key', [B], 'Dry run: Would have created a new access key for dry-run and stored its secret in Secrets Manager.'],
    ];
    for (const [title, approvers, message] of expected) {
      const { ref, update } = await approveAll(ts, title, approvers);
      expect(JSON.stringify(update.params.blocks)).toContain(`*Dry run.* ${message}`);
      expect(JSON.stringify(update.params.blocks)).not.toContain('ki_undo');
      expect(await storedAction(world, ref)).toMatchObject({ status: 'succeeded', outcome: { result: 'would-have', message } });
    }

    const succeeded = (await timeline(world, incidentId)).filter((e) => e.type === 'action.succeeded');
    expect(succeeded.map((e) => String(e.summary).replace(/^.*: Dry run: /, 'Dry run: '))).toEqual(expected.map(([, , message]) => message));
    await rootShows(world, ts, /Dry run: would disable key — revoke sessions: awaiting approval — dry run: would delete key — dry run: would create replacement key/);
    expect(world.aws.calls.length).toBeGreaterThan(0);
    expect(mutatingAwsCalls(world)).toEqual([]);
    expect(world.aws.userState('dry-run')!.keys).toEqual([{ id: keyId, status: 'Active' }]);
  });
});

describe('Socket Mode', () => {
  let socketBot: SocketModeBot;
  beforeAll(async () => {
    socketBot = await startSocketModeBot(world);
  });
  afterAll(async () => {
    await socketBot?.stop();
  });

  it('opens the incident from a slash_commands envelope and disables the key once on an interactive Approve envelope', async () => {
    const keyId = adminKey('socket-approve');
    const commandAck = await socketBot.command(keyId);
    expect(commandAck.payload ?? {}).toEqual({});
    const { ts, incidentId } = await incidentPosted(world, keyId, RECOMMENDED);
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');
    const reached = actionReached(world, messageTs, 'succeeded');

    const ack = await world.slack.socket.sendInteractive(blockActions({
      actionId: 'ki_approve', value: ref, userId: A, messageTs, responseUrl: world.slack.responseUrl('socket-approve'),
    }), { timeoutMs: 2_500 });
    const update = await reached;

    expect(ack.payload ?? {}).toEqual({});
    const ackRecord = world.slack.records.find((r) => r.kind === 'ack' && r.envelopeId === ack.envelope_id)!;
    expect(ackRecord.seq).toBeLessThan(update.seq);
    expect(JSON.stringify(update.params.blocks)).toContain(`Key ${keyId} disabled.`);
    expect(JSON.stringify(update.params.blocks)).toContain(`Approved by <@${A}>`);
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    expect(world.aws.count('UpdateAccessKey')).toBe(1);
    expect(await storedAction(world, ref)).toMatchObject({ status: 'succeeded', approvals: [expect.objectContaining({ userId: A })] });
    expect((await timeline(world, incidentId)).filter((e) => e.type === 'action.succeeded')).toHaveLength(1);
    expect(world.slack.responses('socket-approve')).toEqual([]);
  });
});
