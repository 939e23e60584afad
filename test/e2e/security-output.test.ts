/**
 * End to end, what goes out: text from people and from AWS reaches Slack inert but readable,
 * the permission details of an incident open only from its own channel, and the logs hold no
 * token, signing secret, AWS credential or command text.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { APP_TOKEN, BOT_TOKEN, type Bot, SIGNING_SECRET, startBot, startWorld, type World } from '../support/harness.js';
import { holdsSecret } from '../support/secrets.js';
import { blockActions, slashCommand, TEST_CHANNEL } from '../support/slack-requests.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
/** The bot's own AWS secret in this file: distinctive, so a leak cannot hide. */
const AWS_SECRET = `e2e-aws-secret-${randomBytes(12).toString('hex')}`;
const NOTE = '<!channel> <!here> @channel <@U0SOMEONE> <https://evil.example|https://console.aws.amazon.com> *bold* _x_ `code`';
/** Sequences that would ping, mention or link if they reached Slack unescaped. */
const LIVE = ['<!channel>', '<!here>', '<@U0SOMEONE>', '<https://evil.example', '<!subteam'];

let world: World;
let bot: Bot;

beforeAll(async () => {
  world = await startWorld('security-output');
  process.env.AWS_SECRET_ACCESS_KEY = AWS_SECRET;
  bot = await startBot(world);
});
afterAll(async () => {
  await bot.stop();
  await world.close();
});
afterEach(() => world.aws.reset());

/** Sends the command, then waits for the root message, its final update and the recommendation in the thread. */
async function openIncident(keyId: string, text = keyId) {
  await bot.command(text, { response_url: world.slack.responseUrl(`open-${keyId}`) });
  const root = await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === undefined && String(c.params.text).includes(keyId));
  const ts = String(root.result.ts);
  const final = await world.slack.waitForCall('chat.update', (c) => c.params.ts === ts && !String(c.params.text).includes('assessing'), { timeoutMs: 15_000 });
  // The evidence (access and recommendation) is the assessment's last post, after the proposals.
  await world.slack.waitForCall('chat.postMessage', (c) => c.params.thread_ts === ts && String(c.params.text).includes('Recommendation: '), { timeoutMs: 15_000 });
  return { root, ts, final, incidentId: /KI-[0-9A-F]{6}/.exec(String(root.params.text))![0] };
}

/** A key of a seeded IAM user holding AdministratorAccess. */
function adminKey(userName = `admin-${randomBytes(3).toString('hex')}`): string {
  const keyId = world.aws.keyIdFor(world.aws.botAccount);
  world.aws.user(userName).key(keyId).attach(ADMIN);
  return keyId;
}

const SHOWN = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'views.open', 'views.update']);

/** Everything the bot showed people since `mark`: messages, edits, ephemerals, modals, response_url bodies. */
function shownSince(mark: number): string[] {
  return world.slack.records.flatMap((r) => {
    if (r.seq <= mark) return [];
    if (r.kind === 'response') return [JSON.stringify(r.body)];
    return r.kind === 'api' && SHOWN.has(r.method) ? [JSON.stringify(r.params)] : [];
  });
}

/** Shown texts holding a live mention, link or bare broadcast word (`@` right before `channel`). */
function liveSequences(texts: string[]): string[] {
  return texts.flatMap((t) => [...LIVE.filter((s) => t.includes(s)), ...(t.match(/@(channel|here|everyone)/gi) ?? [])]);
}

