import { describe, expect, it } from 'vitest';
import { CreationTracker, MAX_TRACKED } from '../../../../src/domain/review/created-by-key.js';
import { ReviewRun } from '../../../../src/domain/review/review-run.js';
import { ACCOUNT, at, iam, ROOT_KEY } from './records.js';

const POLICY = `arn:aws:iam::${ACCOUNT}:policy/exfil`;

const createRole = (name: string, extra = {}) => iam('CreateRole', { roleName: name }, { role: { roleName: name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}` } }, extra);

describe('what the reviewed key created', () => {
  it('records roles, users and customer managed policies from what AWS answered', () => {
    const t = new CreationTracker();
    const role = createRole('evil', { eventTime: at(10) });
    t.add(role);
    t.add(iam('CreateUser', { userName: 'backup-admin' }, { user: { userName: 'backup-admin' } }));
    t.add(iam('CreatePolicy', { policyName: 'exfil' }, { policy: { policyName: 'exfil', arn: POLICY } }));

    const c = t.created();
    expect(c.roles.get('evil')).toEqual({ eventId: role.eventId, eventTime: at(10) });
    expect([...c.users.keys()]).toEqual(['backup-admin']);
    expect([...c.policies.keys()]).toEqual([POLICY]);
  });

  it('takes neither a refused call nor a name only the caller wrote', () => {
    const t = new CreationTracker();
    t.add(iam('CreateRole', { roleName: 'prod-app' }, null, { errorCode: 'EntityAlreadyExists' }));
    t.add(iam('CreateRole', { roleName: 'prod-app' }, null));
    t.add(iam('CreateUser', { userName: 'ops' }, { user: 'ops' }));
    const c = t.created();
    expect([c.roles.size, c.users.size, c.policies.size]).toEqual([0, 0, 0]);
  });

  it('forgets a name the key also deleted, whatever its case: it existed before the key made it again', () => {
    const t = new CreationTracker();
    t.add(iam('DeleteRole', { roleName: 'PROD-APP' }));
    t.add(createRole('prod-app'));
    t.add(iam('CreateUser', { userName: 'u' }, { user: { userName: 'u' } }));
    t.add(iam('DeleteUser', { userName: 'u' }));
    t.add(iam('CreatePolicy', {}, { policy: { arn: POLICY } }));
    t.add(iam('DeletePolicy', { policyArn: POLICY.toUpperCase() }));
    const c = t.created();
    expect([c.roles.size, c.users.size, c.policies.size]).toEqual([0, 0, 0]);
  });

  it('keeps bounded memory, and beyond its bound claims nothing', () => {
    const t = new CreationTracker();
    for (let i = 0; i <= MAX_TRACKED; i++) t.add(createRole(`r${i}`));
    expect(t.created().roles.size).toBe(0);
    const d = new CreationTracker();
    d.add(createRole('keep'));
    for (let i = 0; i <= MAX_TRACKED; i++) d.add(iam('DeleteRole', { roleName: `gone${i}` }));
    expect(d.created().roles.size).toBe(0);
  });

  it('is part of the review’s result', () => {
    const run = new ReviewRun(ROOT_KEY, 7);
    run.add(createRole('evil'));
    expect([...run.result().created.roles.keys()]).toEqual(['evil']);
  });
});
