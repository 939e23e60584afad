/**
 * Who decides, and what they see: non-approvers refused and recorded, approvers from a Slack
 * user group (membership cached), proposals that expire or are denied and can be proposed
 * again, and the root message's status line following the actions.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, startBot, startWorld, TestClock, type World } from '../support/harness.js';
import {
  actionReached, answerTo, chooseMoreAction, click, mutatingAwsCalls, openIncident, proposalPosted, proposals, refOf, rootShows, storedAction, timeline,
} from '../support/incident-flow.js';
import { TEST_CHANNEL } from '../support/slack-requests.js';

const A = 'U0APPROVER';
const B = 'U0APPROVER2';
const STRANGER = 'U0STRANGER';
const GROUP = 'S0APPROVERS';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const DAY_MS = 24 * 60 * 60 * 1000;

let world: World;
let bot: Bot;
const clock = new TestClock();

beforeAll(async () => {
  world = await startWorld('actions-rules-approvers');
  bot = await startBot(world, { APPROVER_USER_IDS: `${A},${B}` }, { clock });
});
afterEach(() => world.aws.reset());
afterAll(async () => {
  await bot?.stop();
  await world?.close();
});

/** A user with an admin key, its incident opened on `on` and the recommended proposals posted. */
async function adminIncident(userName: string, on = bot) {
  const keyId = world.aws.keyIdFor(world.aws.botAccount);
  world.aws.user(userName).key(keyId).attach(ADMIN);
  return { keyId, ...(await openIncident(world, on, keyId, ['Disable access key', 'Revoke active sessions'])) };
}

/** Approves the newest proposal with this title and waits for it to reach `status`. */
async function approve(ts: string, title: string, userId: string, status = 'succeeded', on = bot) {
  const { ref, messageTs } = refOf(world, ts, title);
  const reached = actionReached(world, messageTs, status);
  const answer = await click(world, on, 'ki_approve', ref, userId);
  return { ref, messageTs, answer, update: await reached };
}

/** Clicks "Propose again" on the newest proposal with this title and waits for the new proposal. */
async function proposeAgain(ts: string, title: string, userId: string) {
  const before = proposals(world, ts, title).length;
  await click(world, bot, 'ki_propose_again', refOf(world, ts, title).ref, userId);
  await world.slack.waitFor(() => proposals(world, ts, title).length === before + 1, { timeoutMs: 15_000 });
}

const blocksOf = (update: { params: Record<string, unknown> }) => JSON.stringify(update.params.blocks);
const updatesOf = (messageTs: string, after: number) => world.slack.callsTo('chat.update').filter((c) => c.params.ts === messageTs && c.seq > after);
const eventsOfType = async (incidentId: string, type: string) => (await timeline(world, incidentId)).filter((e) => e.type === type);

describe('only approvers decide', () => {
  it('refuses a non-approver’s Approve and Deny privately, naming the approvers, records both refusals and changes nothing', async () => {
    const { keyId, ts, incidentId } = await adminIncident('refuse-stranger');
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');
    const mark = world.slack.mark();

    const approveClick = await click(world, bot, 'ki_approve', ref, STRANGER);
    const answers = [await answerTo(world, approveClick)];
    const denyClick = await click(world, bot, 'ki_deny', ref, STRANGER);
    answers.push(await answerTo(world, denyClick));

    for (const answer of answers) {
      expect(answer).toContain('🚫');
      expect(answer).toContain(`<@${A}>`);
      expect(answer).toContain(`<@${B}>`);
    }
    for (const c of [approveClick, denyClick]) {
      expect(world.slack.responses(c.responseId)).toEqual([expect.objectContaining({ responseType: 'ephemeral', replaceOriginal: false })]);
    }
    const refusals = await eventsOfType(incidentId, 'action.refused');
    expect(refusals.map((e) => [e.actor, (e.details as Record<string, unknown>).decision])).toEqual([[STRANGER, 'approve'], [STRANGER, 'deny']]);
    expect(refusals.every((e) => (e.details as Record<string, unknown>).actionId === ref.split(':')[1])).toBe(true);
    expect(await storedAction(world, ref)).toMatchObject({ status: 'proposed', approvals: [] });
    expect(mutatingAwsCalls(world)).toEqual([]);
    expect(world.aws.keyStatus(keyId)).toBe('Active');
    expect(updatesOf(messageTs, mark)).toEqual([]);
  });

  describe('from a Slack user group', () => {
    const MEMBER = 'U0GROUPMEMBER';
    const NEWCOMER = 'U0NEWCOMER';
    const groupClock = new TestClock();
    let groupBot: Bot;

    beforeAll(async () => {
      world.slack.setUsergroup(GROUP, [MEMBER]);
      groupBot = await startBot(world, { APPROVER_USER_IDS: '', APPROVER_USERGROUP_ID: GROUP }, { clock: groupClock });
    });
    afterAll(async () => {
      await groupBot?.stop();
    });

    it('lets a member approve, refuses a non-member, and reads the group once per minute', async () => {
      const listCalls = () => world.slack.callsTo('usergroups.users.list').filter((c) => c.params.usergroup === GROUP).length;
      const { keyId, ts, incidentId } = await adminIncident('group-approved', groupBot);
      const before = listCalls();

      await approve(ts, 'Disable access key', MEMBER, 'succeeded', groupBot);
      expect(world.aws.keyStatus(keyId)).toBe('Inactive');
      const refused = await click(world, groupBot, 'ki_approve', refOf(world, ts, 'Revoke active sessions').ref, STRANGER);
      expect(await answerTo(world, refused)).toContain(`<!subteam^${GROUP}>`);
      await approve(ts, 'Revoke active sessions', MEMBER, 'succeeded', groupBot);
      expect(listCalls() - before).toBe(1);

      // A newcomer is not trusted until the cached membership is read again.
      world.slack.setUsergroup(GROUP, [MEMBER, NEWCOMER]);
      await chooseMoreAction(world, groupBot, incidentId, 'attach-quarantine', MEMBER);
      await proposalPosted(world, ts, 'Attach quarantine policy');
      const early = await click(world, groupBot, 'ki_approve', refOf(world, ts, 'Attach quarantine policy').ref, NEWCOMER);
      expect(await answerTo(world, early)).toContain('🚫');
      expect(listCalls() - before).toBe(1);
      groupClock.advance(61_000);
      await approve(ts, 'Attach quarantine policy', NEWCOMER, 'succeeded', groupBot);
      expect(listCalls() - before).toBe(2);

      const refusals = await eventsOfType(incidentId, 'action.refused');
      expect(refusals.map((e) => e.actor)).toEqual([STRANGER, NEWCOMER]);
      expect((await eventsOfType(incidentId, 'action.approved')).map((e) => e.actor)).toEqual([MEMBER, MEMBER, NEWCOMER]);
    });
  });
});