/** Every text object (`{ type: 'mrkdwn' | 'plain_text', text }`) in a Block Kit tree. */
function textObjects(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(textObjects);
  if (node === null || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const self = (o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string' ? [o] : [];
  return [...self, ...Object.values(o).flatMap(textObjects)];
}

/** The "All permission details" button the bot posted in a thread. */
function detailsButton(ts: string): { action_id: string; value: string } {
  const buttons = world.slack.threadOf(TEST_CHANNEL.id, ts).flatMap((m) => JSON.stringify(m.blocks ?? []).includes('All permission details')
    ? (m.blocks as { elements?: { type: string; action_id: string; value: string }[] }[]).flatMap((b) => b.elements ?? []).filter((e) => e.type === 'button')
    : []);
  expect(buttons).toHaveLength(1);
  return buttons[0]!;
}

/** Clicks a details button carrying `value` in `channelId`; resolves with the id of its response_url. */
async function clickDetails(actionId: string, value: string, channelId: string = TEST_CHANNEL.id): Promise<string> {
  const responseId = `click-${randomBytes(4).toString('hex')}`;
  const res = await bot.click(blockActions({ actionId, value, channelId, responseUrl: world.slack.responseUrl(responseId) }));
  expect(res.status).toBe(200);
  return responseId;
}

/** Clicks the button the bot posted in the thread of `ts`; resolves with the modal it opens. */
async function openDetails(ts: string) {
  const { action_id, value } = detailsButton(ts);
  const mark = world.slack.mark();
  await clickDetails(action_id, value);
  return world.slack.waitForCall('views.open', () => true, { after: mark });
}

describe('text from people', () => {
  it('shows a note that tries to ping everyone, mention someone or forge a link as inert, readable text', async () => {
    const keyId = adminKey();
    const mark = world.slack.mark();
    const { ts, final } = await openIncident(keyId, `${keyId} ${NOTE}`);
    await bot.command(`${keyId} ${NOTE}`, { user_id: 'U0SECOND', response_url: world.slack.responseUrl(`again-${keyId}`) });
    await world.slack.waitForResponse((r) => r.id === `again-${keyId}`);
    await openDetails(ts);

    expect(liveSequences(shownSince(mark))).toEqual([]);
    const root = JSON.stringify(final.params.blocks);
    for (const visible of ['&lt;!channel&gt;', '&lt;!here&gt;', '@\u200Bchannel', '&lt;@U0SOMEONE&gt;', '&lt;https://evil.example|https://console.aws.amazon.com&gt;', '*bold* _x_ `code`']) {
      expect(root).toContain(visible);
    }
  });
});

describe('text from AWS', () => {
  it('shows an odd IAM user name and last-use strings escaped, and marks every mrkdwn text verbatim', async () => {
    const userName = 'ops+bot=1,2.3@channel.example-team_x';
    const keyId = world.aws.keyIdFor(world.aws.botAccount);
    world.aws.user(userName).key(keyId, { lastUsed: { at: new Date(), service: 's3 <!channel>', region: 'eu-west-1 & <https://evil.example|x>' } }).attach(ADMIN);

    const mark = world.slack.mark();
    const { ts, final } = await openIncident(keyId);
    await openDetails(ts);
    await bot.command(keyId, { user_id: 'U0SECOND', response_url: world.slack.responseUrl(`again-${keyId}`) });
    await world.slack.waitForResponse((r) => r.id === `again-${keyId}`);

    const escapedName = '`ops+bot=1,2.3@\u200Bchannel.example-team_x`';
    const lastUse = 's3 &lt;!channel&gt; · eu-west-1 &amp; &lt;https://evil.example|x&gt;';
    const owner = world.slack.threadOf(TEST_CHANNEL.id, ts).find((m) => m.text.includes('Owner: '));
    for (const posted of [JSON.stringify(final.params.blocks), JSON.stringify(owner?.blocks)]) {
      expect(posted).toContain(escapedName);
      expect(posted).toContain(lastUse);
    }
    const shown = shownSince(mark);
    expect(liveSequences(shown)).toEqual([]);
    expect(shown.filter((t) => t.includes(userName))).toEqual([]);

    // Every message, edit, ephemeral and modal of this incident.
    const mrkdwn = shown.flatMap((t) => textObjects(JSON.parse(t))).filter((o) => o.type === 'mrkdwn');
    expect(mrkdwn.length).toBeGreaterThan(20);
    expect(mrkdwn.filter((o) => o.verbatim !== true)).toEqual([]);
  });
});

describe('"All permission details"', () => {
  it('opens a modal listing the policies of the key when the button in the thread is clicked', async () => {
    const keyId = adminKey();
    const { ts, incidentId } = await openIncident(keyId);
    expect(detailsButton(ts)).toMatchObject({ action_id: 'ki_permission_details', value: incidentId });

    const opened = await openDetails(ts);

    const modal = JSON.stringify(opened.params.view);
    expect(modal).toContain('"type":"modal"');
    expect(modal).toContain('AdministratorAccess');
    expect(modal).toContain(incidentId);
  });

  it('refuses a click carrying the id of an incident of another channel, and opens no modal', async () => {
    const { ts } = await openIncident(adminKey());
    const button = detailsButton(ts);
    const opened = world.slack.count('views.open');

    const responseId = await clickDetails(button.action_id, button.value, 'C0ELSEWHERE');

    const refusal = await world.slack.waitForResponse((r) => r.id === responseId);
    expect(refusal.responseType).toBe('ephemeral');
    expect(JSON.stringify(refusal.body)).toContain('That incident is not in this channel.');
    expect(world.slack.count('views.open')).toBe(opened);
  });

  it.each([['KI-000000'], ['ki-000000'], ['INC#x'], ['../'], ['KI-000000#META'], ['<!channel>'], ['']])(
    'refuses a click carrying the forged incident id %j, and opens no modal',
    async (forged) => {
      const opened = world.slack.count('views.open');
      const responseId = await clickDetails('ki_permission_details', forged);
      const refusal = await world.slack.waitForResponse((r) => r.id === responseId);
      expect(refusal.responseType).toBe('ephemeral');
      expect(JSON.stringify(refusal.body)).toContain('That incident is not in this channel.');
      expect(liveSequences([JSON.stringify(refusal.body)])).toEqual([]);
      expect(world.slack.count('views.open')).toBe(opened);
    },
  );
});

describe('logs', () => {
  /** Log lines holding a secret of the bot, or `text` (the command's words). */
  function leakyLines(lines: readonly string[], text: string): string[] {
    const secrets = [BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, AWS_SECRET, 'not-a-real-secret'];
    return lines.filter((l) => secrets.some((s) => holdsSecret(l, s)) || l.includes(text));
  }

  it('keeps tokens, the signing secret, the AWS secret and command text out of the logs of a whole incident, failures included', async () => {
    const words = `seen-in-a-gist-${randomBytes(6).toString('hex')}`;
    const keyId = adminKey();
    world.slack.failNext('chat.update', 'internal_error');
    const { ts } = await openIncident(keyId, `${keyId} ${words}`);
    await openDetails(ts);
    // Asked again with a response_url that cannot be reached: the reply fails and is logged.
    await bot.command(`${keyId} ${words}`, { user_id: 'U0SECOND', response_url: 'http://127.0.0.1:9/unreachable' });

    await bot.logs.waitFor((l) => l.includes('"msg":"slack update failed"'));
    await bot.logs.waitFor((l) => l.includes('"msg":"listener failed"'));
    expect(leakyLines(bot.logs.lines, words)).toEqual([]);
  });

  it('keeps the app-level token and command text out of the logs in Socket Mode too', async () => {
    const socketBot = await startBot(world, { SLACK_APP_TOKEN: APP_TOKEN });
    try {
      const words = `socket-words-${randomBytes(6).toString('hex')}`;
      const keyId = adminKey();
      await world.slack.socket.sendSlashCommand(slashCommand({ text: `${keyId} ${words}` }));
      const root = await world.slack.waitForCall('chat.postMessage', (c) => String(c.params.text).includes(keyId));
      await world.slack.waitForCall('chat.update', (c) => c.params.ts === root.result.ts && !String(c.params.text).includes('assessing'), { timeoutMs: 15_000 });

      expect(world.slack.callsTo('apps.connections.open').map((c) => c.token)).toContain(APP_TOKEN);
      await socketBot.logs.waitFor((l) => l.includes('"mode":"socket"'));
      expect(leakyLines(socketBot.logs.lines, words)).toEqual([]);
    } finally {
      await socketBot.stop();
    }
  });
});
