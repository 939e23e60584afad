import type { Action, Attempt } from '../domain/action/lifecycle.js';
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
   * The write that starts executing also makes the action the newest approved decision on its
   * target (`decisionTarget`). Throws `StaleActionError` when someone else wrote first.
   */
  transition(current: Action, next: Action, subject: string, events: readonly TimelineEvent[]): Promise<Action>;
  /**
   * `transition` for a new attempt taking an executing action over: also refused (with
   * `StaleActionError`) unless the stored attempt's lease has run out at `now`, so a live
   * attempt that renewed after the caller's read keeps the action.
   */
  takeOver(current: Action, next: Action, subject: string, events: readonly TimelineEvent[], now: Date): Promise<Action>;
  /**
   * The fence, one conditional write: `action.attempt` still holds the action (same token,
   * still executing, lease later than `now`) and no newer decision on its target was approved
   * since. Extends the lease to `leaseUntil` and records `progress` on the attempt, leaving the
   * version alone. Throws `FencedOutError` ('lease-lost' or 'superseded').
   */
  fence(action: Action, now: Date, leaseUntil: Date, progress?: Pick<Attempt, 'newKeyId' | 'newKeyAt'>): Promise<void>;
  /** Actions left executing (found after a crash), across incidents. */
  listExecuting(): Promise<Array<{ incidentId: string; actionId: string }>>;
}
