import type { Action } from '../domain/action/lifecycle.js';
import type { TimelineEvent } from '../domain/incident/incident.js';

/** Proposed actions and their transitions. Every write is conditional and carries its events. */
export interface ActionRepository {
  /**
   * Stores a new proposal with its events and the guard that makes it the only pending
   * proposal for `subject`. Throws `ActionAlreadyPendingError` naming the pending one.
   */
  create(action: Action, subject: string, events: readonly TimelineEvent[]): Promise<void>;
  get(incidentId: string, actionId: string): Promise<Action | undefined>;
  /** The incident's actions, oldest first. */
  list(incidentId: string): Promise<Action[]>;
  /**
   * Replaces `current` with `next` when the stored version is still `current.version`
   * (stores `version + 1`), writing `events` in the same transaction; keeps the executing
   * marker in step with the status and releases the subject's guard when `next` is final.
   * Throws `StaleActionError` when someone else wrote first.
   */
  transition(current: Action, next: Action, subject: string, events: readonly TimelineEvent[]): Promise<Action>;
  /** Actions left executing (found after a crash), across incidents. */
  listExecuting(): Promise<Array<{ incidentId: string; actionId: string }>>;
}
