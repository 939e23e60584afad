import { describe, expect, it } from 'vitest';
import { ActionKind, QUARANTINE_POLICY_ARN, REVOKE_POLICY_NAME } from '../../../src/domain/action/kinds.js';
import { ActionStatus, OutcomeResult } from '../../../src/domain/action/lifecycle.js';
import { AwsError } from '../../../src/domain/errors.js';
import { TimelineEventType } from '../../../src/domain/incident/incident.js';
import {
  APPROVER, assessedIncident, decide, eventsOfType, keyStatus, OWNER, propose, proposed, SECOND_APPROVER, storedAction, world,
} from './support.js';
import { MEMORY_SECRET_READERS } from '../../fakes/memory/index.js';

describe('carrying out an approved action', () => {
  it('in a dry run records what it would have done and calls no IAM change', async () => {
    const dry = world({ dryRun: true });
    const incident = await assessedIncident(dry);
    for (const kind of [ActionKind.DisableKey, ActionKind.CreateReplacementKey]) {
      const action = await proposed(dry, incident, kind);
      expect(await decide(dry, incident, action.id, APPROVER)).toMatchObject({ kind: 'executed', action: { outcome: { result: OutcomeResult.WouldHave } } });
    }
    const deletion = await proposed(dry, incident, ActionKind.DeleteKey);
    await decide(dry, incident, deletion.id, APPROVER);
    await decide(dry, incident, deletion.id, SECOND_APPROVER);

    expect(dry.iam.writes).toEqual([]);
    expect(dry.secrets.secrets.size).toBe(0);
    expect(keyStatus(dry, incident.keyId)).toBe('Active');
  });

  it('ends failed with AWS\'s code when IAM refuses, and can be proposed again', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);
    w.iam.faults.fail('setAccessKeyStatus', new AwsError('AccessDenied', 'not authorized', 'iam', 'UpdateAccessKey', 'req-denied'));

    const outcome = await decide(w, incident, action.id, APPROVER);

    expect(outcome).toMatchObject({ kind: 'executed', action: { status: ActionStatus.Failed, outcome: { code: 'AccessDenied', requestIds: ['req-denied'] } } });
    expect((await eventsOfType(w, incident.id, TimelineEventType.ActionFailed)).map((e) => e.details.code)).toEqual(['AccessDenied']);
    expect(await propose(w, incident.id, ActionKind.DisableKey)).toMatchObject({ kind: 'proposed' });
  });

  it('succeeds as already in effect, without the change, when the key was disabled outside the bot', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);
    w.iam.findKey(incident.keyId)!.key.status = 'Inactive';

    const outcome = await decide(w, incident, action.id, APPROVER);

    expect(outcome).toMatchObject({ action: { status: ActionStatus.Succeeded, outcome: { result: OutcomeResult.Already } } });
    expect(w.iam.faults.count('setAccessKeyStatus')).toBe(0);
  });

  it('reports the target changed when the key vanished after the proposal, and attempts nothing', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DisableKey);
    await w.iam.deleteAccessKey(OWNER, incident.keyId);

    const outcome = await decide(w, incident, action.id, APPROVER);

    expect(outcome).toMatchObject({ action: { outcome: { result: OutcomeResult.TargetChanged } } });
    expect(w.iam.faults.count('setAccessKeyStatus')).toBe(0);
  });

  it('refuses a replacement while the user has two keys, and proposes deleting the inactive one', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const inactive = w.iam.addKey(OWNER, { status: 'Inactive' });
    const action = await proposed(w, incident, ActionKind.CreateReplacementKey);

    const outcome = await decide(w, incident, action.id, APPROVER);

    expect(outcome).toMatchObject({ action: { status: ActionStatus.Failed, outcome: { code: 'LimitExceeded' } } });
    expect(w.iam.faults.count('createAccessKey')).toBe(0);
    const followUp = (await w.actions.list(incident.id)).find((a) => a.kind === ActionKind.DeleteKey);
    expect(followUp).toMatchObject({ status: ActionStatus.Proposed, target: { keyId: inactive } });
  });

  it('stores a replacement\'s secret and keeps only its ARN in the record', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.CreateReplacementKey);

    await decide(w, incident, action.id, APPROVER);

    const [secret] = [...w.secrets.secrets.values()];
    const done = await storedAction(w, action);
    expect(done.outcome?.details).toEqual({ newKeyId: secret!.keyId, secretArn: secret!.arn, readers: MEMORY_SECRET_READERS.readers, kmsKeyId: MEMORY_SECRET_READERS.kmsKeyId });
    const stored = JSON.stringify([...w.table.incidents.values(), ...w.table.actions.values(), ...w.table.timelines.values()].map((v) => v instanceof Map ? [...v.values()] : v));
    expect(stored).not.toContain(secret!.secretAccessKey);
  });

  it('removes a new key whose secret could not be stored, and fails', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.CreateReplacementKey);
    w.secrets.faults.fail('storeAccessKey', new AwsError('AccessDeniedException', 'no secretsmanager:CreateSecret', 'secretsmanager', 'CreateSecret'));

    const outcome = await decide(w, incident, action.id, APPROVER);

    expect(outcome).toMatchObject({ action: { status: ActionStatus.Failed, outcome: { code: 'AccessDeniedException' } } });
    expect(w.iam.users.get(OWNER)!.keys.map((k) => k.keyId)).toEqual([incident.keyId]);
  });

  it('deletes a user after removing everything IAM requires, snapshotting it first', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const user = w.iam.users.get(OWNER)!;
    Object.assign(user, { loginProfile: true, sshPublicKeyIds: ['APKAEXAMPLE'], mfaDevices: [{ serialNumber: 'arn:aws:iam::111122223333:mfa/ci', virtual: true }] });
    w.iam.virtualMfaDevices.set('arn:aws:iam::111122223333:mfa/ci', OWNER);
    await w.iam.putUserPolicy(OWNER, REVOKE_POLICY_NAME, { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
    await w.iam.attachUserPolicy(OWNER, QUARANTINE_POLICY_ARN);
    const action = await proposed(w, incident, ActionKind.DeleteUser, { target: { userName: OWNER } });

    await decide(w, incident, action.id, APPROVER);
    const outcome = await decide(w, incident, action.id, SECOND_APPROVER);

    expect(outcome).toMatchObject({ action: { status: ActionStatus.Succeeded, outcome: { result: OutcomeResult.Done } } });
    expect(w.iam.users.has(OWNER)).toBe(false);
    expect(w.iam.virtualMfaDevices.size).toBe(0);
    const [snapshot] = await eventsOfType(w, incident.id, TimelineEventType.ActionSnapshot);
    expect(snapshot?.details.snapshot).toMatchObject({ loginProfile: true, inlinePolicyNames: [REVOKE_POLICY_NAME], attachedPolicyArns: expect.arrayContaining([QUARANTINE_POLICY_ARN]) });
  });

  it('fails a user deletion when IAM refuses one of its steps, keeping the user', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.DeleteUser, { target: { userName: OWNER } });
    w.iam.faults.fail('detachUserPolicy', new AwsError('AccessDenied', 'not authorized', 'iam', 'DetachUserPolicy'));

    await decide(w, incident, action.id, APPROVER);
    const outcome = await decide(w, incident, action.id, SECOND_APPROVER);

    expect(outcome).toMatchObject({ action: { status: ActionStatus.Failed, outcome: { code: 'AccessDenied' } } });
    expect(w.iam.users.has(OWNER)).toBe(true);
  });
});
