import { describe, expect, it } from 'vitest';
import { decideReply, proposeReply } from '../../../../../src/adapters/slack/views/action-replies.js';
import { notAnApproverText, refusalReply, refusalText } from '../../../../../src/adapters/slack/views/refusals.js';
import type { ApproverSet } from '../../../../../src/domain/action/approval-policy.js';
import { ActionKind } from '../../../../../src/domain/action/kinds.js';
import { IncidentStatus } from '../../../../../src/domain/incident/incident.js';
import type { Refusal } from '../../../../../src/domain/refusals.js';

const NAMED: ApproverSet = { anyone: false, userIds: ['U0A', 'U0B'], groupMembers: [], usergroupId: 'S0SEC' };
const GROUP_ONLY: ApproverSet = { anyone: false, userIds: [], groupMembers: ['U0G'], usergroupId: 'S0SEC' };
const blockText = (m: { blocks: unknown[] }) => (m.blocks[0] as { text: { text: string } }).text.text;

describe('refusals in words', () => {
  it('says every refusal code with its facts', () => {
    const refusals: Array<[Refusal, string]> = [
      [{ code: 'not-an-approver', action: 'change-status', approvers: GROUP_ONLY }, 'Only members of the approver user group can change an incident’s status. Ask one of them.'],
      [{ code: 'status-transition', incidentId: 'KI-7F3A9C', from: IncidentStatus.Resolved, to: IncidentStatus.Contained }, 'KI-7F3A9C is resolved: it cannot become contained.'],
      [{ code: 'another-open-incident', keyId: 'AKIAIOSFODNN7EXAMPLE', existingIncidentId: 'KI-000001' }, 'AKIAIOSFODNN7EXAMPLE has another open incident, KI-000001: resolve it first.'],
      [{ code: 'temporary-key' }, 'A temporary key (ASIA…) cannot be disabled or deleted: revoke the sessions it belongs to instead.'],
      [{ code: 'account-out-of-reach', incidentId: 'KI-7F3A9C', accountId: '222222222222' }, 'The key belongs to account 222222222222, where the bot cannot act: deploy its member-account role there (see the recommendation), then `/key-incident assess KI-7F3A9C`.'],
      [{ code: 'account-out-of-reach', incidentId: 'KI-7F3A9C', accountId: '999988887777', notAllowed: true }, 'The key belongs to account 999988887777, which is neither one of your organization (as far as the bot can tell) nor in ALLOWED_ACCOUNT_IDS: the bot does not act there. The thread says why and what to do.'],
      [{ code: 'account-unknown', incidentId: 'KI-7F3A9C' }, 'The key\'s account is not known (its assessment is running again, or could not name the account), so nothing is proposed: it would land in the bot\'s own account. Run `/key-incident assess KI-7F3A9C`, and once it has named the account, propose again.'],
      [{ code: 'owner-unknown', kind: ActionKind.DisableKey }, 'The key\'s owner is not known in this account, so there is nothing for "Disable access key" to act on.'],
      [{ code: 'cannot-undo', kind: ActionKind.DeleteKey }, 'Delete access key cannot be undone.'],
      [{ code: 'not-a-participant', incidentId: 'KI-7F3A9C' }, 'Only approvers and people who took part in KI-7F3A9C can export its timeline.'],
      [{ code: 'no-thread', incidentId: 'KI-7F3A9C' }, 'KI-7F3A9C has no message in Slack yet to attach the export to.'],
    ];
    for (const [refusal, words] of refusals) expect(refusalText(refusal)).toBe(words);
  });

  it('describes the approvers for each thing only they may do', () => {
    const r = (action: 'decide-action' | 'change-status' | 'list-accounts', approvers: ApproverSet) => notAnApproverText({ code: 'not-an-approver', action, approvers });
    expect(r('decide-action', NAMED)).toBe('Only the approvers named in APPROVER_USER_IDS or members of the approver user group can approve or deny actions. Ask one of them.');
    expect(r('list-accounts', { ...NAMED, usergroupId: undefined })).toBe('Only the approvers named in APPROVER_USER_IDS can list the organization’s accounts. Ask one of them.');
    expect(r('change-status', { anyone: false, userIds: [], groupMembers: [] })).toBe('Only the configured approvers can change an incident’s status. Ask one of them.');
  });

  it('names the approvers to whoever clicked Approve, and never a user group id that is not one', () => {
    const named = decideReply({ kind: 'refused', reason: { code: 'not-an-approver', action: 'decide-action', approvers: NAMED } })!;
    expect(blockText(named)).toBe('🚫 Only <@U0A>, <@U0B> or members of <!subteam^S0SEC> can approve or deny actions. Ask one of them.');
    const forged = decideReply({ kind: 'refused', reason: { code: 'not-an-approver', action: 'decide-action', approvers: { ...GROUP_ONLY, usergroupId: 'S0<!here>' } } })!;
    expect(blockText(forged)).toBe('🚫 Only members of the approver user group can approve or deny actions. Ask one of them.');
  });

  it('escapes what came from AWS or people before it reaches Slack', () => {
    const reply = refusalReply({ code: 'another-open-incident', keyId: '<!channel>', existingIncidentId: 'KI-1&2' });
    expect(reply.text).toBe('&lt;!channel&gt; has another open incident, KI-1&amp;2: resolve it first.');
    expect(blockText(reply)).toBe(`🤔 ${reply.text}`);
    const proposed = proposeReply({ kind: 'refused', reason: { code: 'account-out-of-reach', incidentId: 'KI-7F3A9C', accountId: '<@U0X>' } })!;
    expect(blockText(proposed)).toContain('account &lt;@U0X&gt;, where');
  });
});
