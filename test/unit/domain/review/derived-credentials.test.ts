import { describe, expect, it } from 'vitest';
import {
  CredentialTree, derivedCredential, expirationIso, MAX_CREDENTIALS, roleArnOfSession, rolesToRevoke, userSessions,
} from '../../../../src/domain/review/derived-credentials.js';
import type { DerivedCredential } from '../../../../src/domain/review/types.js';
import {
  ACCOUNT, ATTACKER_IP, ROOT_KEY, assumeRole, assumedRole, at, getFederationToken, getSessionToken, iamUser, sessionOf, trail,
} from './records.js';

const ASIA1 = 'ASIAEXAMPLE000000001';
const ASIA2 = 'ASIAEXAMPLE000000002';
const ASIA3 = 'ASIAEXAMPLE000000003';
const deployArn = `arn:aws:iam::${ACCOUNT}:role/deploy`;
const adminArn = `arn:aws:iam::${ACCOUNT}:role/ops/admin`;

/** user key → GetSessionToken → ASIA1 → AssumeRole deploy → ASIA2 → AssumeRole admin → ASIA3 */
const chain = () => [
  getSessionToken({ by: iamUser('ci-bot'), newKey: ASIA1, time: at(0) }),
  assumeRole({ by: sessionOf('ci-bot', ASIA1), newKey: ASIA2, roleName: 'deploy', session: 'hop1', time: at(60) }),
  assumeRole({ by: assumedRole('deploy', 'hop1', ASIA2), newKey: ASIA3, roleName: 'admin', rolePath: 'ops/', session: 'hop2', time: at(120) }),
];

const treeOf = (events: ReturnType<typeof chain>) => {
  const tree = new CredentialTree(ROOT_KEY);
  events.forEach((e) => tree.addEvent(e));
  return tree;
};

describe('credentials minted by an STS call', () => {
  it('reads parent, child, role, session and expiration of an AssumeRole', () => {
    const c = derivedCredential(assumeRole({ by: iamUser(), newKey: ASIA2, roleName: 'deploy', session: 'hop1', time: at(60), expires: at(3660) }));
    expect(c).toEqual<DerivedCredential>({
      accessKeyId: ASIA2,
      parentAccessKeyId: ROOT_KEY,
      via: 'AssumeRole',
      roleArn: deployArn,
      sessionName: 'hop1',
      expiration: '2026-11-28T03:41:00.000Z',
      eventId: expect.any(String) as string,
      eventTime: at(60),
      region: 'us-east-1',
      sourceIPAddress: ATTACKER_IP,
    });
  });

  it('maps the assumed-role ARN back to the role when the request lacks the role ARN', () => {
    const event = assumeRole({ by: iamUser(), newKey: ASIA2, roleName: 'deploy', session: 's' });
    const c = derivedCredential({ ...event, requestParameters: { roleSessionName: 's' } });
    expect(c?.roleArn).toBe(deployArn);
    expect(roleArnOfSession('arn:aws-us-gov:sts::111122223333:assumed-role/x/y')).toBe('arn:aws-us-gov:iam::111122223333:role/x');
  });

  it('reads the role of SAML and web-identity sessions when a key is named', () => {
    const base = assumeRole({ by: iamUser(), newKey: ASIA2, roleName: 'deploy', session: 'alice@example.com' });
    expect(derivedCredential({ ...base, eventName: 'AssumeRoleWithSAML' })).toMatchObject({ via: 'AssumeRoleWithSAML', roleArn: deployArn });
    // Unsigned calls name no key: nothing to hang them on.
    expect(derivedCredential({ ...base, eventName: 'AssumeRoleWithWebIdentity', userIdentity: { type: 'WebIdentityUser' } })).toBeUndefined();
  });

  it('names the federated user of a federation token', () => {
    const c = derivedCredential(getFederationToken({ by: iamUser(), newKey: ASIA1, name: 'bob' }));
    expect(c).toMatchObject({ via: 'GetFederationToken', sessionName: 'bob', parentAccessKeyId: ROOT_KEY });
    expect(c?.roleArn).toBeUndefined();
  });

  it('ignores refused calls and other services', () => {
    const ok = getSessionToken({ by: iamUser(), newKey: ASIA1 });
    expect(derivedCredential({ ...ok, errorCode: 'AccessDenied' })).toBeUndefined();
    expect(derivedCredential({ ...ok, eventSource: 'iam.amazonaws.com' })).toBeUndefined();
    expect(derivedCredential(trail({ eventName: 'GetCallerIdentity', eventSource: 'sts.amazonaws.com' }))).toBeUndefined();
  });

  it('reads CloudTrail’s and ISO expirations, and nothing else', () => {
    expect(expirationIso('Sep 30, 2026 3:40:11 AM')).toBe('2026-09-30T03:40:11.000Z');
    expect(expirationIso('Sep 30, 2026 12:05:00 PM')).toBe('2026-09-30T12:05:00.000Z');
    expect(expirationIso('Sep 30, 2026 12:05:00 AM')).toBe('2026-09-30T00:05:00.000Z');
    expect(expirationIso('2026-09-30T03:40:11Z')).toBe('2026-09-30T03:40:11.000Z');
    expect(expirationIso('Sept 30 2026')).toBeUndefined();
    expect(expirationIso(1781920341000)).toBeUndefined();
  });
});

