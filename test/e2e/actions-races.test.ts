/**
 * Containment under real concurrency: two app instances on one DynamoDB Local table (each with
 * its own clients), a crowd of approvers clicking at once with Slack re-delivering some clicks,
 * and Deny racing Approve. Whatever the interleaving, IAM is changed at most once, and the
 * table, the thread and the answers the clickers got all tell the same story.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseUrlRecord } from '../fakes/fake-slack.js';
import { type Bot, scanTable, startBot, startWorld, type World } from '../support/harness.js';
import { actionReached, chooseMoreAction, clickDelivered, type DeliveredClick, openIncident, proposalPosted, refOf } from '../support/incident-flow.js';
import { TEST_CHANNEL } from '../support/slack-requests.js';

const A = 'U0APPROVER';
const B = 'U0APPROVER2';
const C = 'U0APPROVER3';
const APPROVERS = [A, B, C];
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
/** Generous: 20 clicks share two processes, one table and one fake, on a loaded machine. */
const WAIT = { timeoutMs: 15_000 };
const CLICKS = 20;

let world: World;
let bots: Bot[] = [];

beforeAll(async () => {
  world = await startWorld('actions-races');
  bots = await Promise.all([0, 1].map(() => startBot(world, { APPROVER_USER_IDS: APPROVERS.join(',') })));
});
afterEach(() => world.aws.reset());
afterAll(async () => {
  await Promise.all(bots.map((bot) => bot.stop()));
  await world?.close();
});

/** A user with an admin key, its incident opened and the recommended proposals posted. */
async function adminIncident(userName: string) {
  const keyId = world.aws.keyIdFor(world.aws.botAccount);
  world.aws.user(userName).key(keyId).attach(ADMIN);
  return { keyId, ...(await openIncident(world, bots[0]!, keyId, ['Disable access key', 'Revoke active sessions'])) };
}

type CrowdClick = DeliveredClick & { readonly userId: string };

/** A, B and C in turn. */
const TAKING_TURNS = Array.from({ length: CLICKS }, (_, i) => APPROVERS[i % APPROVERS.length]!);
/** A burst from A first (the likeliest to race itself), then B and C in turn. */
const A_FIRST = [...Array<string>(8).fill(A), ...Array.from({ length: CLICKS - 8 }, (_, i) => (i % 2 === 0 ? B : C))];

/**
 * 20 Approve clicks at once by `users` (in sending order), alternating between the instances;
 * every seventh is also re-delivered, as Slack's retry, to the other instance at the same moment.
 */
function crowd(ref: string, users: readonly string[]): Promise<CrowdClick[]> {
  return Promise.all(users.map(async (userId, i) => {
    const [first, other] = [bots[i % 2]!, bots[(i + 1) % 2]!];
    return { userId, ...(await clickDelivered(world, i % 7 === 3 ? [first, other] : [first], 'ki_approve', ref, userId)) };
  }));
}

const deliveries = (clicks: readonly DeliveredClick[]) => clicks.reduce((n, c) => n + c.deliveries, 0);

/** Every answer posted to the clicks' response URLs so far. */
function answersTo(clicks: readonly DeliveredClick[]): ResponseUrlRecord[] {
  const ids = new Set(clicks.map((c) => c.responseId));
  return world.slack.responses().filter((r) => ids.has(r.id));
}

/** Resolves with the answers once at least `count` of them arrived. */
async function awaitAnswers(clicks: readonly DeliveredClick[], count: number): Promise<ResponseUrlRecord[]> {
  await world.slack.waitFor(() => answersTo(clicks).length >= count, { ...WAIT, description: `${count} answers to the clicks` });
  return answersTo(clicks);
}

const textOf = (r: ResponseUrlRecord) => String(r.body.text);

/**
 * Waits for the proposal to show `succeeded`, then for the root update that follows it: the
 * last thing the instance that ran the action does for the click.
 */
async function finished(ts: string, messageTs: string): Promise<void> {
  const done = await actionReached(world, messageTs, 'succeeded', WAIT.timeoutMs);
  await world.slack.waitForCall('chat.update', (c) => c.params.ts === ts, { ...WAIT, after: done.seq });
}

