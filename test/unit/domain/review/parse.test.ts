import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTrailRecords, toTrailEvent } from '../../../../src/domain/review/parse.js';
import { ATTACKER_IP, record } from './records.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/cloudtrail-stratus/${name}`, import.meta.url), 'utf8');

describe('reading CloudTrail JSON', () => {
  it('reads the records of a log file', () => {
    const text = JSON.stringify({ Records: [record({ eventName: 'CreateUser', eventSource: 'iam.amazonaws.com' })] });
    const parsed = parseTrailRecords(text);
    expect(parsed.error).toBeUndefined();
    expect(parsed.records).toHaveLength(1);
    expect(parsed.records[0]).toMatchObject({ eventName: 'CreateUser', sourceIPAddress: ATTACKER_IP, awsRegion: 'us-east-1' });
  });

  it('takes CloudTrail’s eventID as the event id', () => {
    const raw = record({ eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', eventID: 'e-123' });
    expect(toTrailEvent(raw)?.eventId).toBe('e-123');
  });

  it('reads a bare array and a single record (LookupEvents’ CloudTrailEvent)', () => {
    const one = record({ eventName: 'ListUsers', eventSource: 'iam.amazonaws.com' });
    expect(parseTrailRecords(JSON.stringify([one, one])).records).toHaveLength(2);
    expect(parseTrailRecords(JSON.stringify(one)).records).toHaveLength(1);
  });

  it('reads LookupEvents’ string ReadOnly as a flag', () => {
    const raw = { ...record({ eventName: 'ListUsers', eventSource: 'iam.amazonaws.com' }), readOnly: 'true' };
    expect(toTrailEvent(raw)?.readOnly).toBe(true);
  });

  it('skips entries that are not records and says how many', () => {
    const good = record({ eventName: 'ListUsers', eventSource: 'iam.amazonaws.com' });
    const parsed = parseTrailRecords(JSON.stringify({ Records: [good, null, 42, { eventName: 'NoIdOrTime' }, { ...good, eventTime: 7 }] }));
    expect(parsed.records).toHaveLength(1);
    expect(parsed.skipped).toBe(4);
    expect(parsed.error).toBeUndefined();
  });

  it('drops fields of the wrong type instead of passing them on', () => {
    const raw = { ...record({ eventName: 'ListUsers', eventSource: 'iam.amazonaws.com' }), sourceIPAddress: { evil: true }, errorCode: 5, requestParameters: [1, 2] };
    const event = toTrailEvent(raw);
    expect(event?.sourceIPAddress).toBeUndefined();
    expect(event?.errorCode).toBeUndefined();
    // Left out like every other wrongly typed field; an explicit null from CloudTrail stays null.
    expect(event && 'requestParameters' in event).toBe(false);
    expect(toTrailEvent({ ...raw, requestParameters: null })?.requestParameters).toBeNull();
  });

  it('reports JSON without records as an error', () => {
    expect(parseTrailRecords('{"Items": []}').error).toMatch(/no CloudTrail records/);
    expect(parseTrailRecords('"just a string"').error).toMatch(/no CloudTrail records/);
  });
});

describe('the Stratus Red Team fixtures', () => {
  it('reads the CloudTrail deletion, with the Datadog-forwarded source IP and user agent', () => {
    const parsed = parseTrailRecords(fixture('aws.defense-evasion.cloudtrail-delete.json'));
    expect(parsed.error).toBeUndefined();
    expect(parsed.records).toHaveLength(1);
    expect(parsed.records[0]).toMatchObject({
      eventId: '9335e411-4cb7-4617-9c00-12012a9c3eac',
      eventName: 'DeleteTrail',
      sourceIPAddress: '62.167.105.104',
      userAgent: 'stratus-red-team_40d78cfa-a3da-48c3-9936-71c75ce30eab',
      readOnly: false,
      userIdentity: {
        type: 'AssumedRole',
        accessKeyId: 'ASIAZ3MSJV4W3HFKBOMH',
        sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::677301038893:role/account-admin' } },
      },
    });
  });

  it('reads all ten secret reads and the snapshot share', () => {
    expect(parseTrailRecords(fixture('aws.credential-access.secretsmanager-retrieve-secrets.json')).records).toHaveLength(10);
    expect(parseTrailRecords(fixture('aws.exfiltration.ec2-share-ebs-snapshot.json')).records).toHaveLength(1);
  });

  it('reports the EC2 user-data file as invalid JSON, with where it breaks', () => {
    const parsed = parseTrailRecords(fixture('aws.execution.ec2-user-data.json'));
    expect(parsed.records).toEqual([]);
    expect(parsed.error).toMatch(/^not valid JSON: .*\(line \d+, column \d+\)$/);
  });
});
