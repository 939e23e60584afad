import { describe, expect, it } from 'vitest';
import { ActivityAggregator, OTHERS } from '../../../../src/domain/review/activity.js';
import { isAwsService, unknownIps, verdict } from '../../../../src/domain/review/verdict.js';
import { FindingCategory, type ActivitySummary, type Finding } from '../../../../src/domain/review/types.js';
import { OFFICE_IP, at } from './records.js';

const finding = (category: FindingCategory): Finding => ({
  category, eventName: 'X', summary: 'x', eventId: 'e', eventTime: at(0), region: 'us-east-1',
});

function activity(ips: string[], extra: Partial<ActivitySummary> = {}): ActivitySummary {
  const a = new ActivityAggregator();
  ips.forEach((ip, i) => a.add({ eventId: `e${i}`, eventTime: at(i), eventName: 'ListUsers', eventSource: 'iam.amazonaws.com', awsRegion: 'us-east-1', sourceIPAddress: ip }));
  return { ...a.summary(), ...extra };
}

describe('the verdict line', () => {
  it('counts persistence findings, temporary sessions and unknown IPs', () => {
    const line = verdict({
      findings: [finding(FindingCategory.IamPersistence), finding(FindingCategory.IamPersistence), finding(FindingCategory.IamPersistence)],
      temporarySessions: 2,
      activity: activity(['203.0.113.7', '203.0.113.8', OFFICE_IP, 'cloudformation.amazonaws.com']),
      knownIps: [OFFICE_IP],
      days: 7,
    });
    expect(line).toBe('3 persistence findings, 2 temporary sessions, activity from 2 unknown IPs');
  });

  it('uses the singular for one of each, in a fixed order', () => {
    const line = verdict({
      findings: [finding(FindingCategory.Data), finding(FindingCategory.DefenceEvasion), finding(FindingCategory.Spend), finding(FindingCategory.IamPersistence)],
      temporarySessions: 1,
      activity: activity(['203.0.113.7'], { errorBursts: [{ start: at(0), end: at(30), count: 40, region: 'us-east-1' }] }),
      days: 7,
    });
    expect(line).toBe('1 persistence finding, 1 defence-evasion finding, 1 spend finding, 1 data finding, 1 temporary session, 1 burst of denied calls, activity from 1 unknown IP');
  });

  it('says the activity is clean when only known IPs and AWS services acted', () => {
    const clean = { findings: [], temporarySessions: 0, activity: activity([OFFICE_IP, 'AWS Internal', 'iam.amazonaws.com']), knownIps: [OFFICE_IP] };
    expect(verdict({ ...clean, days: 7 })).toBe('no suspicious activity in the last 7 days');
    expect(verdict({ ...clean, days: 1 })).toBe('no suspicious activity in the last day');
  });

  it('says "at least" when IPs went past the tracking cap', () => {
    const line = verdict({ findings: [], temporarySessions: 0, activity: activity(['203.0.113.7'], { sourceIps: [{ value: '203.0.113.7', count: 5 }, { value: OTHERS, count: 900 }] }), days: 7 });
    expect(line).toBe('activity from 1+ unknown IPs');
  });
});

describe('unknown IPs', () => {
  it('are those neither listed as known, exactly, nor AWS services', () => {
    expect(unknownIps(activity(['10.0.0.1', '10.0.0.10', 'ec2.amazonaws.com']), ['10.0.0.1']).values).toEqual(['10.0.0.10']);
    expect(isAwsService('AWS Internal')).toBe(true);
    expect(isAwsService('amazonaws.com.evil.example')).toBe(false);
  });
});

describe('the verdict of a partial review', () => {
  it('never reads as an all-clear', () => {
    expect(verdict({ findings: [], temporarySessions: 0, activity: activity([]), days: 7, partial: true }))
      .toBe('no suspicious activity in what was read of the last 7 days (partial review: not all of CloudTrail was read)');
  });

  it('says it is partial after what was found', () => {
    expect(verdict({ findings: [finding(FindingCategory.Data)], temporarySessions: 0, activity: activity([]), days: 7, partial: true }))
      .toBe('1 data finding (partial review: not all of CloudTrail was read)');
  });
});