/** What the table holds about one action: its item, its events by type, its executing marker. */
async function recordsOf(ref: string) {
  const [incidentId, actionId] = ref.split(':') as [string, string];
  const items = await scanTable(world.table);
  const events = items.filter((i) => i.pk === `INC#${incidentId}` && String(i.sk).startsWith('EV#') && (i.details as { actionId?: string }).actionId === actionId);
  const action = items.find((i) => i.pk === `INC#${incidentId}` && i.sk === `ACT#${actionId}`) as
    | (Record<string, unknown> & { status: string; approvals: Array<{ userId: string }>; deniedBy?: string })
    | undefined;
  return {
    action: action!,
    events: (type: string) => events.filter((e) => e.type === type),
    markers: items.filter((i) => i.pk === 'EXECUTING' && String(i.sk).endsWith(`#ACT#${actionId}`)),
  };
}

/** Log lines of a listener that threw, on either instance. */
const crashes = () => bots.flatMap((bot) => bot.logs.lines.filter((l) => /listener failed|unhandled listener error/.test(l)));

/** How many answers each click got. */
const answerCounts = (clicks: readonly DeliveredClick[]) => clicks.map((c) => world.slack.responses(c.responseId).length);

describe('approvals racing on two instances', () => {
  it('disable the key exactly once, and every click but the one that ran it gets a plain answer', async () => {
    const { keyId, ts } = await adminIncident('crowd-disable');
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');

    const clicks = await crowd(ref, TAKING_TURNS);
    expect(clicks.flatMap((c) => c.statuses)).toEqual(Array(deliveries(clicks)).fill(200));
    expect(deliveries(clicks)).toBeGreaterThan(CLICKS);
    // The click that ran the action gets no answer; every other delivery gets one.
    const answers = await awaitAnswers(clicks, deliveries(clicks) - 1);
    await finished(ts, messageTs);

    expect(world.aws.count('UpdateAccessKey')).toBe(1);
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    const { action, events, markers } = await recordsOf(ref);
    expect(action).toMatchObject({ status: 'succeeded', outcome: { result: 'done' } });
    expect(events('action.approved')).toHaveLength(1);
    expect(events('action.executing')).toHaveLength(1);
    expect(events('action.succeeded')).toHaveLength(1);
    expect(markers).toEqual([]);

    expect(answersTo(clicks)).toHaveLength(deliveries(clicks) - 1);
    for (const answer of answers) {
      expect(answer).toMatchObject({ responseType: 'ephemeral', replaceOriginal: false, httpStatus: 200 });
      expect(textOf(answer)).toMatch(/^Nothing to do: this action is already (executing|succeeded)\.$/);
    }
    const counts = answerCounts(clicks);
    const unanswered = clicks.filter((c, i) => counts[i] === c.deliveries - 1);
    expect(unanswered).toHaveLength(1);
    expect(unanswered[0]!.userId).toBe(action.approvals[0]!.userId);
    expect(action.approvals).toHaveLength(1);
    expect(crashes()).toEqual([]);
  });

  it('delete the key exactly once, approved by two different people and never the same one twice', async () => {
    const { keyId, ts, incidentId } = await adminIncident('crowd-delete');
    await chooseMoreAction(world, bots[0]!, incidentId, 'delete-key', A);
    await proposalPosted(world, ts, 'Delete access key');
    const { ref, messageTs } = refOf(world, ts, 'Delete access key');

    const clicks = await crowd(ref, A_FIRST);
    expect(clicks.flatMap((c) => c.statuses)).toEqual(Array(deliveries(clicks)).fill(200));
    await awaitAnswers(clicks, deliveries(clicks) - 1);
    await finished(ts, messageTs);

    expect(world.aws.count('DeleteAccessKey')).toBe(1);
    expect(world.aws.keyStatus(keyId)).toBeUndefined();
    const { action, events, markers } = await recordsOf(ref);
    expect(action.status).toBe('succeeded');
    const [first, second] = action.approvals.map((a) => a.userId);
    expect(action.approvals).toHaveLength(2);
    expect(first).not.toBe(second);
    expect(APPROVERS).toEqual(expect.arrayContaining([first, second]));
    expect(events('action.approval_counted').map((e) => e.actor)).toEqual([first]);
    expect(events('action.approved').map((e) => e.actor)).toEqual([second]);
    expect(events('action.executing')).toHaveLength(1);
    expect(events('action.succeeded')).toHaveLength(1);
    expect(markers).toEqual([]);

    // Who heard what: one "recorded", "already approved" only to the first approver, the rest "nothing to do".
    const heard = clicks.flatMap((c) => world.slack.responses(c.responseId).map((r) => ({ userId: c.userId, text: textOf(r) })));
    expect(heard).toHaveLength(deliveries(clicks) - 1);
    const recorded = heard.filter((h) => h.text.startsWith('👍 Your approval is recorded (1 of 2)'));
    expect(recorded).toEqual([{ userId: first, text: expect.any(String) }]);
    for (const h of heard.filter((x) => x.text.startsWith('You already approved this'))) expect(h.userId).toBe(first);
    const rest = heard.filter((h) => !h.text.startsWith('👍') && !h.text.startsWith('You already approved this'));
    for (const h of rest) expect(h.text).toMatch(/^Nothing to do: this action is already (executing|succeeded)\.$/);
    const counts = answerCounts(clicks);
    const unanswered = clicks.filter((c, i) => counts[i] === c.deliveries - 1);
    expect(unanswered.map((c) => c.userId)).toEqual([second]);
    expect(crashes()).toEqual([]);
  });
});

