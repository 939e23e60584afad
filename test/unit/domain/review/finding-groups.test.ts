import { describe, expect, it } from 'vitest';
import { FindingGroups, MAX_GROUPS_PER_RULE, SAMPLE_EVENT_IDS } from '../../../../src/domain/review/finding-groups.js';
import { ReviewRun } from '../../../../src/domain/review/review-run.js';
import { findingsOf } from '../../../../src/domain/review/findings.js';
import { FindingCategory, type TrailEvent } from '../../../../src/domain/review/types.js';
import { at, iam, iamUser, ROOT_KEY, trail } from './records.js';

const readSecret = (secretId: string, seconds: number, eventID?: string): TrailEvent =>
  trail({ eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', requestParameters: { secretId }, eventTime: at(seconds), awsRegion: 'eu-west-1', ...(eventID && { eventID }) });

const grouped = (events: readonly TrailEvent[]) => {
  const groups = new FindingGroups();
  for (const e of events) for (const f of findingsOf(e)) groups.add(f);
  return groups;
};

describe('findings of one rule on one resource', () => {
  it('are one finding with a count, the first and last time, and a few event ids', () => {
    // Pages come newest first: the reads arrive last to first.
    const reads = Array.from({ length: 40 }, (_, i) => readSecret('prod/db', 39 - i, `evt-${String(39 - i).padStart(2, '0')}`));

    const [finding, ...rest] = grouped(reads).findings();

    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      summary: 'Read secret prod/db in eu-west-1: rotate it', count: 40, firstSeen: at(0), lastSeen: at(39),
      eventId: 'evt-00', eventTime: at(0), sampleEventIds: ['evt-00', 'evt-01', 'evt-02', 'evt-03', 'evt-04'],
    });
    expect(SAMPLE_EVENT_IDS).toBe(5);
  });

  it('stay apart for different resources and different rules', () => {
    const findings = grouped([readSecret('a', 1), readSecret('b', 2), readSecret('a', 3),
      iam('CreateUser', { userName: 'a' }, null, { userIdentity: iamUser('ci', ROOT_KEY), eventTime: at(4) })]).findings();

    expect(findings.map((f) => [f.summary, f.count])).toEqual([
      ['Read secret a in eu-west-1: rotate it', 2], ['Read secret b in eu-west-1: rotate it', 1], ['Created IAM user a', 1],
    ]);
  });
  it('stay apart when their summaries are cut alike but their cleanups differ', () => {
    // 200 characters of summary reach only the first 45 of a 64-character user name.
    const put = (userName: string) => iam('PutUserPolicy', { userName, policyName: 'p'.repeat(128), policyDocument: '{}' });
    const findings = grouped([put(`${'u'.repeat(63)}a`), put(`${'u'.repeat(63)}b`)]).findings();

    expect(findings[0]!.summary).toBe(findings[1]!.summary);
    expect(findings.map((f) => f.cleanup)).toEqual([
      expect.objectContaining({ userName: `${'u'.repeat(63)}a` }), expect.objectContaining({ userName: `${'u'.repeat(63)}b` }),
    ]);
  });
});

describe('many distinct resources', () => {
  it('fold past the cap of one rule into one finding that counts them, so memory stays bounded', () => {
    const groups = new FindingGroups();
    const [read] = findingsOf(readSecret('template', 0));
    for (let i = 0; i < 20_000; i++) groups.add({ ...read!, summary: `Read secret secret-${i}`, eventId: `evt-${i}`, eventTime: at(i % 3600) });

    expect(groups.size).toBe(MAX_GROUPS_PER_RULE + 1);
    const folded = groups.findings().filter((f) => f.folded);
    expect(folded).toHaveLength(1);
    expect(folded[0]).toMatchObject({ category: FindingCategory.Data, eventName: 'GetSecretValue', count: 20_000 - MAX_GROUPS_PER_RULE });
    expect(folded[0]!.sampleEventIds).toHaveLength(SAMPLE_EVENT_IDS);
    expect(groups.foldedEvents).toBe(20_000 - MAX_GROUPS_PER_RULE);
  });

  it('of one rule never crowd out a finding of another', () => {
    const groups = new FindingGroups();
    const [read] = findingsOf(readSecret('template', 0));
    for (let i = 0; i < 5_000; i++) groups.add({ ...read!, summary: `Read secret secret-${i}` });
    for (const f of findingsOf(iam('CreateAccessKey', { userName: 'backup-admin' }, { accessKey: { accessKeyId: 'AKIANEWKEY0000000001', userName: 'backup-admin' } }))) groups.add(f);

    expect(groups.findings().find((f) => f.eventName === 'CreateAccessKey')?.cleanup).toEqual({ kind: 'delete-access-key', userName: 'backup-admin', accessKeyId: 'AKIANEWKEY0000000001' });
  });

  it('keep a review of a large stream within a fixed number of findings', () => {
    const run = new ReviewRun(ROOT_KEY, 7);
    // Built once each: the stream is what is large, not the builder's work.
    const reads = Array.from({ length: 997 }, (_, i) => readSecret(`s-${i}`, i));
    for (let i = 0; i < 20_000; i++) run.add(reads[i % reads.length]!);

    const { findings } = run.result();
    expect(findings.length).toBeLessThanOrEqual(MAX_GROUPS_PER_RULE + 1);
    expect(findings.reduce((sum, f) => sum + f.count, 0)).toBe(20_000);
  });
});
