import { describe, expect, it } from 'vitest';
import { ActivityAggregator } from '../../../../src/domain/review/activity.js';
import { derivedCredential } from '../../../../src/domain/review/derived-credentials.js';
import { DataAccessTracker, findingsOf } from '../../../../src/domain/review/findings.js';
import { EVASION_RULES } from '../../../../src/domain/review/findings-evasion.js';
import { IAM_RULES } from '../../../../src/domain/review/findings-iam.js';
import { RESOURCE_RULES } from '../../../../src/domain/review/findings-resources.js';
import type { TrailEvent } from '../../../../src/domain/review/types.js';
import { trail } from './records.js';

const ODD_VALUES: unknown[] = [
  null, undefined, 0, -1, NaN, true, '', 'x', [], [null], {}, { items: 'no' }, { items: [null, 3, { instanceId: 5 }] },
  { accessKey: null }, { credentials: { accessKeyId: 42 } }, '{"Statement":', Symbol('s'),
];

/** Every rule's event, with each field in turn replaced by each odd value. */
function oddEvents(): unknown[] {
  const names = [...Object.keys(IAM_RULES), ...Object.keys(EVASION_RULES), ...Object.keys(RESOURCE_RULES), 'sts:AssumeRole', 's3:GetObject'];
  const fields = ['eventName', 'eventSource', 'eventTime', 'awsRegion', 'eventId', 'userIdentity', 'requestParameters', 'responseElements', 'errorCode', 'sourceIPAddress'];
  return names.flatMap((key) => {
    const [service, eventName] = key.split(':') as [string, string];
    const base = { eventId: 'e', eventTime: '2026-11-28T02:40:00Z', awsRegion: 'us-east-1', eventName, eventSource: `${service}.amazonaws.com` };
    const wholeFields = fields.flatMap((field) => ODD_VALUES.map((v) => ({ ...base, [field]: v })));
    const innerFields = ODD_VALUES.flatMap((v) => [
      { ...base, requestParameters: Object.fromEntries(['userName', 'roleName', 'policyArn', 'name', 'instancesSet', 'bucketName', 'names', 'createVolumePermission'].map((k) => [k, v])) },
      { ...base, responseElements: Object.fromEntries(['accessKey', 'instancesSet', 'credentials', 'assumedRoleUser', 'functionName', 'ipSetId'].map((k) => [k, v])) },
    ]);
    return [...wholeFields, ...innerFields];
  });
}

describe('events that do not look like CloudTrail documents', () => {
  it('never make the review throw', () => {
    const aggregator = new ActivityAggregator();
    const tracker = new DataAccessTracker({ minObjectsPerHour: 1 });
    const thrown: string[] = [];
    const attempt = (what: string, e: unknown, f: () => unknown) => {
      try {
        f();
      } catch (err) {
        thrown.push(`${what}(${String(JSON.stringify(e))}): ${String(err)}`);
      }
    };
    for (const e of [...oddEvents(), null, undefined, 7, 'text', []]) {
      const event = e as TrailEvent;
      attempt('findingsOf', e, () => findingsOf(event));
      attempt('derivedCredential', e, () => derivedCredential(event));
      attempt('DataAccessTracker.add', e, () => tracker.add(event));
      attempt('ActivityAggregator.add', e, () => aggregator.add(event));
    }
    expect(thrown.slice(0, 5)).toEqual([]);
    expect(() => aggregator.summary()).not.toThrow();
    expect(() => tracker.findings()).not.toThrow();
  });

  it('do not look up rules by inherited property names', () => {
    expect(findingsOf({ ...trail({ eventName: 'constructor', eventSource: 'iam.amazonaws.com' }), eventSource: '' })).toEqual([]);
    expect(findingsOf(trail({ eventName: '__proto__', eventSource: 'iam.amazonaws.com' }))).toEqual([]);
  });
});

describe('names an attacker chose', () => {
  it('are quoted in CLI commands so pasting them runs nothing else', () => {
    const [f] = findingsOf(trail({ eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', requestParameters: { name: "t'; rm -rf ~ #" } }));
    expect(f?.cliCommand).toBe(`aws cloudtrail start-logging --region us-east-1 --name 't'\\''; rm -rf ~ #'`);
  });

  it('are kept to one line in summaries', () => {
    const [f] = findingsOf(trail({ eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', requestParameters: { userName: `evil\n<!channel> ${'x'.repeat(500)}` } }));
    expect(f?.summary).not.toMatch(/\n/);
    expect(f!.summary.length).toBeLessThanOrEqual(200);
  });

  it('do not put a forged region into console links', () => {
    const [f] = findingsOf(trail({ eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', awsRegion: 'x&next=https://evil', requestParameters: { name: 't' } }));
    expect(f?.consoleUrl).toBe('https://console.aws.amazon.com/cloudtrail/home#/trails');
  });
});
