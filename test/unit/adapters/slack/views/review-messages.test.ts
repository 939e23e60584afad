import { describe, expect, it } from 'vitest';
import { reviewFindingsMessages, reviewSummaryMessage } from '../../../../../src/adapters/slack/views/review-messages.js';
import type { IncidentReview } from '../../../../../src/domain/incident/incident.js';
import { ReviewRun } from '../../../../../src/domain/review/review-run.js';
import { FindingCategory, type FindingGroup } from '../../../../../src/domain/review/types.js';

const group = (over: Partial<FindingGroup> = {}): FindingGroup => ({
  category: FindingCategory.Data, eventName: 'GetSecretValue', rule: 'secretsmanager:GetSecretValue',
  summary: 'Read secret prod/db in eu-west-1: rotate it', eventId: 'evt-1', eventTime: '2026-11-28T02:40:00Z', region: 'eu-west-1',
  count: 40, firstSeen: '2026-11-28T02:40:00Z', lastSeen: '2026-11-28T03:40:00Z', sampleEventIds: ['evt-1', 'evt-2', 'evt-3', 'evt-4', 'evt-5'],
  ...over,
});

const textOf = (findings: FindingGroup[]) => reviewFindingsMessages(findings).flatMap((m) => m.blocks).map((b) => JSON.stringify(b)).join('\n');

describe('the review findings in the thread', () => {
  it('show one line per finding with how many times, the first and the last', () => {
    const text = textOf([group()]);

    expect(text).toContain('Read secret prod/db in eu-west-1: rotate it');
    expect(text).toContain('40 times, first <!date^1795833600^');
    expect(text).toContain('last <!date^1795837200^');
    expect(text).toContain('+35 more');
  });

  it('show a single event as before, with its time and id', () => {
    const text = textOf([group({ count: 1, lastSeen: '2026-11-28T02:40:00Z', sampleEventIds: ['evt-1'] })]);

    expect(text).not.toContain('times, first');
    expect(text).toContain('event `evt-1`');
  });

  it('say that a folded finding counts resources not listed, escaping what the attacker wrote', () => {
    const text = textOf([group({ folded: true, summary: '<!channel>', sampleEventIds: ['<@U1>'], count: 19_950 })]);

    expect(text).toContain('on resources not listed one by one');
    expect(text).toContain('19,950 times');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U1>');
  });
});

describe('a partial review in the thread', () => {
  const partial: IncidentReview = {
    status: 'done', startedAt: '2026-11-28T03:00:00Z', days: 7, regions: ['eu-west-1', 'us-east-1'],
    unread: [
      { region: 'eu-west-1', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', before: '2026-11-28T02:40:00Z', cap: 'pages' },
      { region: 'us-east-1', accessKeyId: 'ASIAEXAMPLE000000001', before: '2026-11-28T03:00:00Z', cap: 'time' },
    ],
    unreadMore: 3,
  };
  const text = () => JSON.stringify(reviewSummaryMessage(new ReviewRun('AKIAIOSFODNN7EXAMPLE', 7).result(), 'AKIAIOSFODNN7EXAMPLE', partial).blocks);

  it('says which regions were not read, from which time back, and which cap stopped them', () => {
    expect(text()).toContain('Partial review');
    expect(text()).toContain('eu-west-1');
    expect(text()).toContain('before <!date^1795833600^');
    expect(text()).toContain('REVIEW_MAX_PAGES_PER_REGION');
    expect(text()).toContain('REVIEW_MAX_SECONDS_PER_REGION');
    expect(text()).toContain('the exposed key');
    expect(text()).toContain('`ASIAEXAMPLE000000001`');
    expect(text()).toContain('+3 more');
  });

  it('says nothing of it when everything was read', () => {
    expect(JSON.stringify(reviewSummaryMessage(new ReviewRun('AKIAIOSFODNN7EXAMPLE', 7).result(), 'AKIAIOSFODNN7EXAMPLE', { ...partial, unread: undefined, unreadMore: undefined }).blocks))
      .not.toContain('Partial review');
  });
});
