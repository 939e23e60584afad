import { describe, expect, it } from 'vitest';
import { noteMessage, shortcutAnswer } from '../../../../../src/adapters/slack/views/thread-notes.js';
import { BOT_ACTOR, IncidentStatus } from '../../../../../src/domain/incident/incident.js';
import type { ThreadNote } from '../../../../../src/domain/incident/thread-note.js';

const shown = (note: ThreadNote) => {
  const m = noteMessage(note);
  return { text: m.text, block: (m.blocks[0] as { text: { text: string } }).text.text };
};

describe('notes in the incident thread', () => {
  it('says every kind of note, the same in the fallback text and the block', () => {
    const notes: Array<[ThreadNote, string]> = [
      [{ kind: 'status-changed', status: IncidentStatus.Resolved, by: 'U0APPROVER', resolution: 'key rotated' }, 'Status: resolved (set by an approver: key rotated).'],
      [{ kind: 'status-changed', status: IncidentStatus.Contained, by: BOT_ACTOR }, 'Status: contained (set by key-incident).'],
      [{ kind: 'contained' }, '🟢 Contained: the key no longer works and its sessions are revoked.'],
      [{ kind: 'note-added', text: 'rotated the CI secret' }, '📝 Note added to the timeline: rotated the CI secret'],
      [{ kind: 'resumed-after-restart' }, '♻️ The bot restarted while carrying out an approved action; IAM shows it was not done, so it is being done now.'],
      [{ kind: 'secret-withheld', what: 'a Slack token' }, '🔒 A message here held what looks like a Slack token: it was not recorded in the timeline. Delete it from Slack and treat that secret as exposed.'],
    ];
    for (const [note, words] of notes) expect(shown(note)).toEqual({ text: words, block: words });
  });

  it('escapes what people wrote, so a note or a resolution mentions and links nothing', () => {
    const note = shown({ kind: 'note-added', text: '<!channel> see <https://evil.example|docs> & @here' });
    expect(note.block).toBe('📝 Note added to the timeline: &lt;!channel&gt; see &lt;https://evil.example|docs&gt; &amp; @\u200Bhere');
    const status = shown({ kind: 'status-changed', status: IncidentStatus.Resolved, by: 'U0A', resolution: '<@U0BOSS> fixed' });
    expect(status.block).toContain('&lt;@U0BOSS&gt; fixed');
    expect(status.text).not.toContain('<@');
  });
});

describe('the answer to the "Add to incident timeline" shortcut', () => {
  it('names the incident the message was added to', () => {
    expect(shortcutAnswer({ kind: 'added', incidentId: 'KI-7F3A9C' })).toBe('📝 Added to the timeline of KI-7F3A9C.');
  });

  it('says nothing was added, and what to use instead, when the message has no incident', () => {
    expect(shortcutAnswer({ kind: 'no-incident' })).toBe(
      'Nothing was added: this message is not in an incident’s thread, and its channel has no single open incident. Use `/key-incident note KI-… <text>` instead.',
    );
  });
});
