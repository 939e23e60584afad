import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../../src/domain/incident/incident.js';
import { renderCsv } from '../../../../src/domain/export/csv.js';
import { renderJson } from '../../../../src/domain/export/json.js';
import { renderMarkdown } from '../../../../src/domain/export/markdown.js';
import { at, incident, meteredTimeline } from './builders.js';

const EVENTS = 10_000;

type Render = (events: AsyncIterable<TimelineEvent>) => AsyncIterable<string>;

const renderers: Array<[string, Render, (chunk: string) => boolean]> = [
  ['Markdown', (events) => renderMarkdown({ incident: incident(), actions: [], events }, new Date(at(60))), (c) => c.startsWith('| 2026-')],
  ['JSON', (events) => renderJson({ incident: incident(), actions: [], events }), (c) => /^,?\n\{"id"/.test(c)],
  ['CSV', (events) => renderCsv(events), (c) => c.startsWith('2026-')],
];

describe.each(renderers)('the %s renderer on a 10,000-event timeline', (_name, render, isEventChunk) => {
  it('pulls no event before its first chunk and never holds more than one event it has not written', async () => {
    const timeline = meteredTimeline(EVENTS);
    let pulledAtFirstChunk = -1;
    let written = 0;
    let maxAhead = 0;
    for await (const chunk of render(timeline.events)) {
      if (pulledAtFirstChunk < 0) pulledAtFirstChunk = timeline.pulled();
      if (isEventChunk(chunk)) written += 1;
      // Events pulled but not yet written are what the renderer holds.
      maxAhead = Math.max(maxAhead, timeline.pulled() - written);
    }
    expect(pulledAtFirstChunk).toBe(0);
    expect(written).toBe(EVENTS);
    expect(timeline.pulled()).toBe(EVENTS);
    expect(maxAhead).toBeLessThanOrEqual(1);
  });

  it('stops pulling when the reader stops, closing the timeline', async () => {
    const timeline = meteredTimeline(EVENTS);
    let rows = 0;
    for await (const chunk of render(timeline.events)) {
      if (isEventChunk(chunk) && ++rows === 3) break;
    }
    expect(timeline.pulled()).toBe(3);
    expect(timeline.finished()).toBe(true);
  });
});
