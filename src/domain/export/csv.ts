/**
 * The timeline as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, a
 * quote or a line break, quotes doubled), streamed one row per event. Columns:
 * `time,event_id,type,actor,summary,details_json`.
 */
import type { TimelineEvent } from '../incident/incident.js';
import { jsonSafe } from './json.js';

export const CSV_HEADER = ['time', 'event_id', 'type', 'actor', 'summary', 'details_json'] as const;

/** Spreadsheets run a cell that starts with one of these as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula starts neutralised with a leading `'`, then quoted when needed. */
export function csvField(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value ?? '');
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvRow = (fields: readonly unknown[]): string => `${fields.map(csvField).join(',')}\r\n`;

/** Streams the header, then one row per event in the order given. */
export async function* renderCsv(events: AsyncIterable<TimelineEvent>): AsyncGenerator<string, void, undefined> {
  yield csvRow(CSV_HEADER);
  for await (const e of events) {
    yield csvRow([e.at, e.id, e.type, e.actor, e.summary, JSON.stringify(jsonSafe(e.details ?? {}))]);
  }
}
