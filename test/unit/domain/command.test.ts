import { describe, expect, it } from 'vitest';
import { containsSecret } from '../../../src/domain/access-key.js';
import { parseCommand } from '../../../src/domain/command.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('parsing /key-incident text', () => {
  it('opens an incident for a bare access key id', () => {
    expect(parseCommand(KEY)).toEqual({ kind: 'open', keyId: KEY, secretSeen: false });
  });

  it('finds the key inside surrounding text and keeps the rest as a note', () => {
    expect(parseCommand(`found ${KEY} in a public gist`)).toEqual({ kind: 'open', keyId: KEY, secretSeen: false, note: 'found in a public gist' });
  });

  it('finds a key wrapped in punctuation', () => {
    expect(parseCommand(`key="${KEY}",`)).toMatchObject({ kind: 'open', keyId: KEY });
  });

  it.each(['', '   ', 'help', 'HELP', '--help', '?'])('answers %j with help', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'help' });
  });

  it.each([
    ['too short', 'AKIAIOSFODNN7EXAMPL'],
    ['too long', 'AKIAIOSFODNN7EXAMPLEX'],
    ['lower case', KEY.toLowerCase()],
    ['characters outside base32', 'AKIAIOSFODNN1EXAMPLE'],
    ['a word', 'hello'],
  ])('refuses a malformed key (%s)', (_, text) => {
    expect(parseCommand(text).kind).toBe('invalid');
  });

  it('opens an incident on a temporary ASIA key too', () => {
    expect(parseCommand('leaked ASIAIOSFODNN7EXAMPLE in a log')).toEqual({ kind: 'open', keyId: 'ASIAIOSFODNN7EXAMPLE', secretSeen: false, note: 'leaked in a log' });
  });

  it.each([
    ['review KI-7F3A9C', { kind: 'review', ref: 'KI-7F3A9C' }],
    ['review KI-7F3A9C 30', { kind: 'review', ref: 'KI-7F3A9C', days: 30 }],
    [`review ${KEY} 90`, { kind: 'review', ref: KEY, days: 90 }],
  ])('reads %j as a review request', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each(['review', 'review KI-7F3A9C 0', 'review KI-7F3A9C 91', 'review KI-7F3A9C 7 extra', 'review nobody'])('refuses %j with the review usage', (text) => {
    const r = parseCommand(text);
    expect(r.kind === 'invalid' && r.reason).toMatch(/review KI-7F3A9C \[days\]/);
  });

  it('recognises an IAM user id pasted instead of a key id', () => {
    const r = parseCommand('AIDAJQABLZS4A3QDU576Q');
    expect(r.kind === 'invalid' && r.reason).toMatch(/IAM unique id \(AIDA…\)/);
  });

  it('refuses two different keys at once', () => {
    const r = parseCommand(`${KEY} AKIAI44QH8DHBEXAMPLE AKIAJ44QHPDHBEXAMPLE`);
    expect(r.kind === 'invalid' && r.reason).toMatch(/^Found 2 access key ids/);
  });

  it('warns about a secret access key and never returns it', () => {
    const r = parseCommand(SECRET);
    expect(r).toEqual({ kind: 'secret-only' });
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('opens the incident and names what it withheld when the note holds another kind of secret', () => {
    const token = 'xoxb-1234567890-abcdefghij';
    const r = parseCommand(`${KEY} found next to ${token} in a gist`);
    expect(r).toEqual({ kind: 'open', keyId: KEY, secretSeen: false, noteWithheld: 'a Slack token' });
    expect(JSON.stringify(r)).not.toContain(token);
  });

  it('opens the incident but drops the note when a secret is pasted with the key', () => {
    const r = parseCommand(`${KEY} ${SECRET} leaked in ci logs`);
    expect(r).toEqual({ kind: 'open', keyId: KEY, secretSeen: true });
    expect(JSON.stringify(r)).not.toContain('wJalr');
  });

  it.each([
    ['an .env line', `AWS_ACCESS_KEY_ID=${KEY}\nAWS_SECRET_ACCESS_KEY=${SECRET}`],
    ['a secret glued to its key', `${KEY}/${SECRET}`],
    ['a secret after a colon', `${KEY}:${SECRET}`],
  ])('spots the secret in %s', (_, text) => {
    const r = parseCommand(text);
    expect(r).toEqual({ kind: 'open', keyId: KEY, secretSeen: true });
  });

  it('does not mistake a hex digest or a long word for a secret', () => {
    expect(containsSecret('da39a3ee5e6b4b0d3255bfef95601890afd80709')).toBe(false);
    expect(containsSecret('supercalifragilisticexpialidociousxxxxxx')).toBe(false);
    expect(containsSecret(SECRET)).toBe(true);
  });

  it('refuses a note or summary holding a token, a private key or a password, and names what it held', () => {
    const slack = ['xoxb', '123456789012', 'AbCdEfGhIjKlMnOp'].join('-');
    expect(parseCommand(`note KI-7F3A9C the bot token ${slack}`)).toEqual({
      kind: 'invalid', reason: 'That text holds what looks like a Slack token: it was not recorded. Treat that secret as exposed.',
    });
    expect(parseCommand('resolve KI-7F3A9C rotated; DB_PASSWORD=hunter2')).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('a password') });
    expect(parseCommand(`${KEY} found with -----BEGIN RSA PRIVATE KEY-----`)).toEqual({ kind: 'open', keyId: KEY, secretSeen: false, noteWithheld: 'a private key' });
    expect(parseCommand('note KI-7F3A9C password reset done')).toEqual({ kind: 'note', ref: 'KI-7F3A9C', text: 'password reset done' });
  });

  it('keeps a note that tries to ping the channel as plain data (escaped later)', () => {
    expect(parseCommand(`${KEY} <!channel> look`)).toMatchObject({ note: '<!channel> look' });
  });
});

describe('/key-incident assess', () => {
  it('takes an incident id or a key id, and nothing more', () => {
    expect(parseCommand('assess ki-abc123')).toEqual({ kind: 'assess', ref: 'KI-ABC123' });
    expect(parseCommand('ASSESS AKIAIOSFODNN7EXAMPLE')).toEqual({ kind: 'assess', ref: 'AKIAIOSFODNN7EXAMPLE' });
    expect(parseCommand('assess KI-ABC123 now')).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('/key-incident assess KI-7F3A9C') });
    expect(parseCommand('assess')).toMatchObject({ kind: 'invalid' });
  });

  it('reads `accounts` alone, and refuses anything after it', () => {
    expect(parseCommand(' Accounts ')).toEqual({ kind: 'accounts' });
    expect(parseCommand('accounts 444455556666')).toEqual({ kind: 'invalid', reason: 'Usage: `/key-incident accounts`' });
  });
});
