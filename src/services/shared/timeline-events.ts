/** The one way services make timeline events: a draft, stamped with an id and a time. */
import type { EventDraft, TimelineEvent, TimelineEventType } from '../../domain/incident/incident.js';
import type { Clock } from '../../ports/clock.js';
import type { IdSource } from '../../ports/id-source.js';

/** Where stamps come from. */
export interface Stamps {
  readonly clock: Clock;
  readonly ids: IdSource;
}

/** A recorded event from its draft, with the id and time it is recorded under. */
export function eventOf(incidentId: string, stamp: { readonly id: string; readonly at: string }, draft: EventDraft): TimelineEvent {
  return { incidentId, id: stamp.id, at: stamp.at, type: draft.type, actor: draft.actor, summary: draft.summary, details: draft.details };
}

/** Drafted events stamped with fresh ids and the clock's time (one time for all of them). */
export function stampEvents(deps: Stamps, incidentId: string, drafts: readonly EventDraft[]): TimelineEvent[] {
  const at = deps.clock.now().toISOString();
  return drafts.map((d) => eventOf(incidentId, { id: deps.ids.eventId(), at }, d));
}

/** A new timeline event stamped with the clock and a fresh id. */
export function newEvent(
  deps: Stamps,
  incidentId: string,
  type: TimelineEventType,
  actor: string,
  summary: string,
  details: Record<string, unknown> = {},
): TimelineEvent {
  return stampEvents(deps, incidentId, [{ type, actor, summary, details }])[0]!;
}
