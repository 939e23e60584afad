/** The fake CloudTrail itself: LookupEvents on the wire, its filters, its tokens and its enforced rate limit. */
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { useWireFake } from '../support/wire-fake.js';
import { assumedRole, getSessionToken, history, iamUser } from '../fakes/cloudtrail-records.js';

const ACCOUNT = '111122223333';
const KEY = 'AKIAEXPOSEDKEY000001';
const end = new Date(Math.floor(Date.now() / 1000) * 1000);
const start = new Date(end.getTime() - 24 * 3_600_000);
const exposed = iamUser(ACCOUNT, 'backup-admin', KEY);
const byKey = (key = KEY) => [{ AttributeKey: 'AccessKeyId' as const, AttributeValue: key }];

const fake = useWireFake({ botAccount: ACCOUNT });

/** A bare SDK client making one attempt per call, so every answer shows. */
function client(region: string): CloudTrailClient {
  const made = new CloudTrailClient({
    region,
    endpoint: fake.aws.url,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIAKEYINCIDENTTESTS', secretAccessKey: 'not-a-real-secret' },
  });
  fake.track(made);
  return made;
}

function lookup(region: string, input: LookupEventsCommandInput) {
  return client(region).send(new LookupEventsCommand(input));
}

async function post(region: string, body: object): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(fake.aws.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'CloudTrail_20131101.LookupEvents',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIAKEYINCIDENTTESTS/20240115/${region}/cloudtrail/aws4_request, SignedHeaders=host, Signature=00`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('fake CloudTrail LookupEvents', () => {
  it('answers entries built from the record, times in epoch seconds, the record as a JSON string', async () => {
    const record = getSessionToken(exposed, { time: new Date(end.getTime() - 60_000), region: 'eu-west-1', newAccessKeyId: 'ASIAMINTEDBYEXPOSED1' });
    fake.aws.trail('eu-west-1').add([record]);

    const answer = await post('eu-west-1', { LookupAttributes: byKey(), StartTime: start.getTime() / 1000, EndTime: end.getTime() / 1000 });

    expect(answer).toEqual({
      status: 200,
      json: {
        Events: [
          {
            EventId: record.eventID,
            EventName: 'GetSessionToken',
            ReadOnly: 'true',
            AccessKeyId: KEY,
            EventTime: (end.getTime() - 60_000) / 1000,
            EventSource: 'sts.amazonaws.com',
            Username: 'backup-admin',
            CloudTrailEvent: JSON.stringify(record),
          },
        ],
      },
    });
  });

  it('names a role session by its session name, and lists the resources of the record', async () => {
    const session = assumedRole(ACCOUNT, 'deploy', 'attacker', 'ASIATEMPORARYKEY0001', start);
    fake.aws.trail('us-east-1').add(history(session, 1, end, end));

    const { Events } = await lookup('us-east-1', { LookupAttributes: byKey('ASIATEMPORARYKEY0001') });

    expect(Events?.[0]).toMatchObject({ Username: 'attacker', AccessKeyId: 'ASIATEMPORARYKEY0001', EventTime: end });
  });

  it('keeps each Region to itself, taking the Region from the SigV4 scope', async () => {
    fake.aws.trail('eu-west-1').add(history(exposed, 3, start, end, 'eu-west-1'));

    const [here, elsewhere] = await Promise.all([lookup('eu-west-1', { LookupAttributes: byKey() }), lookup('us-west-2', { LookupAttributes: byKey() })]);

    expect(here.Events).toHaveLength(3);
    expect(elsewhere.Events).toEqual([]);
    expect([fake.aws.trail('eu-west-1').lookups, fake.aws.trail('us-west-2').lookups]).toEqual([1, 1]);
  });

  it('pages with opaque NextTokens that records added meanwhile do not disturb', async () => {
    const older = history(exposed, 5, start, new Date(end.getTime() - 3_600_000), 'us-east-1');
    fake.aws.trail('us-east-1').add(older);
    const input = { LookupAttributes: byKey(), StartTime: start, EndTime: end, MaxResults: 3 };

    const first = await lookup('us-east-1', input);
    fake.aws.trail('us-east-1').add(history(exposed, 2, new Date(end.getTime() - 60_000), end, 'us-east-1'));
    const second = await lookup('us-east-1', { ...input, NextToken: first.NextToken });

    expect(first.NextToken).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(second.NextToken).toBeUndefined();
    const ids = [...(first.Events ?? []), ...(second.Events ?? [])].map((e) => e.EventId);
    expect(ids).toEqual([...older].reverse().map((r) => r.eventID));
  });

  it('refuses a NextToken used with other filters, as documented', async () => {
    fake.aws.trail('us-east-1').add(history(exposed, 3, start, end));
    const first = await lookup('us-east-1', { LookupAttributes: byKey(), MaxResults: 1 });

    await expect(lookup('us-east-1', { LookupAttributes: byKey('AKIAOTHERUSERKEY0002'), NextToken: first.NextToken })).rejects.toMatchObject({
      name: 'InvalidNextTokenException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it.each([
    ['MaxResults over 50', { MaxResults: 51 }, 'InvalidMaxResultsException'],
    [
      'two lookup attributes',
      { LookupAttributes: [...byKey(), { AttributeKey: 'EventName' as const, AttributeValue: 'ListUsers' }] },
      'InvalidLookupAttributesException',
    ],
    ['a start after the end', { StartTime: end, EndTime: start }, 'InvalidTimeRangeException'],
  ])('refuses %s with %s', async (_what, input, code) => {
    await expect(lookup('us-east-1', input)).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
  });
});

describe('fake CloudTrail rate limit', () => {
  it('accepts 2 LookupEvents per second per Region and answers the rest ThrottlingException "Rate exceeded"', async () => {
    const answers = await Promise.allSettled(Array.from({ length: 5 }, () => lookup('eu-west-1', { LookupAttributes: byKey() })));
    const other = await lookup('us-east-1', { LookupAttributes: byKey() });

    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(2);
    const refused = answers.flatMap((a) => (a.status === 'rejected' ? [a.reason as Error & { $metadata: { httpStatusCode: number } }] : []));
    expect(refused.map((e) => [e.name, e.message, e.$metadata.httpStatusCode])).toEqual(Array(3).fill(['ThrottlingException', 'Rate exceeded', 400]));
    expect(other.Events).toEqual([]);
    expect(fake.aws.trail('eu-west-1')).toMatchObject({ lookups: 5, rateLimited: 3, throttled: 3 });
  });

  it('counts a sliding window: a third request is refused until a second has passed since the first', async () => {
    let now = 0;
    fake.aws.cloudTrail.monotonic = () => now;
    await lookup('eu-west-1', {});
    now = 600;
    await lookup('eu-west-1', {});

    now = 999;
    await expect(lookup('eu-west-1', {})).rejects.toMatchObject({ name: 'ThrottlingException' });
    now = 1000;
    await expect(lookup('eu-west-1', {})).resolves.toMatchObject({ Events: [] });
    now = 1599;
    await expect(lookup('eu-west-1', {})).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(fake.aws.trail('eu-west-1').arrivals).toEqual([0, 600, 1000]);
  });

  it('throttles on demand, whatever the rate, and counts it apart', async () => {
    fake.aws.trail('eu-west-1').throttleNext(1);

    await expect(lookup('eu-west-1', {})).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    await expect(lookup('eu-west-1', {})).resolves.toBeDefined();
    expect(fake.aws.trail('eu-west-1')).toMatchObject({ lookups: 2, injectedThrottles: 1, rateLimited: 0 });
  });
});
