import { describe, expect, it } from 'vitest';
import { ActionKind } from '../../../../src/domain/action/kinds.js';
import type { TimelineEvent } from '../../../../src/domain/incident/incident.js';
import { csvField, renderCsv } from '../../../../src/domain/export/csv.js';
import { renderJson } from '../../../../src/domain/export/json.js';
import { action, at, event, incident, stream, text } from './builders.js';

/** A minimal RFC 4180 reader, to check the writer against. */
function parseCsv(doc: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < doc.length; i++) {
    const c = doc[i]!;
    if (quoted) {
      if (c === '"' && doc[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && doc[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  return rows;
}

describe('the JSON export', () => {
  it('is one valid document with the schema version, incident, actions and events in order', async () => {
    const doc = JSON.parse(await text(renderJson({
      incident: incident(), actions: [action(ActionKind.DisableKey, { finishedMin: 4 })],
      events: stream([event(1, { at: at(2) }), event(2, { at: at(2) })]),
    })));
    expect(doc.schemaVersion).toBe(1);
    expect(doc.incident).toMatchObject({ id: 'KI-7F3A9C', keyId: 'AKIAIOSFODNN7EXAMPLE', teamId: null, note: null, review: null });
    expect(doc.actions[0]).toMatchObject({ kind: 'disable-key', title: 'Disable access key', approvals: [{ userId: 'U0APPROVER' }], outcome: { requestIds: ['req-1'] } });
    expect(doc.events.map((e: { summary: string }) => e.summary)).toEqual(['event 1', 'event 2']);
  });

  it('stays valid with no events, hostile text, bigints, cycles, non-finite numbers and undefined', async () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    const odd = event(1, { summary: '"]}\u2028\u0000\ud800 </script>', details: { big: 10n, cyclic, nan: Number.NaN, gone: undefined, when: new Date(0), fn: () => 1 } });
    const empty = JSON.parse(await text(renderJson({ incident: incident(), actions: [], events: stream([]) })));
    expect(empty.events).toEqual([]);
    const doc = JSON.parse(await text(renderJson({ incident: incident({ note: '{"x":' }), actions: [], events: stream([odd]) })));
    expect(doc.incident.note).toBe('{"x":');
    expect(doc.events[0].details).toEqual({ big: '10', cyclic: { name: 'loop', self: '[circular]' }, nan: null, when: '1970-01-01T00:00:00.000Z' });
    expect(doc.events[0].summary.startsWith('"]}')).toBe(true);
  });

  it('keeps a value shared by two fields, which is not a cycle', async () => {
    const shared = { a: 1 };
    const doc = JSON.parse(await text(renderJson({ incident: incident(), actions: [], events: stream([event(1, { details: { x: shared, y: shared } })]) })));
    expect(doc.events[0].details).toEqual({ x: { a: 1 }, y: { a: 1 } });
  });
});

describe('the CSV export', () => {
  it('writes the header and one row per event, quoting commas, quotes and newlines', async () => {
    const e = event(1, { summary: 'a, "b"\nc', details: { q: 'x"y' } });
    const doc = await text(renderCsv(stream([e])));
    expect(doc.startsWith('time,event_id,type,actor,summary,details_json\r\n')).toBe(true);
    const rows = parseCsv(doc);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual([e.at, e.id, 'action.proposed', 'U0OPENER', 'a, "b"\nc', '{"q":"x\\"y"}']);
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(csvField(`${start}HYPERLINK("http://evil")`).replace(/^"/, '')).toMatch(/^'/);
    }
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('-2,3')).toBe(`"'-2,3"`);
    expect(csvField('plain')).toBe('plain');
  });

  it('neutralises a formula in an event summary or actor', async () => {
    const rows = parseCsv(await text(renderCsv(stream([event(1, { actor: '@SUM(A1)', summary: '=cmd|\' /C calc\'!A0' })]))));
    expect(rows[1]![3]).toBe("'@SUM(A1)");
    expect(rows[1]![4]).toBe("'=cmd|' /C calc'!A0");
  });

  it('keeps the given order of events that share a timestamp', async () => {
    const events: TimelineEvent[] = ['01JD0000000000000000000009', '01JD0000000000000000000001'].map((id, n) => event(n, { id, at: at(1) }));
    const rows = parseCsv(await text(renderCsv(stream(events))));
    expect(rows.slice(1).map((r) => r[1])).toEqual(['01JD0000000000000000000009', '01JD0000000000000000000001']);
  });
});
