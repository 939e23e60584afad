import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: 'test-signing-secret',
  AWS_REGION: 'eu-west-1',
  APPROVER_USER_IDS: 'U012AB3CD,W0123ABC',
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('reads a complete HTTP-mode setup with defaults', () => {
    const c = loadConfig(BASE);
    expect(c).toMatchObject({
      slack: { mode: 'http', botToken: 'xoxb-test-token', signingSecret: 'test-signing-secret' },
      port: 3000, awsRegion: 'eu-west-1', incidentTable: 'key-incidents',
      approvers: { userIds: ['U012AB3CD', 'W0123ABC'], anyone: false },
      cloudTrailRegions: [], dryRun: false, logLevel: 'info',
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('switches to Socket Mode when an app token is set, without needing a signing secret', () => {
    const c = loadConfig({ ...BASE, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-test' });
    expect(c.slack.mode).toBe('socket');
  });

  it('names every problem at once', () => {
    const problems = problemsOf({ PORT: 'eighty', DRY_RUN: 'maybe', LOG_LEVEL: 'loud', CLOUDTRAIL_REGIONS: 'eu-west-1,mars' });
    expect(problems).toEqual([
      'SLACK_BOT_TOKEN is missing (a bot token).',
      'SLACK_SIGNING_SECRET is missing: HTTP mode (no SLACK_APP_TOKEN) needs it to verify Slack\'s requests.',
      'PORT must be a port number (got "eighty").',
      'AWS_REGION is missing (the AWS region the bot works in, e.g. eu-west-1).',
      'No approvers: set APPROVER_USER_IDS and/or APPROVER_USERGROUP_ID, or APPROVERS=anyone to let anyone in the workspace approve.',
      'CLOUDTRAIL_REGIONS has "mars", which is not an AWS region name.',
      'DRY_RUN must be true or false (got "maybe").',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud").',
    ]);
  });

  it('refuses to start without approvers unless anyone is allowed explicitly', () => {
    expect(problemsOf({ ...BASE, APPROVER_USER_IDS: '' })).toHaveLength(1);
    expect(loadConfig({ ...BASE, APPROVER_USER_IDS: '', APPROVERS: 'anyone' }).approvers.anyone).toBe(true);
    expect(problemsOf({ ...BASE, APPROVERS: 'anyone' })[0]).toMatch(/contradicts/);
    expect(problemsOf({ ...BASE, APPROVERS: 'everyone' })[0]).toMatch(/APPROVERS may only be "anyone"/);
  });

  it('validates approver ids and the user group id', () => {
    expect(problemsOf({ ...BASE, APPROVER_USER_IDS: 'U012AB3CD,alice' })).toEqual([
      'APPROVER_USER_IDS has "alice", which is not a Slack user id (like U012AB3CD).',
    ]);
    expect(loadConfig({ ...BASE, APPROVER_USERGROUP_ID: 'S0614TZR7' }).approvers.usergroupId).toBe('S0614TZR7');
    expect(problemsOf({ ...BASE, APPROVER_USERGROUP_ID: 'U0614TZR7' })).toHaveLength(1);
  });

  it('never repeats a token it rejects', () => {
    const problems = problemsOf({ ...BASE, SLACK_BOT_TOKEN: 'hunter2-not-a-token', SLACK_APP_TOKEN: 'xoxp-wrong-kind' });
    expect(problems.join('\n')).not.toMatch(/hunter2|wrong-kind/);
    expect(problems).toHaveLength(2);
  });

  it('normalises the Slack API URL and rejects a bad one', () => {
    expect(loadConfig({ ...BASE, SLACK_API_URL: 'http://127.0.0.1:9999/api' }).slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(problemsOf({ ...BASE, SLACK_API_URL: 'ftp://x' })).toHaveLength(1);
  });

  it('parses regions, dry run and the table name', () => {
    const c = loadConfig({ ...BASE, CLOUDTRAIL_REGIONS: ' eu-west-1, us-east-1 ', DRY_RUN: 'TRUE', INCIDENT_TABLE: 'ki-prod', PORT: '8080' });
    expect(c).toMatchObject({ cloudTrailRegions: ['eu-west-1', 'us-east-1'], dryRun: true, incidentTable: 'ki-prod', port: 8080 });
    expect(problemsOf({ ...BASE, INCIDENT_TABLE: 'no spaces allowed' })).toHaveLength(1);
  });
});

describe('cross-account response', () => {
  it('is off unless a role name is set, and reads the external id with it', () => {
    expect(loadConfig(BASE).crossAccount).toBeUndefined();
    expect(loadConfig({ ...BASE, CROSS_ACCOUNT_ROLE_NAME: 'KeyIncidentResponder' }).crossAccount).toEqual({ roleName: 'KeyIncidentResponder' });
    expect(loadConfig({ ...BASE, CROSS_ACCOUNT_ROLE_NAME: 'Responder', CROSS_ACCOUNT_EXTERNAL_ID: 'ki-3f9a2c' }).crossAccount)
      .toEqual({ roleName: 'Responder', externalId: 'ki-3f9a2c' });
  });

  it('refuses a bad role name, a bad external id, and an external id without a role, never echoing the id', () => {
    const externalId = 'has spaces and ! marks';
    const problems = problemsOf({ ...BASE, CROSS_ACCOUNT_ROLE_NAME: 'arn:aws:iam::1:role/x', CROSS_ACCOUNT_EXTERNAL_ID: externalId });
    expect(problems).toEqual([
      expect.stringContaining('CROSS_ACCOUNT_ROLE_NAME "arn:aws:iam::1:role/x" is not an IAM role name'),
      'CROSS_ACCOUNT_EXTERNAL_ID must be 2 to 1224 letters, digits or +=,.@:/_- characters.',
    ]);
    expect(problems.join('\n')).not.toContain(externalId);
    expect(problemsOf({ ...BASE, CROSS_ACCOUNT_EXTERNAL_ID: 'ki-3f9a2c' })).toEqual([
      'CROSS_ACCOUNT_EXTERNAL_ID is set but CROSS_ACCOUNT_ROLE_NAME is not: set the role name the member accounts deploy.',
    ]);
  });

  it('reads ALLOWED_ACCOUNT_IDS, none by default, and names each entry that is not a 12-digit account id', () => {
    expect(loadConfig(BASE).allowedAccountIds).toEqual([]);
    expect(loadConfig({ ...BASE, ALLOWED_ACCOUNT_IDS: ' 444455556666, 555566667777,444455556666 ' }).allowedAccountIds).toEqual(['444455556666', '555566667777']);
    expect(problemsOf({ ...BASE, ALLOWED_ACCOUNT_IDS: '44445555666,*,arn:aws:iam::444455556666:root,444455556666' })).toEqual([
      'ALLOWED_ACCOUNT_IDS has "44445555666", which is not an AWS account id (12 digits, like 111122223333).',
      'ALLOWED_ACCOUNT_IDS has "*", which is not an AWS account id (12 digits, like 111122223333).',
      'ALLOWED_ACCOUNT_IDS has "arn:aws:iam::444455556666:root", which is not an AWS account id (12 digits, like 111122223333).',
    ]);
  });

  it('reads the replacement secret readers and KMS key, none by default, and names a reader that is not a role or user ARN', () => {
    expect(loadConfig(BASE).replacementSecret).toEqual({ readers: [] });
    expect(loadConfig({ ...BASE, REPLACEMENT_SECRET_READERS: 'arn:aws:iam::111122223333:role/Deployer, arn:aws:iam::111122223333:user/ci/release', REPLACEMENT_SECRET_KMS_KEY_ID: 'alias/key-incident-replacement-secrets' }).replacementSecret)
      .toEqual({ readers: ['arn:aws:iam::111122223333:role/Deployer', 'arn:aws:iam::111122223333:user/ci/release'], kmsKeyId: 'alias/key-incident-replacement-secrets' });
    expect(problemsOf({ ...BASE, REPLACEMENT_SECRET_READERS: '*', REPLACEMENT_SECRET_KMS_KEY_ID: 'my key' })).toEqual([
      expect.stringContaining('REPLACEMENT_SECRET_READERS has "*", which is not an IAM role or user ARN'),
      expect.stringContaining('REPLACEMENT_SECRET_KMS_KEY_ID "my key" is not a KMS key id, key ARN or alias'),
    ]);
  });
});

describe('the CloudTrail review caps', () => {
  it('default to 1,000 pages and 600 seconds per region', () => {
    expect(loadConfig(BASE).review).toEqual({ maxPagesPerRegion: 1_000, maxSecondsPerRegion: 600 });
  });

  it('take whole numbers within their ranges', () => {
    expect(loadConfig({ ...BASE, REVIEW_MAX_PAGES_PER_REGION: '20000', REVIEW_MAX_SECONDS_PER_REGION: '30' }).review)
      .toEqual({ maxPagesPerRegion: 20_000, maxSecondsPerRegion: 30 });
  });

  it('name each malformed cap and its range', () => {
    expect(problemsOf({ ...BASE, REVIEW_MAX_PAGES_PER_REGION: '0', REVIEW_MAX_SECONDS_PER_REGION: '10m' })).toEqual([
      'REVIEW_MAX_PAGES_PER_REGION must be a whole number of LookupEvents pages (50 events each) from 1 to 100000 (got "0").',
      'REVIEW_MAX_SECONDS_PER_REGION must be a whole number of seconds from 10 to 86400 (got "10m").',
    ]);
  });
});
