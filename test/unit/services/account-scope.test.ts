/**
 * The accounts the bot acts in: its own, those of its organization (Organizations
 * `DescribeAccount`) and those listed in ALLOWED_ACCOUNT_IDS. Anywhere else, even with a role
 * of the right name that trusts the bot, it assumes nothing, reads nothing and proposes nothing.
 */
import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../src/domain/action/kinds.js';
import { ActionStatus } from '../../../src/domain/action/lifecycle.js';
import { memoryKeyId } from '../../fakes/memory/index.js';
import {
  APPROVER, assess, decide, exposedKey, type MemoryWorld, openedIncident, OWNER, propose, proposeFirst, proposed, review, storedAction, world,
} from './support.js';

const MEMBER = '444455556666';
const STRANGER = '999988887777';

/** A key of `account` whose owner the role there would show; the role is there and trusts the bot. */
function keyIn(w: MemoryWorld, account: string, n: number): string {
  const iam = w.accounts.account(account).iam;
  iam.addUser(OWNER, { attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
  const keyId = iam.addKey(OWNER, { keyId: memoryKeyId(n) });
  w.sts.keyAccounts.set(keyId, account);
  return keyId;
}

const assumed = (w: MemoryWorld) => w.accounts.faults.calls.map((c) => c.args[0]);

describe('an account outside the organization and ALLOWED_ACCOUNT_IDS', () => {
  it('is never assumed, even with a role of the right name, and the thread says why', async () => {
    const w = world();
    w.organizations.withAccounts({ id: MEMBER, name: 'Workloads' });
    const keyId = keyIn(w, STRANGER, 31);
    const incident = await openedIncident(w, keyId);

    const assessed = await assess(w, incident.id);

    expect(assessed.assessment.account).toMatchObject({ accountId: STRANGER, sameAccount: false, organization: { member: false }, reach: { kind: 'not-allowed' } });
    expect(assessed.assessment.owner).toBeUndefined();
    expect(assessed.assessment.recommendation?.reason).toContain(`Account ${STRANGER} is not in your organization and not in ALLOWED_ACCOUNT_IDS: the bot will not assume a role there.`);
    expect(assumed(w)).toEqual([]);
    expect(w.accounts.account(STRANGER).iam.faults.calls).toEqual([]);
  });

  it('gets no proposal and no review, and the incident stays open for notes', async () => {
    const w = world();
    w.organizations.withAccounts({ id: MEMBER, name: 'Workloads' });
    const incident = await assess(w, (await openedIncident(w, keyIn(w, STRANGER, 32))).id);

    await proposeFirst(w, incident);
    const refused = await propose(w, incident.id, ActionKind.DisableKey, { target: { userName: OWNER, keyId: incident.keyId, account: STRANGER } });
    const reviewed = await review(w, incident.id);

    expect(refused).toMatchObject({ kind: 'refused', reason: { code: 'account-out-of-reach', accountId: STRANGER, notAllowed: true } });
    expect(reviewed.kind).toBe('out-of-reach');
    expect(await w.actions.list(incident.id)).toEqual([]);
    expect(assumed(w)).toEqual([]);
    expect(incident.status).toBe('open');
  });

  it('is refused when Organizations cannot say (fail closed), with AWS\'s reason', async () => {
    for (const code of ['AWSOrganizationsNotInUseException', 'AccessDeniedException', 'TooManyRequestsException']) {
      const w = world();
      w.organizations.unavailableCode = code;
      const incident = await assess(w, (await openedIncident(w, keyIn(w, MEMBER, 33))).id);

      expect(incident.assessment.account?.reach).toEqual({ kind: 'not-allowed', code });
      expect(incident.assessment.recommendation?.reason).toContain(`could not check that account ${MEMBER} is in your organization (${code})`);
      expect(assumed(w)).toEqual([]);
    }
  });
});

describe('an account the bot may act in', () => {
  it('is one of its organization', async () => {
    const w = world();
    w.organizations.withAccounts({ id: MEMBER, name: 'Workloads' });
    const incident = await assess(w, (await openedIncident(w, keyIn(w, MEMBER, 34))).id);

    expect(incident.assessment.account?.reach).toMatchObject({ kind: 'role' });
    expect(incident.assessment.owner?.userName).toBe(OWNER);
  });

  it('is one listed in ALLOWED_ACCOUNT_IDS, whatever Organizations says', async () => {
    const w = world({ allowedAccountIds: [MEMBER] });
    w.organizations.unavailableCode = 'AccessDeniedException';
    const incident = await assess(w, (await openedIncident(w, keyIn(w, MEMBER, 35))).id);

    expect(incident.assessment.account?.reach).toMatchObject({ kind: 'role' });
    expect(incident.assessment.owner?.userName).toBe(OWNER);
  });

  it('is its own, without asking Organizations whether it may', async () => {
    const w = world();
    const incident = await assess(w, (await openedIncident(w, exposedKey(w))).id);

    expect(incident.assessment.account).toMatchObject({ sameAccount: true });
    expect(await proposed(w, incident)).toMatchObject({ status: ActionStatus.Proposed });
  });
});

describe('an approved action', () => {
  it('is not carried out in an account that has left the organization since it was proposed', async () => {
    const w = world();
    w.organizations.withAccounts({ id: MEMBER, name: 'Workloads' });
    const incident = await assess(w, (await openedIncident(w, keyIn(w, MEMBER, 36))).id);
    const action = await proposed(w, incident, ActionKind.DisableKey);
    w.organizations.accounts.length = 0;
    const before = assumed(w).length;

    await decide(w, incident, action.id, APPROVER);

    expect(await storedAction(w, action)).toMatchObject({ status: ActionStatus.Failed, outcome: { code: 'AccountNotAllowed' } });
    expect(assumed(w).slice(before)).toEqual([]);
    expect(w.accounts.account(MEMBER).iam.findKey(incident.keyId)?.key.status).toBe('Active');
  });
});
