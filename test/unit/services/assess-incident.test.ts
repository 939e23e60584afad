import { describe, expect, it } from 'vitest';
import { ActionKind, ROLE_REVOKE_POLICY_NAME } from '../../../src/domain/action/kinds.js';
import { AccessLevel, RecommendedAction } from '../../../src/domain/assessment/assessment.js';
import { AwsError, SlackError } from '../../../src/domain/errors.js';
import { IncidentStatus, TimelineEventType } from '../../../src/domain/incident/incident.js';
import { memoryKeyId } from '../../fakes/memory/index.js';
import { assumeRole, assumedRole, at, getSessionToken, iam as iamCall, iamUser, sessionOf, T0 } from '../domain/review/records.js';
import {
  APPROVER, assess, changeStatus, decide, eventTypes, eventsOfType, exposedKey, type MemoryWorld, openedIncident, OWNER, proposeFirst,
  restart, storedIncident, world,
} from './support.js';

const S3_WRITE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: ['s3:PutObject'], Resource: '*' }] };

function nearRecords(): MemoryWorld {
  const w = world();
  w.clock.set(new Date(Date.parse(T0) + 60 * 60 * 1000));
  return w;
}

describe('assessing a key of the bot\'s account', () => {
  it('finds the account, the owner and the permissions, then recommends, each stage recorded in order', async () => {
    const w = world();
    const incident = await openedIncident(w);

    const assessed = await assess(w, incident.id);

    expect(assessed.assessment).toMatchObject({
      complete: true, account: { sameAccount: true, accountId: w.iam.accountId }, owner: { userName: OWNER, keyStatus: 'Active' },
      permissions: { level: AccessLevel.Admin }, recommendation: { action: RecommendedAction.DisableNow }, problems: [],
    });
    expect((await eventTypes(w, incident.id)).slice(2)).toEqual([
      TimelineEventType.AccountIdentified, TimelineEventType.OwnerIdentified, TimelineEventType.PermissionsAssessed,
      TimelineEventType.Recommended, TimelineEventType.AssessmentCompleted,
    ]);
    expect(await storedIncident(w, incident.id)).toEqual(assessed);
  });

  it('reads permissions the owner has through a group', async () => {
    const w = world();
    w.iam.addGroup('writers', { inline: { 's3-write': S3_WRITE } });
    w.iam.addUser(OWNER, { groups: ['writers'] });
    const incident = await openedIncident(w, exposedKey(w));

    const assessed = await assess(w, incident.id);

    expect(assessed.assessment.permissions).toMatchObject({ level: AccessLevel.Write, sources: [{ kind: 'group-inline', group: 'writers' }] });
  });

  it('records a refused owner lookup as a problem, stops there, and keeps the incident open', async () => {
    const w = world();
    const incident = await openedIncident(w);
    w.iam.faults.fail('getAccessKeyLastUsed', new AwsError('AccessDenied', 'not authorized', 'iam', 'GetAccessKeyLastUsed'));

    const assessed = await assess(w, incident.id);

    expect(assessed).toMatchObject({ status: IncidentStatus.Open, assessment: { complete: true, problems: [{ stage: 'owner', code: 'AccessDenied' }] } });
    expect(assessed.assessment.owner).toBeUndefined();
    expect(w.iam.faults.count('getUserAccess')).toBe(0);
    expect((await eventsOfType(w, incident.id, TimelineEventType.AssessmentProblem)).map((e) => e.details.code)).toEqual(['AccessDenied']);
  });

  it('assumes the worst when the permissions cannot be read', async () => {
    const w = world();
    const incident = await openedIncident(w);
    w.iam.faults.fail('getUserAccess', new AwsError('Throttling', 'Rate exceeded', 'iam', 'GetUser'));

    const assessed = await assess(w, incident.id);

    expect(assessed.assessment).toMatchObject({ problems: [{ stage: 'permissions', code: 'Throttling' }], recommendation: { action: RecommendedAction.DisableNow } });
  });

  it('keeps every finding when Slack cannot show them', async () => {
    const w = world();
    const incident = await openedIncident(w);
    w.notifier.faults.fail('postThread', new SlackError('channel_not_found', 'chat.postMessage'), 10);

    const assessed = await assess(w, incident.id);

    expect(assessed.assessment.complete).toBe(true);
    expect(await eventsOfType(w, incident.id, TimelineEventType.OwnerIdentified)).toHaveLength(1);
  });
});

