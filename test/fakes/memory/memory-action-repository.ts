/**
 * `ActionRepository` in memory, on the same `MemoryTable` as the incidents (events of both
 * land in one timeline): the one-pending-proposal guard per subject, version-checked
 * transitions, the executing marker kept in step, the guard released when an action is final,
 * the newest approved decision per target, takeovers only of run-out leases, and the fence. As
 * in DynamoDB, a proposal and the approval that starts executing need the incident open or contained.
 */
import { decisionTarget, FencedOutError } from '../../../src/domain/action/attempt.js';
import { type Action, ActionStatus, type Attempt, FINAL_STATUSES } from '../../../src/domain/action/lifecycle.js';
import { ActionAlreadyPendingError, IncidentNotActiveError, StaleActionError } from '../../../src/domain/errors.js';
import { ACTING_STATUSES } from '../../../src/domain/action/approval-policy.js';
import type { TimelineEvent } from '../../../src/domain/incident/incident.js';
import type { ActionRepository } from '../../../src/ports/action-repository.js';
import { Faults } from './faults.js';
import { asStored, copy, MemoryTable, transactionCancelled } from './memory-table.js';

export type ActionRepositoryMethod = keyof ActionRepository & string;

const actionKey = (incidentId: string, actionId: string) => `${incidentId}#${actionId}`;

export class MemoryActionRepository implements ActionRepository {
  readonly faults = new Faults<ActionRepositoryMethod>();

  constructor(readonly table: MemoryTable = new MemoryTable()) {}

  async create(action: Action, subject: string, events: readonly TimelineEvent[]): Promise<void> {
    await this.faults.enter('create', [action, subject, events]);
    const [row, rows] = [asStored.action(action), events.map(asStored.event)];
    this.checkIncidentActive(action.incidentId);
    const pending = this.table.pending.get(`${action.incidentId}#${subject}`);
    if (pending !== undefined) throw new ActionAlreadyPendingError(action.incidentId, pending);
    if (this.table.actions.has(actionKey(action.incidentId, action.id))) throw transactionCancelled('action id taken');
    if (this.table.recordedAlready(events)) throw transactionCancelled('event already recorded');
    this.table.pending.set(`${action.incidentId}#${subject}`, action.id);
    this.table.actions.set(actionKey(action.incidentId, action.id), row);
    this.table.writeEvents(rows);
  }

  async get(incidentId: string, actionId: string): Promise<Action | undefined> {
    await this.faults.enter('get', [incidentId, actionId]);
    const action = this.table.actions.get(actionKey(incidentId, actionId));
    return action && copy(action);
  }

  async list(incidentId: string): Promise<Action[]> {
    await this.faults.enter('list', [incidentId]);
    return [...this.table.actions.values()]
      .filter((a) => a.incidentId === incidentId)
      .map(copy)
      .sort((a, b) => a.proposedAt.localeCompare(b.proposedAt) || a.id.localeCompare(b.id));
  }

  async transition(current: Action, next: Action, subject: string, events: readonly TimelineEvent[]): Promise<Action> {
    await this.faults.enter('transition', [current, next, subject, events]);
    return this.write(current, next, subject, events);
  }

  async takeOver(current: Action, next: Action, subject: string, events: readonly TimelineEvent[], now: Date): Promise<Action> {
    await this.faults.enter('takeOver', [current, next, subject, events, now]);
    const held = this.table.actions.get(actionKey(current.incidentId, current.id))?.attempt;
    // As in DynamoDB: a live attempt (lease later than now) keeps the action.
    if (held && Date.parse(held.leaseUntil) > now.getTime()) throw new StaleActionError(current.incidentId, current.id);
    return this.write(current, next, subject, events);
  }

  async fence(action: Action, now: Date, leaseUntil: Date, progress: Pick<Attempt, 'newKeyId' | 'newKeyAt'> = {}): Promise<void> {
    await this.faults.enter('fence', [action, now, leaseUntil, progress]);
    const key = actionKey(action.incidentId, action.id);
    const stored = this.table.actions.get(key);
    const attempt = stored?.attempt;
    const holds = stored?.status === ActionStatus.Executing && attempt !== undefined && attempt.token === action.attempt?.token
      && attempt.leaseUntil > now.toISOString();
    if (!holds) throw new FencedOutError('lease-lost', action.incidentId, action.id);
    const newest = this.table.targets.get(decisionTarget(action.kind, action.target));
    if (newest !== undefined && newest !== key) throw new FencedOutError('superseded', action.incidentId, action.id);
    const defined = Object.fromEntries(Object.entries(progress).filter(([, v]) => v !== undefined));
    this.table.actions.set(key, asStored.action({ ...stored!, attempt: { ...attempt!, ...defined, leaseUntil: leaseUntil.toISOString() } }));
  }

  private write(current: Action, next: Action, subject: string, events: readonly TimelineEvent[]): Action {
    const key = actionKey(current.incidentId, current.id);
    const stored = asStored.action({ ...next, version: current.version + 1 });
    const rows = events.map(asStored.event);
    if (this.table.actions.get(key)?.version !== current.version) throw new StaleActionError(stored.incidentId, stored.id);
    if (this.table.recordedAlready(events)) throw transactionCancelled('event already recorded');
    const wasExecuting = current.status === ActionStatus.Executing;
    const isExecuting = stored.status === ActionStatus.Executing;
    if (!wasExecuting && isExecuting && this.table.executing.has(key)) throw transactionCancelled('executing marker exists');
    if (!wasExecuting && isExecuting) this.checkIncidentActive(stored.incidentId);
    const guard = `${stored.incidentId}#${subject}`;
    const holder = this.table.pending.get(guard);
    // Released as the action ends; a later change beside it (its message's ts) leaves the guard alone.
    const final = !FINAL_STATUSES.has(current.status) && FINAL_STATUSES.has(stored.status);
    // As in DynamoDB, the guard's release is conditional on it being ours, and fails the whole write otherwise.
    if (final && holder !== undefined && holder !== stored.id) throw transactionCancelled('pending guard held by another proposal');
    this.table.actions.set(key, stored);
    this.table.writeEvents(rows);
    // The marker exists exactly while the action executes.
    if (isExecuting) this.table.executing.add(key);
    // Approved now: the newest decision on its target.
    if (!wasExecuting && isExecuting) this.table.targets.set(decisionTarget(stored.kind, stored.target), key);
    if (wasExecuting && !isExecuting) this.table.executing.delete(key);
    if (final) this.table.pending.delete(guard);
    return copy(stored);
  }

  /** The ConditionCheck on the incident item: it exists and is open or contained. */
  private checkIncidentActive(incidentId: string): void {
    const incident = this.table.incidents.get(incidentId);
    if (!incident || !ACTING_STATUSES.has(incident.status)) throw new IncidentNotActiveError(incidentId);
  }

  async listExecuting(): Promise<Array<{ incidentId: string; actionId: string }>> {
    await this.faults.enter('listExecuting');
    return [...this.table.executing].sort().map((key) => {
      const [incidentId, actionId] = key.split('#') as [string, string];
      return { incidentId, actionId };
    });
  }
}
