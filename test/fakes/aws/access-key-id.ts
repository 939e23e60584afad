/**
 * The account id inside an access key id, as STS GetAccessKeyInfo reads it.
 *
 * After the 4-character prefix (AKIA, ASIA …) a key id is base32 (RFC 4648 alphabet). Of the
 * first 48 decoded bits, bits 46..7 hold the account id: `(int(bytes[0..6]) & 0x7fffffffff80) >> 7`.
 * Published by Tal Be'ery (2023), refining Aidan Steele (2020), and checked against the pair
 * ASIAY34FZKBOKMUTVV7A → 609629065308 that Steele got from the real GetAccessKeyInfo.
 */
import { randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const PREFIX_LENGTH = 4;
/** Ten base32 characters carry the first 50 bits, enough for the 48 that hold the account. */
const ACCOUNT_CHARS = 10;
const ACCOUNT_MASK = 0x7fffffffff80n;

/** True when `keyId` has the shape STS decodes: a 4-letter prefix then base32 characters. */
export function isDecodableKeyId(keyId: string): boolean {
  return /^[A-Z]{4}[A-Z2-7]{10,}$/.test(keyId);
}

/** The 12-digit account encoded in `keyId`, or undefined when it is not decodable. */
export function accountFromKeyId(keyId: string): string | undefined {
  if (!isDecodableKeyId(keyId)) return undefined;
  let bits = 0n;
  for (const char of keyId.slice(PREFIX_LENGTH, PREFIX_LENGTH + ACCOUNT_CHARS)) {
    bits = (bits << 5n) | BigInt(BASE32.indexOf(char));
  }
  const first48 = bits >> 2n;
  return ((first48 & ACCOUNT_MASK) >> 7n).toString().padStart(12, '0');
}

/** A fresh, random key id (`AKIA` + 16 characters) that decodes to `accountId`. */
export function keyIdForAccount(accountId: string, prefix = 'AKIA'): string {
  const bytes = randomBytes(10);
  const head = (BigInt(accountId) << 7n) | BigInt(bytes[5]! & 0x7f);
  for (let i = 0; i < 6; i += 1) bytes[i] = Number((head >> BigInt(8 * (5 - i))) & 0xffn);
  return prefix + base32(bytes);
}

function base32(bytes: Uint8Array): string {
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  const length = Math.floor((bytes.length * 8) / 5);
  let out = '';
  for (let i = length - 1; i >= 0; i -= 1) out += BASE32[Number((bits >> BigInt(5 * i)) & 31n)];
  return out;
}
