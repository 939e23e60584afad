import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findingsOf } from '../../../../src/domain/review/findings.js';
import { parseTrailRecords } from '../../../../src/domain/review/parse.js';
import { FindingCategory, type TrailEvent } from '../../../../src/domain/review/types.js';
import { trail } from './records.js';

const fixture = (name: string) =>
  parseTrailRecords(readFileSync(new URL(`./fixtures/cloudtrail-stratus/${name}`, import.meta.url), 'utf8')).records;

const one = (event: TrailEvent) => {
  const found = findingsOf(event);
  expect(found).toHaveLength(1);
  return found[0]!;
};

const call = (eventSource: string, eventName: string, requestParameters: Record<string, unknown> | null, responseElements: Record<string, unknown> | null = null, awsRegion = 'us-west-2') =>
  trail({ eventSource, eventName, requestParameters, responseElements, awsRegion });

describe('defence evasion findings', () => {
  it('gives the command that restarts a stopped trail', () => {
    const f = one(call('cloudtrail.amazonaws.com', 'StopLogging', { name: 'org-trail' }));
    expect(f).toMatchObject({ category: FindingCategory.DefenceEvasion, summary: 'Stopped CloudTrail logging of trail org-trail', region: 'us-west-2' });
    expect(f.cliCommand).toBe('aws cloudtrail start-logging --region us-west-2 --name org-trail');
    expect(f.consoleUrl).toBe('https://console.aws.amazon.com/cloudtrail/home?region=us-west-2#/trails');
  });

  it('says what an UpdateTrail turned off', () => {
    const f = one(call('cloudtrail.amazonaws.com', 'UpdateTrail', { name: 'org-trail', isMultiRegionTrail: false, includeGlobalServiceEvents: false }));
    expect(f.summary).toBe('Changed CloudTrail trail org-trail: now logs one region only, no longer logs global services such as IAM');
  });

  it('flags changed event selectors', () => {
    expect(one(call('cloudtrail.amazonaws.com', 'PutEventSelectors', { trailName: 'org-trail', eventSelectors: [] })).summary)
      .toBe('Changed which events CloudTrail trail org-trail records');
  });

  it('gives the commands that undo GuardDuty changes', () => {
    expect(one(call('guardduty.amazonaws.com', 'UpdateDetector', { detectorId: 'd1', enable: false })).cliCommand)
      .toBe('aws guardduty update-detector --region us-west-2 --detector-id d1 --enable');
    expect(one(call('guardduty.amazonaws.com', 'DeleteDetector', { detectorId: 'd1' })).cliCommand)
      .toBe('aws guardduty create-detector --region us-west-2 --enable');
    const filter = one(call('guardduty.amazonaws.com', 'CreateFilter', { detectorId: 'd1', name: 'quiet', action: 'ARCHIVE', findingCriteria: {} }));
    expect(filter.summary).toBe('Created GuardDuty filter quiet (action ARCHIVE) in us-west-2');
    expect(filter.cliCommand).toBe('aws guardduty delete-filter --region us-west-2 --detector-id d1 --filter-name quiet');
    expect(one(call('guardduty.amazonaws.com', 'CreateIPSet', { detectorId: 'd1', name: 'ok-ips' }, { ipSetId: 'ips1' })).cliCommand)
      .toBe('aws guardduty delete-ip-set --region us-west-2 --detector-id d1 --ip-set-id ips1');
    expect(one(call('guardduty.amazonaws.com', 'DisassociateFromMasterAccount', { detectorId: 'd1' })).category).toBe(FindingCategory.DefenceEvasion);
    expect(one(call('guardduty.amazonaws.com', 'DeleteMembers', { detectorId: 'd1', accountIds: ['444455556666'] })).summary)
      .toBe('Deleted GuardDuty account 444455556666 in us-west-2');
  });

  it('does not take another service’s CreateFilter for GuardDuty’s', () => {
    expect(findingsOf(call('inspector2.amazonaws.com', 'CreateFilter', { name: 'x' }))).toEqual([]);
  });

  it('gives the command that restarts AWS Config', () => {
    expect(one(call('config.amazonaws.com', 'StopConfigurationRecorder', { configurationRecorderName: 'default' })).cliCommand)
      .toBe('aws configservice start-configuration-recorder --region us-west-2 --configuration-recorder-name default');
    expect(one(call('config.amazonaws.com', 'DeleteDeliveryChannel', { deliveryChannelName: 'default' })).summary)
      .toBe('Deleted AWS Config delivery channel default in us-west-2');
  });
});

