import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { IdSource } from '../ports/id-source.js';

/** `KI-` and six random hex digits: 16.7 million ids, collisions retried on create. */
export function newIncidentId(): string {
  return `KI-${randomBytes(3).toString('hex').toUpperCase()}`;
}

export function systemIds(): IdSource {
  const ulid = monotonicFactory();
  return { incidentId: newIncidentId, eventId: () => ulid() };
}
