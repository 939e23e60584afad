/**
 * Execution without a restart to help it, and without Slack in its way: replicas on one
 * DynamoDB Local table, the wire-level fakes, a short lease and sweep interval set through
 * the environment (ACTION_LEASE_MS, ACTION_SWEEP_INTERVAL_MS) as an operator would.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Bot, scanTable, type World } from '../support/harness.js';
import { useReplicas } from '../support/replicas.js';
import { actionReached, click, openIncident, refOf } from '../support/incident-flow.js';

const A = 'U0APPROVER';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
/** A short lease and a quick sweep, so a test settles within seconds; the defaults are 15 s and 5 s. */
const FAST = { APPROVER_USER_IDS: A, ACTION_LEASE_MS: '1500', ACTION_SWEEP_INTERVAL_MS: '250' };

const replicas = useReplicas('actions-sweeper');
let world: World;
beforeAll(() => {
  world = replicas.world();
});

const replica = (env: Record<string, string> = FAST): Promise<Bot> => replicas.start(env);

async function adminIncident(bot: Bot, userName: string) {
  const keyId = world.aws.keyIdFor(world.aws.botAccount);
  world.aws.user(userName).key(keyId).attach(ADMIN);
  return { keyId, ...(await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions'])) };
}

describe('an attempt whose process died', () => {
  it('is settled by a replica that keeps running, within seconds of the crash and well within 30 s', async () => {
    const doomed = await replica();
    const survivor = await replica();
    const { keyId, ts } = await adminIncident(doomed, 'sweep-no-restart');
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');
    const hold = world.aws.hold('UpdateAccessKey', { apply: false });
    await click(world, doomed, 'ki_approve', ref, A);
    await hold.arrived;
    await replicas.crash(doomed);
    const crashedAt = Date.now();

    await actionReached(world, messageTs, 'succeeded', 30_000);

    expect(Date.now() - crashedAt).toBeLessThan(30_000);
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    expect(world.aws.calls.filter((c) => c.action === 'UpdateAccessKey').map((c) => c.status)).toEqual([200]);
    const [incidentId, actionId] = ref.split(':') as [string, string];
    const items = await scanTable(world.table);
    const events = items.filter((i) => i.pk === `INC#${incidentId}` && (i.details as { actionId?: string } | undefined)?.actionId === actionId).map((i) => i.type);
    expect(events).toEqual(expect.arrayContaining(['action.taken_over', 'action.reconciled', 'action.succeeded']));
    expect(survivor.logs.lines.some((l) => l.includes('executing action'))).toBe(true);
  });
});

describe('a Slack rate limit during an approval', () => {
  it('delays only the display: the key is disabled in under a second while chat.update waits for Retry-After', async () => {
    const bot = await replica({ APPROVER_USER_IDS: A });
    const { keyId, ts } = await adminIncident(bot, 'rate-limited');
    const { ref, messageTs } = refOf(world, ts, 'Disable access key');
    world.slack.rateLimitNext('chat.update', 3, { times: 2 });
    const reached = world.aws.hold('UpdateAccessKey', { apply: true });

    const clickedAt = Date.now();
    await click(world, bot, 'ki_approve', ref, A);
    await reached.arrived;
    const toIam = Date.now() - clickedAt;
    reached.release();

    expect(toIam).toBeLessThan(1_000);
    expect(world.aws.keyStatus(keyId)).toBe('Inactive');
    await actionReached(world, messageTs, 'succeeded', 20_000);
  });
});