describe('Deny racing Approve', () => {
  it('lets exactly one decision win, and IAM, the table and the proposal message agree on which', async () => {
    const { ts } = await adminIncident('deny-race');
    // Two races at once, on the two proposals: Deny by A and Approve by B, three clicks each,
    // interleaved and spread over both instances.
    const races = [
      { title: 'Disable access key', change: 'UpdateAccessKey' },
      { title: 'Revoke active sessions', change: 'PutUserPolicy' },
    ];
    const outcomes = await Promise.all(races.map(async (race, r) => {
      const { ref, messageTs } = refOf(world, ts, race.title);
      const clicks = await Promise.all(Array.from({ length: 6 }, async (_, i) => {
        const decision = i % 2 === 0 ? 'deny' : 'approve';
        const click = await clickDelivered(world, [bots[(i + r) % 2]!], `ki_${decision}`, ref, decision === 'deny' ? A : B);
        return { decision, ...click };
      }));
      const final = await world.slack.waitForCall('chat.update',
        (c) => c.params.ts === messageTs && /: (denied|succeeded|failed)$/.test(String(c.params.text)), WAIT);
      // Every click but the winner's is answered.
      await awaitAnswers(clicks, clicks.length - 1);
      return { race, ref, messageTs, clicks, final: /: (\w+)$/.exec(String(final.params.text))![1]! };
    }));

    for (const { race, ref, messageTs, clicks, final } of outcomes) {
      const { action, events, markers } = await recordsOf(ref);
      expect(action.status).toBe(final);
      expect(world.slack.message(TEST_CHANNEL.id, messageTs)!.text).toMatch(new RegExp(`: ${final}$`));
      expect(markers).toEqual([]);
      const winners = clicks.filter((c) => world.slack.responses(c.responseId).length === 0);
      expect(winners).toHaveLength(1);
      const answers = answersTo(clicks).map(textOf);
      expect(answers).toHaveLength(clicks.length - 1);
      if (final === 'denied') {
        expect(winners[0]!.decision).toBe('deny');
        expect(world.aws.count(race.change)).toBe(0);
        expect(action).toMatchObject({ deniedBy: A, approvals: [] });
        expect(events('action.denied')).toHaveLength(1);
        expect(events('action.approved')).toHaveLength(0);
        expect(events('action.executing')).toHaveLength(0);
        expect(new Set(answers)).toEqual(new Set(['Nothing to do: this action is already denied.']));
      } else {
        expect(final).toBe('succeeded');
        expect(winners[0]!.decision).toBe('approve');
        expect(world.aws.count(race.change)).toBe(1);
        expect(action.deniedBy).toBeUndefined();
        expect(action.approvals.map((a) => a.userId)).toEqual([B]);
        expect(events('action.denied')).toHaveLength(0);
        expect(events('action.approved')).toHaveLength(1);
        expect(events('action.succeeded')).toHaveLength(1);
        for (const answer of answers) expect(answer).toMatch(/^Nothing to do: this action is already (executing|succeeded)\.$/);
      }
    }
    expect(crashes()).toEqual([]);
  });
});

