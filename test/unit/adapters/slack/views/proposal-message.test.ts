import { describe, expect, it } from 'vitest';
import { type Action, propose } from '../../../../../src/domain/action/lifecycle.js';
import { ActionKind } from '../../../../../src/domain/action/kinds.js';
import type { AttachmentOrigin } from '../../../../../src/domain/action/attachment-origin.js';
import { proposalMessage } from '../../../../../src/adapters/slack/views/proposal-message.js';

const T0 = new Date('2026-11-29T03:00:00Z');

function shown(roleName: string, attachment?: AttachmentOrigin): string {
  const target = { userName: 'ci-deployer', roleName, policyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' };
  const action = propose({ incidentId: 'KI-ABC123', id: 'A1', kind: ActionKind.DetachRolePolicy, target, proposedBy: 'bot', ...(attachment ? { attachment } : {}) }, T0).action;
  return JSON.stringify(proposalMessage(action).blocks);
}

describe('a proposal to detach a policy', () => {
  it('says, first, that the attachment may predate the incident and two approvers are needed', () => {
    const text = shown('prod-app');
    expect(text).toContain('This policy may have been attached before the incident: two approvers needed.');
    expect(text).toContain('Needs 2 approvals from different approvers');
  });

  it('says why one approval is enough when the key created the role, its name escaped', () => {
    const name = '<!channel>`x';
    const text = shown(name, { known: 'created-by-key', entity: 'role', name, eventId: 'ev-1', eventTime: '2026-11-29T02:50:00Z' });
    expect(text).toContain('The exposed key created this role');
    expect(text).toContain('during the incident, so nothing was attached to it before: one approval is enough.');
    expect(text).toContain('Needs 1 approval');
    expect(text).not.toContain('<!channel>');
  });
});

const NOW = new Date('2026-11-30T03:00:00Z');

function proposal(fields: Partial<Pick<Action, 'target' | 'accountId'>> = {}): Action {
  return propose({
    incidentId: 'KI-7F3A9C', id: '01J0ACTION', kind: ActionKind.DisableKey, proposedBy: 'U0ONCALL',
    target: { userName: 'ci-deployer', keyId: 'AKIAIOSFODNN7EXAMPLE' }, ...fields,
  }, NOW).action;
}

const firstSection = (a: Action) => (proposalMessage(a).blocks[0] as { text: { text: string } }).text.text;

describe('a proposal message', () => {
  it('names the account the action acts in, the bot\'s own or another', () => {
    expect(firstSection(proposal({ accountId: '111122223333' }))).toContain('in account `111122223333`');
    expect(firstSection(proposal({ accountId: '444455556666', target: { userName: 'ci', keyId: 'AKIAIOSFODNN7EXAMPLE', account: '444455556666' } })))
      .toContain('in account `444455556666`');
  });

  it('says so when a proposal stored before accounts were named has none', () => {
    expect(firstSection(proposal())).toContain('in the bot\'s own account');
    expect(firstSection(proposal({ target: { userName: 'ci', keyId: 'AKIAIOSFODNN7EXAMPLE', account: '444455556666' } }))).toContain('in account `444455556666`');
  });
});