describe('a proposal nobody approves or an approver denies', () => {
  it('expires after 24 hours: Approve says so, the message offers “Propose again”, and the new proposal can be approved', async () => {
    const { keyId, ts, incidentId } = await adminIncident('expire-me');
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');
    clock.advance(DAY_MS + 60_000);

    const { answer, update } = await approve(ts, 'Disable access key', A, 'expired');

    expect(await answerTo(world, answer)).toContain('This proposal expired before it was approved');
    expect(blocksOf(update)).toContain('Expired without enough approvals');
    expect(blocksOf(update)).toContain('"action_id":"ki_propose_again"');
    expect(blocksOf(update)).not.toContain('"action_id":"ki_approve"');
    expect(await storedAction(world, ref)).toMatchObject({ status: 'expired', approvals: [] });
    expect(await eventsOfType(incidentId, 'action.expired')).toHaveLength(1);
    expect(mutatingAwsCalls(world)).toEqual([]);

    await proposeAgain(ts, 'Disable access key', A);
    const again = await approve(ts, 'Disable access key', A);
    expect(again.messageTs).not.toBe(messageTs);
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    expect(world.aws.count('UpdateAccessKey')).toBe(1);
  });

  it('is denied by an approver: the message names who denied, IAM is untouched, and only the menu proposes it anew', async () => {
    const { keyId, ts, incidentId } = await adminIncident('deny-me');
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');
    const denied = actionReached(world, messageTs, 'denied');
    await click(world, bot, 'ki_deny', ref, A);
    const update = await denied;

    expect(blocksOf(update)).toContain(`Denied by <@${A}>`);
    expect(blocksOf(update)).not.toContain('"action_id":"ki_propose_again"');
    expect(await storedAction(world, ref)).toMatchObject({ status: 'denied', deniedBy: A });
    expect((await eventsOfType(incidentId, 'action.denied')).map((e) => e.actor)).toEqual([A]);
    expect(mutatingAwsCalls(world)).toEqual([]);
    expect(world.aws.keyStatus(keyId)).toBe('Active');

    // A forged "Propose again" on the denied one is refused and proposes nothing.
    expect(await answerTo(world, await click(world, bot, 'ki_propose_again', ref, B))).toContain('An approver denied this Disable access key');
    expect(proposals(world, ts, 'Disable access key')).toHaveLength(1);
    await chooseMoreAction(world, bot, incidentId, 'disable-key', B);
    await world.slack.waitFor(() => proposals(world, ts, 'Disable access key').length === 2);
    await approve(ts, 'Disable access key', B);
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
  });

  it('takes from the menu only its own kinds: a forged kind is refused and proposes nothing', async () => {
    const { ts, incidentId } = await adminIncident('forged-menu');
    const forged = await chooseMoreAction(world, bot, incidentId, 'enable-key', A);

    expect(await answerTo(world, forged)).toContain('is not one of');
    expect(proposals(world, ts, 'Re-enable access key')).toHaveLength(0);
  });
});

describe('the root message', () => {
  it('says what was done and by whom, and what still waits for a second approval', async () => {
    const { ts, incidentId } = await adminIncident('status-line');
    await approve(ts, 'Disable access key', A);
    await rootShows(world, ts, /Key disabled by <@U0APPROVER> <!date\^\d+\^\{time\}\|[^>]+>/);
    await approve(ts, 'Revoke active sessions', B);
    const both = await rootShows(world, ts, /Key disabled by <@U0APPROVER> <!date[^>]+> — sessions revoked by <@U0APPROVER2> <!date[^>]+>/);
    expect(blocksOf(both)).not.toContain('awaiting');

    await chooseMoreAction(world, bot, incidentId, 'delete-key', A);
    await proposalPosted(world, ts, 'Delete access key');
    // Each refresh re-renders the root from what it read: let this one land before the next starts.
    await rootShows(world, ts, /— delete key: awaiting approval/);
    await approve(ts, 'Delete access key', A, 'proposed');
    await rootShows(world, ts, /sessions revoked by <@U0APPROVER2> <!date[^>]+> — awaiting 2nd approval to delete key/);
    const root = world.slack.message(TEST_CHANNEL.id, ts)!;
    expect(JSON.stringify(root.blocks)).toMatch(/Key disabled by <@U0APPROVER> .* — sessions revoked by <@U0APPROVER2> .* — awaiting 2nd approval to delete key/);
  });
});
