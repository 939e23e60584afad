import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/domain/errors.js';
import { memoryKeyId } from '../../fakes/memory/index.js';
import type { Notification } from '../../fakes/memory/recording-notifier.js';
import { assumeRole, at, iam as iamCall, assumedRole, iamUser, T0 } from '../domain/review/records.js';
import { exposedKey, type MemoryWorld, respond, world } from './support.js';

/** The incident thread as posted, one entry per message: its parts, a problem's stage, or a proposal's kind. */
function thread(w: MemoryWorld): string[] {
  const shown = (n: Notification): string | undefined => {
    switch (n.method) {
      case 'postThread': return n.thread!.join('+');
      case 'postProblem': return `problem:${n.problem!.stage}`;
      case 'postProposal': return `proposal:${n.action!.kind}`;
      case 'postReviewProgress': return 'review';
      default: return undefined;
    }
  };
  return w.notifier.sent.map(shown).filter((s): s is string => s !== undefined);
}

describe('the thread of a response', () => {
  it('shows who holds the key in one message, then the proposals, then the evidence for them, then the review', async () => {
    const w = world();

    await respond(w, exposedKey(w));

    expect(thread(w)).toEqual([
      'account+owner', 'proposal:disable-key', 'proposal:revoke-sessions', 'permissions+recommendation', 'review',
    ]);
  });

  it('shows the account alone when its key is out of reach, and the recommendation after it', async () => {
    const w = world();
    const keyId = memoryKeyId(31);
    w.sts.keyAccounts.set(keyId, '444455556666');
    w.accounts.roleName = undefined;

    await respond(w, keyId);

    expect(thread(w)).toEqual(['account', 'recommendation']);
  });

  it('shows the account before the problem when the owner cannot be read', async () => {
    const w = world();
    const keyId = exposedKey(w);
    w.iam.faults.fail('getAccessKeyLastUsed', new AwsError('AccessDenied', 'not authorized', 'iam', 'GetAccessKeyLastUsed'));

    await respond(w, keyId);

    expect(thread(w).slice(0, 2)).toEqual(['account', 'problem:owner']);
    expect(thread(w)).not.toContain('review');
  });

  it('shows the owner alone after the problem when STS cannot say whose key it is, and proposes nothing', async () => {
    const w = world();
    const keyId = exposedKey(w);
    w.sts.faults.fail('getAccessKeyAccount', new AwsError('AccessDenied', 'not authorized', 'sts', 'GetAccessKeyInfo'));

    await respond(w, keyId);

    // Without the key's account a proposal would act in the bot's own account: none is made.
    expect(thread(w).slice(0, 3)).toEqual(['problem:account', 'owner', 'permissions+recommendation']);
    expect(thread(w).filter((m) => m.startsWith('proposal:'))).toEqual([]);
  });

  it('shows the account with the session of a temporary key, then the revocation', async () => {
    const w = world();
    w.clock.set(new Date(Date.parse(T0) + 60 * 60 * 1000));
    w.iam.addRole('ops-admin');
    const asia = memoryKeyId(602, 'ASIA');
    w.trail.add(
      assumeRole({ by: iamUser('someone', memoryKeyId(603)), newKey: asia, roleName: 'ops-admin', session: 'maint', time: T0 }),
      iamCall('ListUsers', null, null, { userIdentity: assumedRole('ops-admin', 'maint', asia), eventTime: at(300), readOnly: true }),
    );

    await respond(w, asia);

    expect(thread(w).slice(0, 2)).toEqual(['account+session', 'proposal:revoke-role-sessions']);
  });

  it('posts the first proposal without waiting for a root message update', async () => {
    const w = world();
    const keyId = exposedKey(w);
    // Every root update waits until the end.
    const held = Array.from({ length: 8 }, () => w.notifier.faults.hold('updateRoot'));

    const done = respond(w, keyId);
    await held[0]!.reached;
    const proposals = (): number => w.notifier.of('postProposal').length;
    while (proposals() === 0) await new Promise((r) => setImmediate(r));

    expect(w.notifier.of('updateRoot')).toHaveLength(0);
    for (const h of held) h.release();
    await done;
    expect(thread(w)[1]).toBe('proposal:disable-key');
  });
});
