/**
 * Markdown escaping for text that comes from people or AWS (summaries, notes, user names,
 * CloudTrail values). The output is one line of inline text that renders as itself in
 * CommonMark/GFM: it cannot start a block, break out of a table cell, open a link, an image,
 * emphasis, a code span, raw HTML, a mention or an issue reference. A bare URL becomes a code
 * span: shown and copied as written, a link in no renderer.
 */

/** Line breaks of every kind: in a cell or a list item they would end the construct. */
const LINE_BREAKS = /\r\n|[\r\n\u0085\u2028\u2029]/g;
/** Other control characters and bidi overrides, which can disguise what a line says. */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** Inline syntax, escaped wherever it appears. `<`, `>` and `&` become entities instead. */
const INLINE = /[\\`*_[\]|~$@#!]/g;
/** Block syntax that only matters at the start: list, heading underline, ordered list marker. */
const LEADING_BLOCK = /^([-+=]|\d{1,9}(?=[.)](?:\s|$)))/;
const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** What GFM would make a link of by itself: `http://`, `https://`, `ftp://` and `www.` runs. */
const BARE_URL = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>]+/gi;

/** Longest cell text kept; the JSON and CSV exports keep everything. */
export const MAX_CELL_CHARS = 1000;

/** Untrusted text on one line, without invisible characters. */
function oneLine(value: unknown): string {
  return (typeof value === 'string' ? value : String(value ?? '')).replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(INVISIBLE, '');
}

export interface CodeSpanOptions {
  /** In a GFM table cell, where `|` ends the cell even inside a code span unless escaped. */
  readonly inCell?: boolean;
}

/**
 * `text` in a code span, verbatim (a shell command keeps its quoting when copied): on one line,
 * fenced by one backtick more than its longest run of them, padded when it starts or ends with
 * one, pipes escaped in a table cell.
 */
export function codeSpan(value: unknown, options: CodeSpanOptions = {}): string {
  const line = oneLine(value);
  const text = options.inCell ? line.replace(/\|/g, '\\|') : line;
  const longest = (text.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length), 0);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') || text.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const escapeInline = (text: string): string => text.replace(/[&<>]/g, (c) => HTML[c]!).replace(INLINE, (c) => `\\${c}`);

function render(value: unknown, options: CodeSpanOptions): string {
  const text = oneLine(value).trim();
  let out = '';
  let last = 0;
  for (const m of text.matchAll(BARE_URL)) {
    out += escapeInline(text.slice(last, m.index)) + codeSpan(m[0], options);
    last = m.index + m[0].length;
  }
  out += escapeInline(text.slice(last));
  return out.replace(LEADING_BLOCK, (m) => (/\d/.test(m) ? `${m}\\` : `\\${m}`));
}

/** Escapes untrusted text for inline use (a sentence, a list item, a heading). Always one line. */
export function escapeMarkdown(value: unknown): string {
  return render(value, {});
}

/** Escapes untrusted text for a GFM table cell: one line, no bare `|`, capped, never empty. */
export function cell(value: unknown): string {
  const raw = typeof value === 'string' ? value : String(value ?? '');
  const capped = raw.length > MAX_CELL_CHARS ? `${raw.slice(0, MAX_CELL_CHARS)}…` : raw;
  const text = render(capped, { inCell: true });
  return text === '' ? ' ' : text;
}

/** Identifiers that are safe inside a code span (key ids, ARNs, request ids, ISO times). */
const CODE_SAFE = /^[A-Za-z0-9_.:/+=,@-]{1,200}$/;

/** A code span for identifier-like values; anything else is escaped as plain text instead. */
export function code(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value ?? '');
  return CODE_SAFE.test(text) ? `\`${text}\`` : escapeMarkdown(text);
}

/** One GFM table row from already-escaped cells. */
export const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |\n`;
