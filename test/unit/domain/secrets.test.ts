import { describe, expect, it } from 'vitest';
import { MAX_SCANNED, secretIn } from '../../../src/domain/secrets.js';

// Made up, and put together here so that no scanner takes this file for a leak.
const SLACK_BOT = ['xoxb', '123456789012', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
const SLACK_USER = ['xoxp', '123456789012', '123456789012', '1234567890123', '0123456789abcdef0123456789abcdef'].join('-');
const SLACK_APP = ['xapp', '1', 'A0123456789', '1234567890123', '0123456789abcdef'].join('-');
const SLACK_REFRESH = ['xoxe.xoxp', '1', 'Mi0yLTEyMzQ1Njc4OTAxMi0x'].join('-');
const GITHUB_CLASSIC = `ghp_${'A1b2C3d4E5'.repeat(3)}aBcDeF`;
const GITHUB_FINE = `github_pat_${'11ABCDEFG0'.repeat(3)}_xyz`;
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('secrets in a note', () => {
  it.each([
    ['a Slack bot token', `token is ${SLACK_BOT}`, 'a Slack token'],
    ['a Slack user token', SLACK_USER, 'a Slack token'],
    ['a Slack app token', `SLACK_APP_TOKEN ${SLACK_APP}`, 'a Slack token'],
    ['a Slack refresh token', SLACK_REFRESH, 'a Slack token'],
    ['a classic GitHub token', `git clone https://${GITHUB_CLASSIC}@github.com/acme/x`, 'a GitHub token'],
    ['a fine-grained GitHub token', GITHUB_FINE, 'a GitHub token'],
    ['a PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow…', 'a private key'],
    ['a PKCS#8 private key', '-----BEGIN PRIVATE KEY-----', 'a private key'],
    ['an OpenSSH private key', '-----BEGIN OPENSSH PRIVATE KEY-----', 'a private key'],
    ['a PGP private key', '-----BEGIN PGP PRIVATE KEY BLOCK-----', 'a private key'],
    ['an .env password', 'DB_PASSWORD=hunter2', 'a password'],
    ['a quoted password', "export PGPASSWORD='s3cr3t!'", 'a password'],
    ['a password with spaces round =', 'password = correct-horse', 'a password'],
    ['a lower-case passwd', 'mysql_passwd=abc', 'a password'],
    ['a MYSQL_PWD', 'MYSQL_PWD=xyz', 'a password'],
    ['a password in a URL query', 'https://example.com/login?user=bob&password=Tr0ub4dor', 'a password'],
    ['a secret access key', `AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`, 'a secret access key'],
  ])('withholds %s', (_, text, kind) => {
    expect(secretIn(text)).toBe(kind);
  });

  it.each([
    'password reset done',
    'Alice changed her password: done at 03:12',
    'the password policy requires 14 characters',
    'see https://console.aws.amazon.com/iam/home#/users/deploy-bot?section=security_credentials',
    'https://github.com/acme/infra/pull/42 and https://acme.slack.com/archives/C0123/p1700000000',
    'the bot token starts with xoxb- as usual',
    'ghp_ tokens are GitHub personal access tokens',
    'BEGIN PRIVATE KEY is what the file starts with',
    'PGPASSWORD=$DB_PASSWORD psql', 'DB_PASSWORD=${SECRET}', 'PASSWORD=<redacted>', 'password=***',
    'DB_PASSWORD is now in Secrets Manager',
  ])('keeps ordinary text: %s', (text) => {
    expect(secretIn(text)).toBeUndefined();
  });

  it('reads at most MAX_SCANNED characters, and quickly whatever the text', () => {
    const started = performance.now();
    expect(secretIn(`${'a'.repeat(MAX_SCANNED)}${SLACK_BOT}`)).toBeUndefined();
    expect(secretIn('password'.repeat(50_000))).toBeUndefined();
    expect(secretIn(`${'_'.repeat(39)}password${'_'.repeat(39)}`.repeat(1_000))).toBeUndefined();
    expect(secretIn(`-----BEGIN ${'A '.repeat(20_000)}`)).toBeUndefined();
    expect(secretIn('xoxb- '.repeat(20_000))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
