/**
 * Every partition and sort key of the single table, built in one place (DESIGN.md "Data").
 *
 * | item                         | pk                 | sk                          |
 * | ---------------------------- | ------------------ | --------------------------- |
 * | incident                     | `INC#<id>`         | `META`                      |
 * | open incident for a key      | `KEY#<key id>`     | `OPEN`                      |
 * | proposed action (later)      | `INC#<id>`         | `ACT#<action id>`           |
 * | timeline event (append-only) | `INC#<id>`         | `EV#<ISO time>#<ULID>`      |
 */

/** Attribute names of the table's primary key. */
export const PK = 'pk';
export const SK = 'sk';

/** A table's primary key. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** Sort-key prefixes; `begins_with(sk, prefix)` selects one kind of item within an incident. */
export const SortKeyPrefix = {
  Event: 'EV#',
  Action: 'ACT#',
  Pending: 'PENDING#',
} as const;

const INCIDENT_PREFIX = 'INC#';
const KEY_PREFIX = 'KEY#';
const META = 'META';
const OPEN = 'OPEN';

/** Partition key of everything that belongs to one incident. */
export const incidentPk = (incidentId: string): string => `${INCIDENT_PREFIX}${nonEmpty(incidentId, 'incident id')}`;

/** The incident's own item. */
export const incidentKey = (incidentId: string): ItemKey => ({ pk: incidentPk(incidentId), sk: META });

/** The one-open-incident-per-key guard. */
export const openKeyGuardKey = (keyId: string): ItemKey => ({
  pk: `${KEY_PREFIX}${nonEmpty(keyId, 'access key id')}`,
  sk: OPEN,
});

/**
 * A timeline event. The time is normalised to `toISOString()` (UTC, milliseconds) so that sort
 * keys order chronologically whatever offset or precision `at` was written with; the ULID
 * breaks ties between events of the same millisecond.
 */
export const eventKey = (incidentId: string, at: string, eventId: string): ItemKey => ({
  pk: incidentPk(incidentId),
  sk: `${SortKeyPrefix.Event}${sortableTime(at)}#${nonEmpty(eventId, 'event id')}`,
});

/** A proposed action (reserved for the action lifecycle). */
export const actionKey = (incidentId: string, actionId: string): ItemKey => ({
  pk: incidentPk(incidentId),
  sk: `${SortKeyPrefix.Action}${nonEmpty(actionId, 'action id')}`,
});

/** The one-pending-proposal guard for an action subject (kind, user, key) within an incident. */
export const pendingActionKey = (incidentId: string, subject: string): ItemKey => ({
  pk: incidentPk(incidentId),
  sk: `${SortKeyPrefix.Pending}${nonEmpty(subject, 'action subject')}`,
});

/** Which incident a root message (channel + ts) belongs to. */
export const rootIndexKey = (channelId: string, ts: string): ItemKey => ({ pk: `ROOT#${nonEmpty(channelId, 'channel id')}`, sk: nonEmpty(ts, 'message ts') });

/** Partition listing the open incidents (one small item each, removed when resolved). */
export const OPEN_INCIDENTS_PK = 'OPEN_INCIDENTS';

/** An open incident's entry in the open-incidents list. */
export const openIndexKey = (incidentId: string): ItemKey => ({ pk: OPEN_INCIDENTS_PK, sk: incidentPk(incidentId) });

/** Partition of the markers of actions being executed, across incidents (crash recovery). */
export const EXECUTING_PK = 'EXECUTING';

/** The marker saying an action is executing; exists exactly while it does. */
export const executingMarkerKey = (incidentId: string, actionId: string): ItemKey => ({
  pk: EXECUTING_PK,
  sk: `${incidentPk(incidentId)}#${SortKeyPrefix.Action}${nonEmpty(actionId, 'action id')}`,
});

/** A key no item ever has: reading it is the cheapest possible round trip (health checks). */
export const healthCheckKey = (): ItemKey => ({ pk: 'HEALTH#ping', sk: 'HEALTH#ping' });

/** UTC ISO-8601 with milliseconds; throws on a time `Date` cannot read. */
export function sortableTime(at: string): string {
  const time = new Date(at);
  if (Number.isNaN(time.getTime())) {
    throw new RangeError(`Not an ISO-8601 time: ${JSON.stringify(at)}`);
  }
  return time.toISOString();
}

function nonEmpty(value: string, what: string): string {
  // An empty segment would make `INC#` a prefix of every incident's key.
  if (value.length === 0) throw new RangeError(`Empty ${what} in a DynamoDB key`);
  return value;
}
