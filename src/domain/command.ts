/** Parsing of `/key-incident` text into a plain command. Pure. */

/** An access key id: `AKIA` (long-term) or `ASIA` (temporary, from STS), then 16 base32 characters. */
const ACCESS_KEY_ID = /(?<![A-Za-z0-9])A[KS]IA[A-Z2-7]{16}(?![A-Za-z0-9])/g;
/** A key id with a `/` or `+` that may glue it to a secret pasted right after it. */
const KEY_AND_GLUE = /(?<![A-Za-z0-9])A[KS]IA[A-Z2-7]{16}[/+]?/g;
/** Other IAM unique-id prefixes people paste by mistake (user, role, group … ids). */
const OTHER_IAM_ID = /(?<![A-Za-z0-9])(AIDA|AROA|AGPA|ANPA|ANVA|APKA|AIPA|ABIA|ACCA)[A-Z2-7]{16,17}(?![A-Za-z0-9])/;
/**
 * 40 characters of the secret-access-key alphabet, not part of a longer run. `=` may come
 * before (`AWS_SECRET_ACCESS_KEY=…`, as in .env files) but not after (base64 padding).
 */
const SECRET_CANDIDATE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

const MAX_NOTE_LENGTH = 500;

export type ParsedCommand =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'open';
      readonly keyId: string;
      /** The rest of the text, when it holds no secret-looking string. */
      readonly note?: string;
      /** The text also held what looks like a secret access key (never kept). */
      readonly secretSeen: boolean;
    }
  | { readonly kind: 'secret-only' }
  /** `review <incident id | key id> [days]`: (re)run the CloudTrail review. */
  | { readonly kind: 'review'; readonly ref: string; readonly days?: number }
  | { readonly kind: 'list' }
  /** `accounts`: which accounts of the organization the bot can respond in. */
  | { readonly kind: 'accounts' }
  | { readonly kind: 'status' | 'contain' | 'reopen'; readonly ref: string }
  /** `assess <incident id | key id>`: run the assessment again. */
  | { readonly kind: 'assess'; readonly ref: string }
  | { readonly kind: 'note'; readonly ref: string; readonly text: string }
  | { readonly kind: 'resolve'; readonly ref: string; readonly summary?: string }
  | { readonly kind: 'export'; readonly ref: string; readonly format: 'md' | 'json' | 'csv' }
  | { readonly kind: 'invalid'; readonly reason: string };

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

function invalidFor(text: string): string {
  const other = OTHER_IAM_ID.exec(text);
  if (other) {
    return `That is an IAM unique id (${other[1]}…), not an access key id. Access key ids start with AKIA.`;
  }
  return 'No access key id found. An access key id is 20 characters starting with AKIA (or ASIA for a temporary key), e.g. AKIAIOSFODNN7EXAMPLE.';
}

function noteFrom(text: string, keyId: string): string | undefined {
  const rest = text.replace(keyId, ' ').replace(/\s+/g, ' ').trim();
  return rest.length > 0 ? rest.slice(0, MAX_NOTE_LENGTH) : undefined;
}

/** Turns the slash command's text into a command. Never returns a secret-looking string. */
export function parseCommand(rawText: string): ParsedCommand {
  const text = rawText.trim();
  if (text === '' || /^(help|-h|--help|\?)$/i.test(text)) return { kind: 'help' };
  if (/^review\b/i.test(text)) return parseReview(text);
  if (/^accounts\b/i.test(text)) return text.trim().toLowerCase() === 'accounts' ? { kind: 'accounts' } : { kind: 'invalid', reason: 'Usage: `/key-incident accounts`' };
  const sub = parseSubcommand(text);
  if (sub) return sub;
  // Keys are taken out first so a secret glued to its key (`AKIA…/wJalr…`) still stands alone.
  const secretSeen = containsSecret(text.replace(KEY_AND_GLUE, ' '));
  const keys = [...new Set([...text.matchAll(ACCESS_KEY_ID)].map((m) => m[0]))];
  if (keys.length > 1) {
    return {
      kind: 'invalid',
      reason: `Found ${keys.length} access key ids. Open one incident per key: \`/key-incident AKIA…\`.`,
    };
  }
  const keyId = keys[0];
  if (keyId === undefined) {
    return secretSeen ? { kind: 'secret-only' } : { kind: 'invalid', reason: invalidFor(text) };
  }
  const note = secretSeen ? undefined : noteFrom(text, keyId);
  return { kind: 'open', keyId, secretSeen, ...(note === undefined ? {} : { note }) };
}

