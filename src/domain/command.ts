/** Parsing of `/key-incident` text into a plain command. Pure. */
import { ACCESS_KEY_ID_IN_TEXT, containsSecret, isAccessKeyId, isIncidentId, KEY_AND_GLUE, OTHER_IAM_ID } from './access-key.js';
import { type SecretKind, secretIn } from './secrets.js';


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
      /** The rest of the text held what looks like this kind of secret, so it was not kept as the note. */
      readonly noteWithheld?: SecretKind;
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

function invalidFor(text: string): string {
  const other = OTHER_IAM_ID.exec(text);
  if (other) {
    return `That is an IAM unique id (${other[1]}…), not an access key id. Access key ids start with AKIA.`;
  }
  return 'No access key id found. An access key id is 20 characters starting with AKIA (or ASIA for a temporary key), e.g. AKIAIOSFODNN7EXAMPLE.';
}

/** The note beside the key id; a token, private key or password there is never kept, only named. */
function noteFrom(text: string, keyId: string): { note?: string; noteWithheld?: SecretKind } {
  const rest = text.replace(keyId, ' ').replace(/\s+/g, ' ').trim();
  if (rest.length === 0) return {};
  const secret = secretIn(rest);
  return secret ? { noteWithheld: secret } : { note: rest.slice(0, MAX_NOTE_LENGTH) };
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
  const keys = [...new Set([...text.matchAll(ACCESS_KEY_ID_IN_TEXT)].map((m) => m[0]))];
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
  return { kind: 'open', keyId, secretSeen, ...(secretSeen ? {} : noteFrom(text, keyId)) };
}

/** An incident named by its id or by its key id. */
const isIncidentRef = (ref: string): boolean => isIncidentId(ref) || isAccessKeyId(ref);

function parseReview(text: string): ParsedCommand {
  const [, ref, days, ...rest] = text.split(/\s+/);
  const usage = 'Usage: `/key-incident review KI-7F3A9C [days]` (days from 1 to 90, default 7).';
  if (ref === undefined || !isIncidentRef(ref.toUpperCase()) || rest.length > 0) return { kind: 'invalid', reason: usage };
  if (days === undefined) return { kind: 'review', ref: ref.toUpperCase() };
  const n = Number(days);
  if (!/^\d+$/.test(days) || n < 1 || n > 90) return { kind: 'invalid', reason: `CloudTrail keeps 90 days of events: give a whole number of days from 1 to 90. ${usage}` };
  return { kind: 'review', ref: ref.toUpperCase(), days: n };
}

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
  if (!isIncidentRef(ref)) return { kind: 'invalid', reason: usage };
  const tail = rest.slice(refRaw.length).trim();
  // Free text is recorded and shown: never a secret.
  const secret = secretIn(tail);
  if (secret) return { kind: 'invalid', reason: `That text holds what looks like ${secret}: it was not recorded. Treat that secret as exposed.` };
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
