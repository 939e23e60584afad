/** Builders for incidents and timeline events with unique ids; override what a test is about. */
import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { BOT_ACTOR, IncidentStatus, TimelineEventType, type Incident, type TimelineEvent } from '../../src/domain/incident/incident.js';

/** A random, well-formed access key id (`AKIA` + 16 characters). */
export const aKeyId = (): string => `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;

/** A random readable incident id (`KI-` + 6 hex digits). */
export const anIncidentId = (): string => `KI-${randomBytes(3).toString('hex').toUpperCase()}`;

/** An open incident at version 1 with an empty assessment, on a fresh key. */
export function anIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: anIncidentId(),
    keyId: aKeyId(),
    status: IncidentStatus.Open,
    channelId: 'C0SECURITY',
    openedBy: 'U0ONCALL',
    openedAt: '2025-03-01T10:00:00.000Z',
    assessment: { problems: [], complete: false },
    version: 1,
    ...overrides,
  };
}

/** An `incident.opened` event of `incident` with a fresh ULID. */
export function anEvent(incident: Pick<Incident, 'id'>, overrides: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    incidentId: incident.id,
    id: ulid(),
    at: '2025-03-01T10:00:00.000Z',
    type: TimelineEventType.IncidentOpened,
    actor: BOT_ACTOR,
    summary: 'Incident opened',
    details: {},
    ...overrides,
  };
}
