/**
 * Secrets people paste by mistake, by kind, so that what is withheld can be named without
 * being shown. Pure. Every pattern is a constant with bounded repeats and no nested
 * quantifier, and at most `MAX_SCANNED` characters are read (more than Slack lets a message
 * hold), so a hostile message cannot make the scan slow.
 */
import { containsSecret } from './access-key.js';

/** Slack caps a message at 40,000 characters; anything recorded is cut well before that. */
export const MAX_SCANNED = 40_000;

/** What a text held, as a phrase: "it held what looks like <kind>". */
export type SecretKind = 'a secret access key' | 'a Slack token' | 'a GitHub token' | 'a private key' | 'a password';

/** Slack bot, user, app-configuration and refresh tokens (`xoxb-`, `xoxp-`, `xoxe.xoxp-`, `xoxe-`) and app tokens (`xapp-`). */
const SLACK_TOKEN = /(?<![A-Za-z0-9])(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]{10}/;
/** Classic (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and fine-grained (`github_pat_`) GitHub tokens. */
const GITHUB_TOKEN = /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22})/;
/** The first line of a PEM or PGP private key: `-----BEGIN RSA PRIVATE KEY-----`, `-----BEGIN PGP PRIVATE KEY BLOCK-----`. */
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]{0,30}PRIVATE KEY( BLOCK)?-----/;
/**
 * A password given as `NAME=value` (`DB_PASSWORD=…`, `PGPASSWORD='…'`, `password = …`). A
 * value that only names another (`$VAR`, `${…}`, `<placeholder>`, `***`) is not a password.
 */
const PASSWORD_ASSIGNMENT = /(?<![A-Za-z0-9_])[A-Za-z0-9_]{0,40}(?:passw(?:or)?d|pwd|passphrase)[A-Za-z0-9_]{0,40} ?= ?["']?[^\s"'$<{*]/i;

const KINDS: ReadonlyArray<{ readonly kind: SecretKind; readonly found: (text: string) => boolean }> = [
  { kind: 'a secret access key', found: containsSecret },
  { kind: 'a Slack token', found: (t) => SLACK_TOKEN.test(t) },
  { kind: 'a GitHub token', found: (t) => GITHUB_TOKEN.test(t) },
  { kind: 'a private key', found: (t) => PRIVATE_KEY.test(t) },
  { kind: 'a password', found: (t) => PASSWORD_ASSIGNMENT.test(t) },
];

/** The first kind of secret the text holds, or undefined when it looks like none. */
export function secretIn(text: string): SecretKind | undefined {
  const scanned = text.length > MAX_SCANNED ? text.slice(0, MAX_SCANNED) : text;
  return KINDS.find((k) => k.found(scanned))?.kind;
}
