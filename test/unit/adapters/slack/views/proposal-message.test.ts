import { describe, expect, it } from 'vitest';
import { propose } from '../../../../../src/domain/action/lifecycle.js';
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
