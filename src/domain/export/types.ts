/** What a postmortem export reads: the incident, its actions, and its timeline as a stream. */
import type { Action } from '../action/lifecycle.js';
import type { Incident, TimelineEvent } from '../incident/incident.js';

export interface ExportInput {
  readonly incident: Incident;
  readonly actions: readonly Action[];
  /**
   * The timeline, oldest first (time, then ULID id), as the repository returns it. It may hold
   * 10,000+ events: renderers stream it once, never reorder it and never collect it.
   */
  readonly events: AsyncIterable<TimelineEvent>;
}

/**
 * Incident status changes, when the timeline records them. Not (yet) in `TimelineEventType`,
 * so they are compared as plain strings.
 */
export const IncidentStatusEvent = {
  Contained: 'incident.contained',
  Resolved: 'incident.resolved',
} as const;

/** A timestamp as the documents show it: `2026-11-29 03:00:05` (UTC), or the raw text when unreadable. */
export function utc(iso: string | undefined): string {
  if (iso === undefined) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}
