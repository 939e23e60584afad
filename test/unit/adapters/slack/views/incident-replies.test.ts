import { describe, expect, it } from 'vitest';
import { listReply } from '../../../../../src/adapters/slack/views/incident-replies.js';
import { IncidentStatus } from '../../../../../src/domain/incident/incident.js';
import type { IncidentListing } from '../../../../../src/services/list-incidents.js';
import { anIncident } from '../../../../support/incident-builders.js';

const texts = (m: { blocks: unknown[] }) => m.blocks.map((b) => {
  const block = b as { text?: { text: string }; elements?: Array<{ text: string }> };
  return block.text?.text ?? block.elements?.map((e) => e.text).join(' ') ?? '';
});

const listing = (overrides: Partial<IncidentListing>): IncidentListing => ({ open: [], openCount: 0, resolved: [], resolvedDays: 30, ...overrides });

describe('the list of incidents', () => {
  const open = anIncident({ id: 'KI-0000A1', keyId: 'AKIAOPENOPENOPENOPEN', openedBy: 'U0ONCALL' });
  const resolved = anIncident({ id: 'KI-0000B2', keyId: 'AKIARESOLVEDRESOLVED', status: IncidentStatus.Resolved, resolvedAt: '2025-03-02T10:00:00.000Z' });

  it('shows the open incidents first, then the recently resolved ones under their own heading, and how to find any by key', () => {
    const reply = listReply(listing({ open: [{ incident: open, permalink: 'https://slack.example/p1' }], openCount: 1, resolved: [{ incident: resolved }] }));

    expect(texts(reply)).toEqual([
      '*Open incidents* (1, newest first)\n🔴 <https://slack.example/p1|KI-0000A1> · `AKIAOPENOPENOPENOPEN` · open · opened <!date^1740823200^{date_short_pretty} {time}|2025-03-01 10:00 UTC> by <@U0ONCALL>',
      '*Resolved in the last 30 days* (last resolved first)\n🟢 *KI-0000B2* · `AKIARESOLVEDRESOLVED` · resolved <!date^1740909600^{date_short_pretty} {time}|2025-03-02 10:00 UTC>',
      '`/key-incident status AKIA…` or `export AKIA…` finds a key\'s latest incident, resolved or not.',
    ]);
    expect(reply.text).toBe('1 open incident; 1 resolved in the last 30 days.');
  });

  it('says when nothing is open and nothing was resolved lately', () => {
    const reply = listReply(listing({}));
    expect(texts(reply).slice(0, 2)).toEqual(['✅ *No open incidents.*', 'None resolved in the last 30 days.']);
    expect(reply.text).toBe('0 open incidents; 0 resolved in the last 30 days.');
  });

  it('counts the open incidents it leaves out, and keeps each section within Slack\'s limit', () => {
    const many = Array.from({ length: 30 }, () => ({ incident: anIncident({ openedBy: 'U0ONCALL' }), permalink: `https://slack.example/archives/C0SECURITY/p${'1'.repeat(16)}` }));
    const reply = listReply(listing({ open: many, openCount: 42 }));
    const sections = texts(reply);
    expect(sections.filter((t) => t.includes('🔴')).length).toBe(3);
    expect(Math.max(...sections.map((t) => t.length))).toBeLessThan(3000);
    expect(sections.join('\n').match(/🔴/g)).toHaveLength(30);
    expect(sections).toContain('…and 12 more open.');
  });

  it('escapes what people typed', () => {
    const sneaky = anIncident({ keyId: 'AKIA<!here>', status: IncidentStatus.Resolved, resolvedAt: '2025-03-02T10:00:00.000Z' });
    const text = texts(listReply(listing({ resolved: [{ incident: sneaky }] }))).join('\n');
    expect(text).not.toContain('<!here>');
  });
});
