/**
 * End to end: the order the response keeps while its reads, records and Slack posts overlap.
 * The real app against DynamoDB Local and the wire fakes, with a latency on every AWS and
 * Slack call so that they do overlap.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, scanTable, startBot, startWorld, type World } from '../support/harness.js';
import { adminKey, evidencePosted, rootPostFor } from '../support/incident-flow.js';
import { TEST_CHANNEL } from '../support/slack-requests.js';

const AWS_MS = 30;
const SLACK_MS = 60;
const WAIT_MS = 15_000;

let world: World;
let bot: Bot;

beforeAll(async () => {
  world = await startWorld('response-pipeline');
  bot = await startBot(world);
});
afterEach(() => {
  world.aws.reset();
  world.aws.delayCalls(undefined);
  world.slack.delayCalls(undefined);
});
afterAll(async () => {
  await bot.stop();
  await world.close();
});

/** The incident's timeline event types, oldest first, as stored now. */
async function eventTypes(incidentId: string): Promise<string[]> {
  const items = await scanTable(world.table);
  return items
    .filter((i) => i.pk === `INC#${incidentId}` && String(i.sk).startsWith('EV#'))
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
    .map((e) => String(e.type));
}

async function open(keyId: string): Promise<{ ts: string; incidentId: string }> {
  await bot.command(keyId);
  const root = await rootPostFor(world, keyId, TEST_CHANNEL.id);
  return { ts: String(root.result.ts), incidentId: /KI-[0-9A-F]{6}/.exec(String(root.params.text))![0] };
}

/** Resolves once the timeline holds `type`; fails after WAIT_MS. */
async function recorded(incidentId: string, type: string): Promise<string[]> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const types = await eventTypes(incidentId);
    if (types.includes(type)) return types;
    if (Date.now() > deadline) throw new Error(`no ${type} in ${types.join(', ')}`);
    await sleep(50);
  }
}

function threadTexts(ts: string): string[] {
  return world.slack.threadOf(TEST_CHANNEL.id, ts).filter((m) => m.threadTs === ts).map((m) => m.text);
}

/** Which event each thread message shows, in the thread's order: who holds the key, the proposals, the evidence. */
const SHOWS: readonly [RegExp, string][] = [
  [/^Account \d+ · /, 'assessment.account'],
  [/ · Owner: /, 'assessment.owner'],
  [/\): proposed$/, 'action.proposed'],
  [/^Access: /, 'assessment.permissions'],
  [/ · Recommendation: /, 'assessment.recommendation'],
];

describe('the response while reads, records and posts overlap', () => {
  it('records each finding before Slack shows it, and keeps the thread in order', async () => {
    const keyId = adminKey(world, 'pipeline-order');
    const seen: { text: string; types: string[] }[] = [];
    world.aws.delayCalls(() => sleep(AWS_MS));
    world.slack.delayCalls(async ({ method, params }) => {
      if (method === 'chat.postMessage' && params.thread_ts !== undefined) {
        // What the table holds at the moment the post reaches Slack.
        const meta = (await scanTable(world.table)).find((i) => i.sk === 'META' && i.rootTs === params.thread_ts);
        seen.push({ text: String(params.text), types: meta ? await eventTypes(String(meta.id)) : [] });
      }
      await sleep(SLACK_MS);
    });
    const { ts } = await open(keyId);
    await evidencePosted(world, TEST_CHANNEL.id, ts);

    for (const [pattern, type] of SHOWS) {
      const post = seen.find((s) => pattern.test(s.text));
      expect(post, `a post matching ${pattern}`).toBeDefined();
      expect(post!.types).toContain(type);
    }
    const order = SHOWS.map(([pattern]) => threadTexts(ts).findIndex((t) => pattern.test(t)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order.every((i) => i >= 0)).toBe(true);
  });

  it('records every stage, the recommendation and the proposals when Slack refuses every thread post', async () => {
    const keyId = adminKey(world, 'pipeline-slack-down');
    world.aws.delayCalls(() => sleep(AWS_MS));
    world.slack.delayCalls(({ method, params }) => {
      // The root message goes through; every post in its thread fails.
      if (method === 'chat.postMessage' && params.thread_ts !== undefined) world.slack.failNext('chat.postMessage', 'channel_not_found');
    });
    const { ts, incidentId } = await open(keyId);
    const types = await recorded(incidentId, 'action.proposed');

    expect(types.slice(0, 7)).toEqual([
      'incident.opened', 'slack.root_posted',
      'assessment.account', 'assessment.owner', 'assessment.permissions', 'assessment.recommendation', 'assessment.completed',
    ]);
    expect(threadTexts(ts)).toEqual([]);
    await bot.logs.waitFor((l) => l.includes('slack update failed') && l.includes(incidentId));
  });

  it('turns a failed stage into a problem line, still reads what does not depend on it, and proposes nothing without the account', async () => {
    const keyId = adminKey(world, 'pipeline-sts-denied');
    world.aws.deny('GetAccessKeyInfo');
    world.aws.delayCalls(() => sleep(AWS_MS));
    const { ts, incidentId } = await open(keyId);

    const types = await recorded(incidentId, 'assessment.completed');
    expect(types.slice(2, 7)).toEqual(['assessment.problem', 'assessment.owner', 'assessment.permissions', 'assessment.recommendation', 'assessment.completed']);
    expect(world.aws.count('GetAccessKeyLastUsed')).toBe(1);
    await evidencePosted(world, TEST_CHANNEL.id, ts);
    const thread = threadTexts(ts);
    expect(thread[0]).toBe('Problem: AccessDenied');
    expect(thread[1]).toMatch(/^Owner: /);
    // With nothing proposed, the review's progress line may come before or after the evidence.
    expect(thread.findIndex((t) => /^Access: .* · Recommendation: /.test(t))).toBeGreaterThan(1);
    // Without the key's account a proposal would act in the bot's own: none is made.
    expect(thread.filter((t) => t.includes(': proposed'))).toEqual([]);
    expect(world.aws.count('UpdateAccessKey')).toBe(0);
  });
});