describe('Approve racing resolve', () => {
  /** The incident's own item, as stored. */
  const incidentItem = async (incidentId: string) => (await scanTable(world.table)).find((i) => i.pk === `INC#${incidentId}` && i.sk === 'META');
  /** The last root update of `ts` once it shows the incident resolved. */
  const resolvedRoot = (ts: string) => world.slack.waitForCall('chat.update', (c) => c.params.ts === ts && /· Resolved/.test(String(c.params.text)), WAIT);

  it('either starts before the incident is recorded resolved and finishes, or never reaches IAM; the other proposal expires', async () => {
    const { ts, incidentId } = await adminIncident('resolve-race');
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');
    const other = refOf(world, ts, 'Revoke active sessions');

    // Approvals on both instances and `resolve` on the second, all at once.
    const [clicks, resolved] = await Promise.all([
      Promise.all([A, B, C].map((userId, i) => clickDelivered(world, [bots[i % 2]!], 'ki_approve', ref, userId))),
      bots[1]!.command(`resolve ${incidentId} raced in a test`, { user_id: A, response_url: world.slack.responseUrl(`resolve-${incidentId}`) }),
    ]);
    expect(resolved.status).toBe(200);
    const final = await world.slack.waitForCall('chat.update',
      (c) => c.params.ts === messageTs && /: (expired|succeeded)$/.test(String(c.params.text)), WAIT);
    await awaitAnswers(clicks, final.params.text?.toString().endsWith(': succeeded') ? clicks.length - 1 : clicks.length);

    expect((await incidentItem(incidentId))?.status).toBe('resolved');
    const { action, events, markers } = await recordsOf(ref);
    expect(markers).toEqual([]);
    if (action.status === 'succeeded') {
      // The approval's write landed before the incident was recorded resolved: it finished.
      expect(world.aws.count('UpdateAccessKey')).toBe(1);
      expect(events('action.executing')).toHaveLength(1);
    } else {
      expect(action).toMatchObject({ status: 'expired', expiredBecause: 'incident-resolved' });
      expect(world.aws.count('UpdateAccessKey')).toBe(0);
      expect(events('action.executing')).toHaveLength(0);
    }
    expect((await recordsOf(other.ref)).action).toMatchObject({ status: 'expired', expiredBecause: 'incident-resolved' });
    await actionReached(world, other.messageTs, 'expired');
    expect(world.aws.count('PutUserPolicy')).toBe(0);
    expect(crashes()).toEqual([]);
  });

  it('refuses an Approve after resolve, says why, and the root no longer offers the actions menu', async () => {
    const { ts, incidentId } = await adminIncident('after-resolve');
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');
    await bots[0]!.command(`resolve ${incidentId}`, { user_id: A, response_url: world.slack.responseUrl(`resolve-${incidentId}`) });
    await actionReached(world, messageTs, 'expired');
    const root = await resolvedRoot(ts);

    const late = await clickDelivered(world, [bots[1]!], 'ki_approve', ref, B);
    const [answer] = await awaitAnswers([late], 1);

    expect(textOf(answer!)).toMatch(/is resolved: its actions can no longer be proposed or approved/);
    expect(JSON.stringify(root.params.blocks)).not.toContain('ki_more_actions');
    expect(JSON.stringify(root.params.blocks)).toContain('ki_export_timeline');
    expect(world.slack.message(TEST_CHANNEL.id, messageTs)!.blocks).toBeDefined();
    expect(JSON.stringify(world.slack.message(TEST_CHANNEL.id, messageTs))).toContain('Expired: incident resolved.');
    expect(world.aws.count('UpdateAccessKey')).toBe(0);
  });
});
