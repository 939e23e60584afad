import { describe, expect, it } from 'vitest';
import { accountInKeyId } from '../../../src/domain/access-key.js';
import { keyIdForAccount } from '../../fakes/aws/access-key-id.js';

describe('the account a key id names', () => {
  it('reads the account AWS reads from a published key id', () => {
    // The pair checked against the real GetAccessKeyInfo (see test/fakes/aws/access-key-id.ts).
    expect(accountInKeyId('ASIAY34FZKBOKMUTVV7A')).toBe('609629065308');
  });

  it('reads back the account of key ids made for it, with leading zeros', () => {
    for (const account of ['111122223333', '444455556666', '000000000001', '999999999999']) {
      expect(accountInKeyId(keyIdForAccount(account))).toBe(account);
    }
  });

  it('names no account for something that is not a key id', () => {
    expect(accountInKeyId('KI-7F3A9C')).toBeUndefined();
    expect(accountInKeyId('AKIA0000000000000000')).toBeUndefined();
  });
});