describe('the tree of credentials from the exposed key', () => {
  it('follows a session into a role and on into another role', () => {
    const tree = treeOf(chain());
    expect(tree.credentials().map((c) => c.accessKeyId)).toEqual([ASIA1, ASIA2, ASIA3]);
    expect(tree.accessKeyIds()).toEqual([ROOT_KEY, ASIA1, ASIA2, ASIA3]);
    const root = tree.root();
    expect(root.children[0]?.children[0]?.children[0]?.credential?.roleArn).toBe(adminArn);
  });

  it('builds the same tree whatever order the events arrive in', () => {
    expect(treeOf([...chain()].reverse()).render()).toBe(treeOf(chain()).render());
  });

  it('renders one key per line under the exposed key', () => {
    expect(treeOf(chain()).render().split('\n')).toEqual([
      `${ROOT_KEY} (exposed key)`,
      `└─ ${ASIA1} via GetSessionToken, ${at(0)}, expires 2026-11-28T14:40:00.000Z`,
      `   └─ ${ASIA2} via AssumeRole ${deployArn} (session hop1), ${at(60)}, expires 2026-11-28T03:40:00.000Z`,
      `      └─ ${ASIA3} via AssumeRole ${adminArn} (session hop2), ${at(120)}, expires 2026-11-28T03:40:00.000Z`,
    ]);
  });

  it('lists the roles to revoke once each, and the user sessions', () => {
    const again = assumeRole({ by: sessionOf('ci-bot', ASIA1), newKey: 'ASIAEXAMPLE000000004', roleName: 'deploy', session: 'again', time: at(90) });
    const federation = getFederationToken({ by: iamUser('ci-bot'), newKey: 'ASIAEXAMPLE000000005', name: 'bob', time: at(5) });
    const tree = treeOf([...chain(), again, federation]);
    expect(rolesToRevoke(tree)).toEqual([deployArn, adminArn]);
    expect(userSessions(tree).map((c) => c.accessKeyId)).toEqual([ASIA1, 'ASIAEXAMPLE000000005']);
  });

  it('keeps one record of a key seen twice, the earliest', () => {
    const tree = treeOf(chain());
    const [first] = chain();
    expect(tree.add(derivedCredential(first!)!)).toBe(false);
    const later = { ...derivedCredential(first!)!, eventId: 'later', eventTime: at(999) };
    expect(tree.add(later)).toBe(false);
    expect(tree.credentials()).toHaveLength(3);
    expect(tree.credentials()[0]?.eventTime).toBe(at(0));
    const earlier = { ...derivedCredential(first!)!, eventId: 'earlier', eventTime: at(-30) };
    expect(tree.add(earlier)).toBe(true);
    expect(tree.credentials()[0]?.eventId).toBe('earlier');
  });

  it('ignores a record that would mint the root, and stops at loops', () => {
    const tree = treeOf(chain());
    const loop: DerivedCredential = { ...derivedCredential(chain()[1]!)!, accessKeyId: ROOT_KEY, parentAccessKeyId: ASIA3 };
    expect(tree.add(loop)).toBe(false);
    // Two keys minting each other, not reachable from the root.
    const x: DerivedCredential = { ...loop, accessKeyId: 'ASIAX', parentAccessKeyId: 'ASIAY' };
    const y: DerivedCredential = { ...loop, accessKeyId: 'ASIAY', parentAccessKeyId: 'ASIAX' };
    tree.add(x);
    tree.add(y);
    expect(tree.accessKeyIds()).toEqual([ROOT_KEY, ASIA1, ASIA2, ASIA3]);
  });

  it('is only the root when nothing was minted', () => {
    const tree = new CredentialTree(ROOT_KEY);
    expect(tree.render()).toBe(`${ROOT_KEY} (exposed key)`);
    expect(rolesToRevoke(tree)).toEqual([]);
    expect(userSessions(tree)).toEqual([]);
  });
});

describe('a flood of minted keys', () => {
  it('keeps the tree within its cap and counts the keys past it', () => {
    const tree = new CredentialTree(ROOT_KEY);
    const minted = getSessionToken({ by: iamUser('ci-bot'), newKey: ASIA1, time: at(0) });
    const credential = derivedCredential(minted)!;
    for (let i = 0; i < MAX_CREDENTIALS + 500; i++) tree.add({ ...credential, accessKeyId: `ASIA${String(i).padStart(16, '0')}`, eventId: `evt-${i}` });

    expect(tree.credentials()).toHaveLength(MAX_CREDENTIALS);
    expect(tree.untracked).toBe(500);
  });
});
