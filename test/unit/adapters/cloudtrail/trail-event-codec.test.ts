import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeLookupEntry, trailEventFrom } from '../../../../src/adapters/cloudtrail/trail-event-codec.js';
import { readTrailLog } from '../../../fakes/cloudtrail-records.js';

const FIXTURES = '/work/shared/fixtures/cloudtrail-stratus';
const VALID = [
  'aws.credential-access.secretsmanager-retrieve-secrets.json',
  'aws.defense-evasion.cloudtrail-delete.json',
  'aws.exfiltration.ec2-share-ebs-snapshot.json',
];
const BROKEN = 'aws.execution.ec2-user-data.json';

const record = {
  eventVersion: '1.09',
  eventID: '5dcff7a9-e414-411a-a43e-88d122a0ad4a',
  eventTime: '2024-05-01T12:00:07Z',
  eventName: 'CreateAccessKey',
  eventSource: 'iam.amazonaws.com',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.77',
  userAgent: 'aws-cli/2.15.30',
  readOnly: false,
  userIdentity: {
    type: 'IAMUser',
    arn: 'arn:aws:iam::111122223333:user/bob',
    accountId: '111122223333',
    accessKeyId: 'AKIAEXPOSEDKEY000001',
    userName: 'bob',
  },
  requestParameters: { userName: 'backup-admin' },
  responseElements: { accessKey: { accessKeyId: 'AKIANEWKEY0000000001', status: 'Active', userName: 'backup-admin' } },
};
const entry = (cloudTrailEvent: string | undefined, extra: object = {}) => ({ EventId: 'entry-id', CloudTrailEvent: cloudTrailEvent, ...extra });

describe('the shared Stratus Red Team CloudTrail files', () => {
  it.each(VALID)('%s parses, and every record becomes a TrailEvent made with a temporary AssumedRole key', (file) => {
    const log = readTrailLog(join(FIXTURES, file));

    expect(log.ok).toBe(true);
    const records = log.ok ? log.records : [];
    expect(records.length).toBeGreaterThan(0);
    for (const raw of records) {
      const event = trailEventFrom(raw);
      expect(event).toMatchObject({ eventId: raw.eventID, eventName: raw.eventName, awsRegion: 'us-east-1', readOnly: raw.readOnly });
      expect(event?.userIdentity).toMatchObject({
        type: 'AssumedRole',
        accessKeyId: expect.stringMatching(/^ASIA/),
        sessionContext: { sessionIssuer: { type: 'Role', userName: 'account-admin' }, attributes: { mfaAuthenticated: 'true' } },
      });
    }
  });

  it(`reports ${BROKEN}, which is not valid JSON as published, by name, line and column instead of throwing`, () => {
    const log = readTrailLog(join(FIXTURES, BROKEN));

    expect(log).toEqual({
      ok: false,
      file: BROKEN,
      problem: expect.stringMatching(/^aws\.execution\.ec2-user-data\.json is not valid JSON: .+ \(line \d+, column \d+\)$/),
    });
  });
});

describe('decodeLookupEntry', () => {
  it('reads the record in CloudTrailEvent, keeping the fields the review uses', () => {
    const decoded = decodeLookupEntry(entry(JSON.stringify(record)), 'us-east-1');

    expect(decoded).toEqual({
      ok: true,
      event: {
        eventId: record.eventID,
        eventTime: '2024-05-01T12:00:07.000Z',
        eventName: 'CreateAccessKey',
        eventSource: 'iam.amazonaws.com',
        awsRegion: 'us-east-1',
        sourceIPAddress: '203.0.113.77',
        userAgent: 'aws-cli/2.15.30',
        readOnly: false,
        userIdentity: record.userIdentity,
        requestParameters: record.requestParameters,
        responseElements: record.responseElements,
      },
    });
  });

  it('says why an entry cannot be read, with its event id', () => {
    expect(decodeLookupEntry(entry('{"eventID": '), 'us-east-1')).toEqual({ ok: false, problem: 'invalid-json', eventId: 'entry-id' });
    expect(decodeLookupEntry(entry('"a string"'), 'us-east-1')).toEqual({ ok: false, problem: 'not-a-record', eventId: 'entry-id' });
    expect(decodeLookupEntry(entry(undefined), 'us-east-1')).toEqual({ ok: false, problem: 'missing-record', eventId: 'entry-id' });
    expect(decodeLookupEntry({ CloudTrailEvent: '{}' }, 'us-east-1')).toEqual({ ok: false, problem: 'missing-fields' });
  });

  it("falls back on the entry's own fields and the scanned Region when the record lacks them", () => {
    const at = new Date('2024-05-01T12:00:07Z');
    const decoded = decodeLookupEntry(
      entry('{"userIdentity": {"accessKeyId": "ASIATEMPORARYKEY0001"}}', {
        EventName: 'ListBuckets',
        EventSource: 's3.amazonaws.com',
        EventTime: at,
        ReadOnly: 'true',
      }),
      'eu-west-1',
    );

    expect(decoded).toEqual({
      ok: true,
      event: {
        eventId: 'entry-id',
        eventTime: at.toISOString(),
        eventName: 'ListBuckets',
        eventSource: 's3.amazonaws.com',
        awsRegion: 'eu-west-1',
        readOnly: true,
        userIdentity: { accessKeyId: 'ASIATEMPORARYKEY0001' },
      },
    });
  });

  it('leaves out fields of the wrong type instead of trusting them', () => {
    const odd = {
      ...record,
      sourceIPAddress: 42,
      readOnly: 'maybe',
      userIdentity: { type: 7, userName: 'bob' },
      requestParameters: 'x',
      resources: [{ ARN: 'arn:aws:iam::111122223333:role/x', type: 1 }, 'junk'],
    };

    const decoded = decodeLookupEntry(entry(JSON.stringify(odd)), 'us-east-1');

    expect(decoded.ok && decoded.event).toMatchObject({ userIdentity: { userName: 'bob' }, resources: [{ ARN: 'arn:aws:iam::111122223333:role/x' }] });
    const event = decoded.ok ? decoded.event : undefined;
    expect(event && ['sourceIPAddress', 'readOnly', 'requestParameters'].filter((k) => k in event)).toEqual([]);
    expect(event?.userIdentity && 'type' in event.userIdentity).toBe(false);
  });
});
