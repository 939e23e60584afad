/**
 * A replacement key's secret: fenced off before any value goes in, readable only by the named
 * readers and the bot, encrypted with the configured KMS key; refused when nobody is named.
 */
import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../src/domain/action/kinds.js';
import { ActionStatus } from '../../../src/domain/action/lifecycle.js';
import { AwsError } from '../../../src/domain/errors.js';
import { MEMORY_SECRET_READERS } from '../../fakes/memory/index.js';
import { APPROVER, assessedIncident, decide, OWNER, proposed, world } from './support.js';

const BOT_ROLE = 'arn:aws:iam::111122223333:role/key-incident';

describe('a replacement key’s secret', () => {
  it('is made with the KMS key and a policy that lets only the readers and the bot’s role read it; the outcome names them', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.CreateReplacementKey);

    const outcome = await decide(w, incident, action.id, APPROVER);

    const [secret] = [...w.secrets.secrets.values()];
    expect(secret?.kmsKeyId).toBe(MEMORY_SECRET_READERS.kmsKeyId);
    const [statement] = JSON.parse(secret!.resourcePolicy).Statement;
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': [...MEMORY_SECRET_READERS.readers, BOT_ROLE] } } });
    expect(outcome).toMatchObject({ action: { status: ActionStatus.Succeeded } });
    const message = outcome.kind === 'executed' ? outcome.action.outcome?.message : '';
    expect(message).toContain(`Only ${MEMORY_SECRET_READERS.readers[0]} and key-incident's own role can read it`);
    expect(message).toContain(MEMORY_SECRET_READERS.kmsKeyId);
  });

  it('is refused, saying what to set, and nothing is made in IAM or Secrets Manager, when no readers are configured', async () => {
    const w = world({ replacementSecret: { readers: [] } });
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.CreateReplacementKey);

    const outcome = await decide(w, incident, action.id, APPROVER);

    expect(outcome).toMatchObject({ action: { status: ActionStatus.Failed, outcome: { code: 'SecretReadersNotSet' } } });
    const message = outcome.kind === 'executed' ? outcome.action.outcome?.message : '';
    expect(message).toContain('Set REPLACEMENT_SECRET_READERS');
    expect(message).toContain('REPLACEMENT_SECRET_KMS_KEY_ID');
    expect(w.iam.faults.count('createAccessKey')).toBe(0);
    expect(w.secrets.secrets.size).toBe(0);
  });

  it('fails with no key created and no value stored, deleting nothing, when the policy cannot be put', async () => {
    const w = world();
    const incident = await assessedIncident(w);
    const action = await proposed(w, incident, ActionKind.CreateReplacementKey);
    w.secrets.faults.fail('guardSecret', new AwsError('AccessDeniedException', 'no secretsmanager:PutResourcePolicy', 'secretsmanager', 'PutResourcePolicy', 'req-policy'));

    const outcome = await decide(w, incident, action.id, APPROVER);

    expect(outcome).toMatchObject({ action: { status: ActionStatus.Failed, outcome: { code: 'AccessDeniedException', requestIds: ['req-policy'] } } });
    const message = outcome.kind === 'executed' ? outcome.action.outcome?.message : '';
    expect(message).toMatch(/could not be fenced off \(PutResourcePolicy: AccessDeniedException\), so no key was created and no secret stored\. Nothing was deleted/);
    expect(w.iam.faults.count('createAccessKey')).toBe(0);
    expect(w.iam.users.get(OWNER)!.keys.map((k) => k.keyId)).toEqual([incident.keyId]);
    expect([...w.secrets.secrets.values()].every((s) => s.keyId === undefined)).toBe(true);
  });
});
