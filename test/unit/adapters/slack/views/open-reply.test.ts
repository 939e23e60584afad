import { describe, expect, it } from 'vitest';
import { openReply } from '../../../../../src/adapters/slack/views/replies.js';
import { anIncident } from '../../../../support/incident-builders.js';

describe('the reply to /key-incident AKIA…', () => {
  const incident = anIncident({ id: 'KI-0000C3', keyId: 'AKIAOPENOPENOPENOPEN' });

  it('says nothing when the incident opened and nothing was dropped: its own messages say it all', () => {
    expect(openReply({ kind: 'opened', incident }, { secretSeen: false })).toBeUndefined();
  });

  it('says the note was not recorded, and why, when it held a secret of another kind', () => {
    const reply = openReply({ kind: 'opened', incident }, { secretSeen: false, noteWithheld: 'a Slack token' })!;
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain('KI-0000C3');
    expect(text).toContain('Your note was not recorded: it held what looks like a Slack token');
    expect(text).toContain('treat that secret as exposed');
  });

  it('warns about a secret access key before anything else', () => {
    const reply = openReply({ kind: 'opened', incident }, { secretSeen: true, noteWithheld: 'a secret access key' })!;
    expect(reply.text).toContain('You also pasted what looks like a secret access key');
  });
});
