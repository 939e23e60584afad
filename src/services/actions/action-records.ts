/** Storing action transitions with their events. */
import type { Action, Transition } from '../../domain/action/lifecycle.js';
import { actionSubject } from '../../domain/action/kinds.js';
import type { Incident } from '../../domain/incident/incident.js';
import type { ServiceDeps } from '../deps.js';
import { stampEvents } from '../shared/timeline-events.js';

/**
 * Writes a transition of `current` (conditional on its version, with its events). Throws
 * `StaleActionError` when another writer got there first.
 */
export function recordTransition(deps: ServiceDeps, incident: Incident, current: Action, t: Transition): Promise<Action> {
  return deps.actions.transition(current, t.action, actionSubject(current.kind, current.target), stampEvents(deps, incident.id, t.events));
}
