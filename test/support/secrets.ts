/** Secret access keys for tests, and a check that one (or a piece of it) is nowhere it should not be. */
import { randomBytes } from 'node:crypto';

/** AWS's documented example secret access key. */
export const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/**
 * A fresh secret shaped like AWS's: 40 base64 characters (30 random bytes, so no padding).
 * Redrawn in the rare case (about 1 in 4000) it lacks a lower-case letter, an upper-case
 * letter or one of digit, `/`, `+`, which the bot needs to tell a secret from a word.
 */
export function aSecretAccessKey(): string {
  for (;;) {
    const secret = randomBytes(30).toString('base64');
    if (/[a-z]/.test(secret) && /[A-Z]/.test(secret) && /[0-9/+]/.test(secret)) return secret;
  }
}

/** Length of the pieces looked for: a truncated or split copy of a secret is still a leak. */
const PIECE = 16;

/** Whether `text` holds the secret or any 16-character piece of it (the whole of a shorter one). */
export function holdsSecret(text: string, secret: string): boolean {
  const piece = Math.min(PIECE, secret.length);
  for (let i = 0; i + piece <= secret.length; i++) {
    if (text.includes(secret.slice(i, i + piece))) return true;
  }
  return false;
}

/** The names of the places (name → their text) that hold the secret; `[]` when none does. */
export function placesHolding(secret: string, places: Readonly<Record<string, string>>): string[] {
  return Object.entries(places).filter(([, text]) => holdsSecret(text, secret)).map(([name]) => name);
}

/** Who may read replacement keys' secrets, and their KMS key: what a bot that makes replacements is configured with. */
export const DEPLOYER_ARN = 'arn:aws:iam::111122223333:role/Deployer';
export const REPLACEMENT_KMS_KEY = 'alias/key-incident-replacement-secrets';
export const REPLACEMENT_SECRET_ENV: Readonly<Record<string, string>> = {
  REPLACEMENT_SECRET_READERS: DEPLOYER_ARN,
  REPLACEMENT_SECRET_KMS_KEY_ID: REPLACEMENT_KMS_KEY,
};
