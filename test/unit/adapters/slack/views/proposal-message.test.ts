import { describe, expect, it } from 'vitest';
import { proposalMessage } from '../../../../../src/adapters/slack/views/proposal-message.js';
import { ActionKind } from '../../../../../src/domain/action/kinds.js';
import { type Action, propose } from '../../../../../src/domain/action/lifecycle.js';

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
