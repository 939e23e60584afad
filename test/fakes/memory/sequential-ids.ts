import type { IdSource } from '../../../src/ports/id-source.js';

/**
 * Deterministic ids: incident ids `KI-000001`, `KI-000002` … unless some were queued (to
 * make two draws collide), and event ids that sort in the order they were drawn, as ULIDs do.
 */
export class SequentialIds implements IdSource {
  private incidents = 0;
  private events = 0;
  private readonly queued: string[] = [];

  /** The next incident ids drawn, in order, before the sequence resumes. */
  queueIncidentIds(...ids: string[]): void {
    this.queued.push(...ids);
  }

  incidentId(): string {
    const queued = this.queued.shift();
    if (queued !== undefined) return queued;
    this.incidents += 1;
    return `KI-${this.incidents.toString(16).toUpperCase().padStart(6, '0')}`;
  }

  eventId(): string {
    this.events += 1;
    return `01J${this.events.toString().padStart(23, '0')}`;
  }
}
