import { describe, expect, it } from 'vitest';
import {
  assessNotStartedReply, failureReply, incidentNotInChannelReply, noIncidentReply, notInChannelReply, resolvedReply, reviewRefusedReply,
} from '../../../../../src/adapters/slack/views/replies.js';
import { IncidentStatus } from '../../../../../src/domain/incident/incident.js';
import type { AccountFinding } from '../../../../../src/domain/assessment/assessment.js';
import { anIncident } from '../../../../support/incident-builders.js';

const blockText = (m: { blocks: unknown[] } | undefined) => (m?.blocks[0] as { text: { text: string } } | undefined)?.text.text;

describe('answers when a review or an assessment does not start', () => {
  const incident = anIncident({ id: 'KI-7F3A9C' });

  it('says a review is already running, or why the key\'s account is out of reach, and nothing once it ran', () => {
    expect(blockText(reviewRefusedReply({ kind: 'already-running', incident }))).toBe('🤔 A CloudTrail review of KI-7F3A9C is already running; its results will appear in the thread.');
    const account: AccountFinding = { accountId: '222222222222', botAccountId: '111111111111', sameAccount: false, reach: { kind: 'not-configured' } };
    expect(blockText(reviewRefusedReply({ kind: 'out-of-reach', incident, account }))).toBe(
      '🤔 Cross-account response is off (CROSS_ACCOUNT_ROLE_NAME is not set), so the bot works in its own account 111111111111 only. The steps to fix it are in the incident\'s thread.',
    );
    expect(reviewRefusedReply({ kind: 'not-found' })).toBeUndefined();
  });

  it('escapes what AWS said when the role was refused', () => {
    const account: AccountFinding = {
      accountId: '222222222222', sameAccount: false,
      reach: { kind: 'refused', roleArn: 'arn:aws:iam::222222222222:role/R', code: 'Throttling', message: '<!channel> slow down', externalId: false },
    };
    const text = blockText(reviewRefusedReply({ kind: 'out-of-reach', incident, account }));
    expect(text).toContain('&lt;!channel&gt; slow down');
    expect(text).not.toContain('<!channel>');
  });

  it('says an assessment is running or the incident is resolved, and nothing once it restarted', () => {
    expect(blockText(assessNotStartedReply({ kind: 'running', incident }))).toBe('🤔 KI-7F3A9C is being assessed right now; its findings will appear in the thread.');
    expect(blockText(assessNotStartedReply({ kind: 'resolved', incident }))).toBe('🤔 KI-7F3A9C is resolved: reopen it first.');
    expect(assessNotStartedReply({ kind: 'restarted', incident })).toBeUndefined();
  });
});

describe('answers when nothing matches', () => {
  it('says which incident was not found, escaping what was typed', () => {
    expect(blockText(noIncidentReply('KI-7F3A9C'))).toBe('🤔 No incident KI-7F3A9C.');
    expect(blockText(noIncidentReply('AKIAIOSFODNN7EXAMPLE'))).toBe('🤔 No incident was ever opened for AKIAIOSFODNN7EXAMPLE. `/key-incident AKIAIOSFODNN7EXAMPLE` opens one.');
    expect(noIncidentReply('<!here>').text).toBe('No incident &lt;!here&gt;.');
  });

  it('says a resolved incident takes no notes, assessment or review, and how to reopen it', () => {
    const resolved = anIncident({ id: 'KI-7F3A9C', keyId: 'AKIAIOSFODNN7EXAMPLE', status: IncidentStatus.Resolved });
    expect(blockText(resolvedReply(resolved, 'note'))).toBe(
      '🤔 KI-7F3A9C (AKIAIOSFODNN7EXAMPLE) is resolved, so it takes no more notes. An approver can reopen it with `/key-incident reopen KI-7F3A9C`, or `/key-incident AKIAIOSFODNN7EXAMPLE` opens a new incident for the key.',
    );
    expect(blockText(resolvedReply(resolved, 'assess'))).toContain('is resolved, so its key is not assessed again.');
    expect(blockText(resolvedReply(resolved, 'review'))).toContain('is resolved, so its key\'s CloudTrail is not reviewed again.');
  });

  it('says a button belongs to no incident of this channel', () => {
    expect(blockText(notInChannelReply())).toBe('🤔 That belongs to no incident in this channel.');
    expect(blockText(incidentNotInChannelReply())).toBe('🤔 That incident is not in this channel.');
  });
});

describe('the answer to an unexpected error', () => {
  it('never claims nothing changed in AWS: the error may have come after an IAM change', () => {
    const text = blockText(failureReply('corr-0001'));
    expect(text).not.toMatch(/nothing was changed/i);
    expect(text).toContain('`corr-0001`');
  });
});
