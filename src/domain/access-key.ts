/**
 * Access key ids, secrets and incident ids: what they look like, in one place. Pure.
 * Every pattern here is fixed: none is ever built from the text it is matched against.
 */

/** An access key id: `AKIA` (long-term) or `ASIA` (temporary, from STS), then 16 base32 characters. */
export const ACCESS_KEY_ID_IN_TEXT = /(?<![A-Za-z0-9])A[KS]IA[A-Z2-7]{16}(?![A-Za-z0-9])/g;
/** A key id with a `/` or `+` that may glue it to a secret pasted right after it. */
export const KEY_AND_GLUE = /(?<![A-Za-z0-9])A[KS]IA[A-Z2-7]{16}[/+]?/g;
/** Other IAM unique-id prefixes people paste by mistake (user, role, group … ids). */
export const OTHER_IAM_ID = /(?<![A-Za-z0-9])(AIDA|AROA|AGPA|ANPA|ANVA|APKA|AIPA|ABIA|ACCA)[A-Z2-7]{16,17}(?![A-Za-z0-9])/;
/**
 * 40 characters of the secret-access-key alphabet, not part of a longer run. `=` may come
 * before (`AWS_SECRET_ACCESS_KEY=…`, as in .env files) but not after (base64 padding).
 */
const SECRET_CANDIDATE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

const ACCESS_KEY_ID = /^A[KS]IA[A-Z2-7]{16}$/;
/** `KI-` and six hex digits, e.g. `KI-7F3A9C`. */
const INCIDENT_ID = /^KI-[0-9A-F]{6}$/;

/** Whether `text` is exactly one access key id. */
export const isAccessKeyId = (text: string): boolean => ACCESS_KEY_ID.test(text);

/** Whether `text` is exactly one incident id. */
export const isIncidentId = (text: string): boolean => INCIDENT_ID.test(text);

/** Temporary keys come from STS sessions: they cannot be disabled, only their sessions revoked. */
export const isTemporaryKey = (keyId: string): boolean => keyId.startsWith('ASIA');

/**
 * True when a 40-character run looks like a secret access key: mixed case and at least one
 * digit, `/` or `+` (plain words and hex digests are not flagged).
 */
export function looksLikeSecret(candidate: string): boolean {
  return /[a-z]/.test(candidate) && /[A-Z]/.test(candidate) && /[0-9/+]/.test(candidate);
}

/** Whether a text contains anything shaped like a secret access key. */
export function containsSecret(text: string): boolean {
  return [...text.matchAll(SECRET_CANDIDATE)].some((m) => looksLikeSecret(m[0]));
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The account a key id names. After its four-letter prefix a key id is base32, and bits 46..7
 * of the first 48 hold the account id (AWS's own `GetAccessKeyInfo` reads it the same way).
 * A hint to start work early, never an answer: STS says which account a key belongs to.
 */
export function accountInKeyId(keyId: string): string | undefined {
  if (!/^[A-Z]{4}[A-Z2-7]{10,}$/.test(keyId)) return undefined;
  const bits = [...keyId.slice(4, 14)].reduce((acc, char) => (acc << 5n) | BigInt(BASE32.indexOf(char)), 0n);
  return (((bits >> 2n) & 0x7fffffffff80n) >> 7n).toString().padStart(12, '0');
}