describe('spend findings', () => {
  const launched = (type: string, id: string) => ({ instanceId: id, instanceType: type, currentState: { code: 0, name: 'pending' } });

  it('counts launched instances by type and gives the terminate command', () => {
    const f = one(call('ec2.amazonaws.com', 'RunInstances',
      { instancesSet: { items: [{ imageId: 'ami-1', minCount: 3, maxCount: 3 }] }, instanceType: 'p3.16xlarge' },
      { instancesSet: { items: [launched('p3.16xlarge', 'i-0a'), launched('p3.16xlarge', 'i-0b'), launched('p3.16xlarge', 'i-0c')] } }));
    expect(f.category).toBe(FindingCategory.Spend);
    expect(f.summary).toBe('Launched 3 × p3.16xlarge in us-west-2 (i-0a, i-0b, i-0c)');
    expect(f.cliCommand).toBe('aws ec2 terminate-instances --region us-west-2 --instance-ids i-0a i-0b i-0c');
    expect(f.consoleUrl).toBe('https://console.aws.amazon.com/ec2/home?region=us-west-2#Instances:');
  });

  it('falls back to the request when the response is missing', () => {
    const f = one(call('ec2.amazonaws.com', 'RunInstances', { instancesSet: { items: [{ minCount: 1, maxCount: '20' }] }, instanceType: 'g5.12xlarge' }));
    expect(f.summary).toBe('Launched up to 20 × g5.12xlarge in us-west-2');
    expect(f.cliCommand).toBeUndefined();
  });

  it('gives the cancel command for spot requests', () => {
    const f = one(call('ec2.amazonaws.com', 'RequestSpotInstances',
      { instanceCount: 4, launchSpecification: { instanceType: 'p3.8xlarge' } },
      { spotInstanceRequestSet: { items: [{ spotInstanceRequestId: 'sir-1' }] } }));
    expect(f.summary).toMatch(/^Requested 4 × p3.8xlarge spot instances in us-west-2 \(sir-1\)/);
    expect(f.cliCommand).toBe('aws ec2 cancel-spot-instance-requests --region us-west-2 --spot-instance-request-ids sir-1');
  });

  it('recognises Lambda’s versioned event name', () => {
    const f = one(call('lambda.amazonaws.com', 'CreateFunction20150331', { functionName: 'miner' }, { functionName: 'miner', functionArn: 'arn:aws:lambda:us-west-2:1:function:miner' }));
    expect(f.summary).toBe('Created Lambda function miner in us-west-2');
    expect(f.cliCommand).toBe('aws lambda delete-function --region us-west-2 --function-name miner');
  });
});

describe('data findings', () => {
  it('names the bucket whose policy or ACL changed', () => {
    const policy = one(call('s3.amazonaws.com', 'PutBucketPolicy', { bucketName: 'prod-data', bucketPolicy: {} }));
    expect(policy).toMatchObject({ category: FindingCategory.Data, summary: 'Replaced the bucket policy of prod-data', cliCommand: 'aws s3api delete-bucket-policy --bucket prod-data' });
    const acl = one(call('s3.amazonaws.com', 'PutBucketAcl', { bucketName: 'prod-data', 'x-amz-acl': ['public-read'] }));
    expect(acl.summary).toBe('Changed the ACL of bucket prod-data to public-read');
    expect(acl.cliCommand).toBe('aws s3api put-bucket-acl --bucket prod-data --acl private');
  });

  it('flags SSM parameter reads, saying when they were decrypted', () => {
    expect(one(call('ssm.amazonaws.com', 'GetParameter', { name: '/prod/db/password', withDecryption: true })).summary)
      .toBe('Read SSM parameter /prod/db/password (decrypted) in us-west-2');
    expect(one(call('ssm.amazonaws.com', 'GetParameters', { names: ['/a', '/b', '/c', '/d'] })).summary)
      .toBe('Read SSM parameters /a, /b, /c +1 more in us-west-2');
  });

  it('does not flag removing a snapshot’s sharing', () => {
    expect(findingsOf(call('ec2.amazonaws.com', 'ModifySnapshotAttribute', { snapshotId: 'snap-1', createVolumePermission: { remove: { items: [{ userId: '1' }] } } }))).toEqual([]);
  });
});

describe('findings of the Stratus fixtures', () => {
  it('finds the CloudTrail deletion as defence evasion, with its evidence', () => {
    const [event] = fixture('aws.defense-evasion.cloudtrail-delete.json');
    expect(findingsOf(event!)).toEqual([expect.objectContaining({
      category: FindingCategory.DefenceEvasion,
      eventName: 'DeleteTrail',
      summary: 'Deleted CloudTrail trail my-cloudtrail-trail-2',
      eventId: '9335e411-4cb7-4617-9c00-12012a9c3eac',
      eventTime: '2022-07-20T20:53:54Z',
      region: 'us-east-1',
      sourceIPAddress: '62.167.105.104',
      accessKeyId: 'ASIAZ3MSJV4W3HFKBOMH',
    })]);
  });

  it('finds every secret read', () => {
    const found = fixture('aws.credential-access.secretsmanager-retrieve-secrets.json').flatMap(findingsOf);
    expect(found).toHaveLength(10);
    expect(found.every((f) => f.category === FindingCategory.Data && f.eventName === 'GetSecretValue')).toBe(true);
    expect(found.map((f) => f.summary)).toContain('Read secret stratus-red-team-secret-4-q5OiUT in us-east-1: rotate it');
    expect(found[0]!.consoleUrl).toBe('https://console.aws.amazon.com/secretsmanager/secret?name=stratus-red-team-secret-4-q5OiUT&region=us-east-1');
  });

  it('finds the snapshot shared with another account and gives the command to unshare it', () => {
    const [f] = fixture('aws.exfiltration.ec2-share-ebs-snapshot.json').flatMap(findingsOf);
    expect(f?.summary).toBe('Shared snapshot snap-00f54cf7277498559 with account 012345678912');
    expect(f?.cliCommand).toBe('aws ec2 modify-snapshot-attribute --region us-east-1 --snapshot-id snap-00f54cf7277498559 --attribute createVolumePermission --operation-type remove --user-ids 012345678912');
  });
});