describe('assessing a key of another account', () => {
  it('asks no IAM when cross-account response is off, and recommends having it disabled there', async () => {
    const w = world();
    const keyId = memoryKeyId(21);
    w.sts.keyAccounts.set(keyId, '444455556666');
    w.accounts.roleName = undefined;
    const incident = await openedIncident(w, keyId);

    const assessed = await assess(w, incident.id);

    expect(assessed.assessment).toMatchObject({ account: { sameAccount: false, reach: { kind: 'not-configured' } }, recommendation: { action: RecommendedAction.Review } });
    expect(w.iam.faults.calls).toEqual([]);
  });
});

describe('assessing a temporary key', () => {
  it('names the role whose session it is, asks IAM nothing about the key, and its revocation works', async () => {
    const w = nearRecords();
    w.iam.addRole('ops-admin');
    const asia = memoryKeyId(600, 'ASIA');
    const parentKey = memoryKeyId(601);
    w.trail.add(
      assumeRole({ by: iamUser('someone', parentKey), newKey: asia, roleName: 'ops-admin', session: 'maint', time: T0 }),
      iamCall('ListUsers', null, null, { userIdentity: assumedRole('ops-admin', 'maint', asia), eventTime: at(300), readOnly: true }),
    );
    const incident = await openedIncident(w, asia);

    const assessed = await assess(w, incident.id);
    await proposeFirst(w, assessed);

    expect(assessed.assessment.session).toMatchObject({ kind: 'role', roleName: 'ops-admin', sessionName: 'maint', parentKeyId: parentKey, events: 1 });
    expect(w.iam.faults.count('getAccessKeyLastUsed')).toBe(0);
    const [revoke] = await w.actions.list(incident.id);
    expect(revoke).toMatchObject({ kind: ActionKind.RevokeRoleSessions, target: { roleName: 'ops-admin' } });
    await decide(w, assessed, revoke!.id, APPROVER);
    expect(w.iam.roles.get('ops-admin')?.inline.has(ROLE_REVOKE_POLICY_NAME)).toBe(true);
  });

  it('finds the user key that minted a user session, reads the user\'s access and proposes revoking the user\'s sessions', async () => {
    const w = nearRecords();
    const parentKey = exposedKey(w);
    const asia = memoryKeyId(700, 'ASIA');
    w.trail.add(
      getSessionToken({ by: iamUser(OWNER, parentKey), newKey: asia, time: T0 }),
      iamCall('ListUsers', null, null, { userIdentity: sessionOf(OWNER, asia), eventTime: at(120), readOnly: true }),
    );
    const incident = await openedIncident(w, asia);

    const assessed = await assess(w, incident.id);
    await proposeFirst(w, assessed);

    expect(assessed.assessment).toMatchObject({ session: { kind: 'user', userName: OWNER, parentKeyId: parentKey }, owner: { userName: OWNER }, permissions: { level: AccessLevel.Admin } });
    expect((await w.actions.list(incident.id)).map((a) => a.kind)).toEqual([ActionKind.RevokeSessions]);
  });

  it('records a problem when CloudTrail shows no use of the key', async () => {
    const w = nearRecords();
    const incident = await openedIncident(w, memoryKeyId(800, 'ASIA'));

    const assessed = await assess(w, incident.id);

    expect(assessed).toMatchObject({ status: IncidentStatus.Open, assessment: { problems: [{ stage: 'session', code: 'NotSeenInCloudTrail' }] } });
  });
});

describe('restarting an assessment', () => {
  it('is refused while one runs, and clears a finished one so it runs again', async () => {
    const w = world();
    const incident = await openedIncident(w);

    expect((await restart(w, incident.id)).kind).toBe('running');
    await assess(w, incident.id);
    const restarted = await restart(w, incident.id);

    expect(restarted).toMatchObject({ kind: 'restarted', incident: { assessment: { complete: false, problems: [] } } });
    expect(restarted.incident.assessment.owner).toBeUndefined();
    expect(await eventsOfType(w, incident.id, TimelineEventType.AssessmentRestarted)).toHaveLength(1);
    expect((await assess(w, incident.id)).assessment.complete).toBe(true);
  });

  it('is refused for a resolved incident', async () => {
    const w = world();
    const incident = await openedIncident(w);
    await assess(w, incident.id);
    await changeStatus(w, await storedIncident(w, incident.id), IncidentStatus.Resolved);

    expect((await restart(w, incident.id)).kind).toBe('resolved');
    expect((await storedIncident(w, incident.id)).assessment.complete).toBe(true);
  });
});