/** An incident named by its id or by its key id. */
const INCIDENT_REF = /^(KI-[0-9A-F]{6}|A[KS]IA[A-Z2-7]{16})$/;

function parseReview(text: string): ParsedCommand {
  const [, ref, days, ...rest] = text.split(/\s+/);
  const usage = 'Usage: `/key-incident review KI-7F3A9C [days]` (days from 1 to 90, default 7).';
  if (ref === undefined || !INCIDENT_REF.test(ref.toUpperCase()) || rest.length > 0) return { kind: 'invalid', reason: usage };
  if (days === undefined) return { kind: 'review', ref: ref.toUpperCase() };
  const n = Number(days);
  if (!/^\d+$/.test(days) || n < 1 || n > 90) return { kind: 'invalid', reason: `CloudTrail keeps 90 days of events: give a whole number of days from 1 to 90. ${usage}` };
  return { kind: 'review', ref: ref.toUpperCase(), days: n };
}

/** Temporary keys come from STS sessions: they cannot be disabled, only their sessions revoked. */
export const isTemporaryKey = (keyId: string): boolean => keyId.startsWith('ASIA');

const SUBCOMMANDS = /^(list|status|note|resolve|reopen|contain|export|assess)\b\s*(.*)$/is;
const MAX_TEXT = 2000;

/** `list`, `status <ref>`, `note <ref> <text>`, `resolve <ref> [summary]`, `reopen <ref>`, `contain <ref>`, `export <ref> [md|json|csv]`, `assess <ref>`. */
function parseSubcommand(text: string): ParsedCommand | undefined {
  const m = SUBCOMMANDS.exec(text);
  if (!m) return undefined;
  const verb = m[1]!.toLowerCase();
  const rest = m[2]!.trim();
  if (verb === 'list') return rest === '' ? { kind: 'list' } : { kind: 'invalid', reason: 'Usage: `/key-incident list`' };
  const [refRaw = '', ...words] = rest.split(/\s+/);
  const ref = refRaw.toUpperCase();
  const usage = `Usage: \`/key-incident ${verb} KI-7F3A9C${verb === 'note' ? ' <text>' : verb === 'resolve' ? ' [summary]' : verb === 'export' ? ' [md|json|csv]' : ''}\` (an incident id or its key id).`;
  if (!INCIDENT_REF.test(ref)) return { kind: 'invalid', reason: usage };
  const tail = rest.slice(refRaw.length).trim();
  // Free text is recorded and shown: never a secret.
  if (containsSecret(tail)) return { kind: 'invalid', reason: 'That text holds what looks like a secret access key: it was not recorded. Treat that secret as exposed.' };
  switch (verb) {
    case 'note':
      return tail === '' ? { kind: 'invalid', reason: usage } : { kind: 'note', ref, text: tail.slice(0, MAX_TEXT) };
    case 'resolve':
      return { kind: 'resolve', ref, ...(tail ? { summary: tail.slice(0, MAX_TEXT) } : {}) };
    case 'export': {
      const format = (words[0] ?? 'md').toLowerCase();
      return format === 'md' || format === 'json' || format === 'csv' ? { kind: 'export', ref, format } : { kind: 'invalid', reason: usage };
    }
    default:
      if (words.length > 0) return { kind: 'invalid', reason: usage };
      return verb === 'assess' ? { kind: 'assess', ref } : { kind: verb as 'status' | 'contain' | 'reopen', ref };
  }
}
