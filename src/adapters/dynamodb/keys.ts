/**
 * Every partition and sort key of the single table, built in one place. Item shapes are in
 * `mapper.ts` (incident side) and `action-mapper.ts` (action side); `entity` is the name each
 * item carries (`Entity` in `item-codec.ts`).
 *
 * | entity                  | what                                     | pk                   | sk                         |
 * | ----------------------- | ---------------------------------------- | -------------------- | -------------------------- |
 * | incident                | the incident                             | `INC#<id>`           | `META`                     |
 * | timeline-event          | a timeline event (append-only)           | `INC#<id>`           | `EV#<ISO time>#<ULID>`     |
 * | action                  | a containment action                     | `INC#<id>`           | `ACT#<action id>`          |
 * | pending-action-guard    | the one pending proposal per subject     | `INC#<id>`           | `PENDING#<subject>`        |
 * | shown-version           | the state version a message last showed  | `INC#<id>`           | `SHOWN#<message>`          |
 * | open-key-guard          | the one open incident per key            | `KEY#<key id>`       | `OPEN`                     |
 * | key-incident-entry      | an incident of a key (lookup by key id)  | `KEY#<key id>`       | `INC#<opened at>#<id>`     |
 * | open-incident-entry     | an open incident, listed                 | `OPEN_INCIDENTS`     | `INC#<id>`                 |
 * | resolved-incident-entry | a resolved incident, listed              | `RESOLVED_INCIDENTS` | `<resolved at>#INC#<id>`   |
 * | root-index              | the incident of a root message           | `ROOT#<channel>`     | `<message ts>`             |
 * | executing-marker        | an action being executed (crash repair)  | `EXECUTING`          | `INC#<id>#ACT#<action id>` |
 * | decision-target         | the newest approved decision on a target | `TARGET#<target>`    | `DECISION`                 |
 * | migration-marker        | a one-off data migration has finished    | `MIGRATION#<name>`   | `DONE`                     |
 *
 * Within `KEY#<key id>`, `OPEN` sorts after every `INC#…`: a query newest-first reads the open
 * incident's guard first when there is one, else the most recently opened incident's entry.
 *
 * `healthCheckKey()` names no item: reading it only proves the table answers.
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
  Shown: 'SHOWN#',
} as const;

const INCIDENT_PREFIX = 'INC#';
const KEY_PREFIX = 'KEY#';
const META = 'META';
const OPEN = 'OPEN';

/** Partition key of everything that belongs to one incident. */
export const incidentPk = (incidentId: string): string => `${INCIDENT_PREFIX}${nonEmpty(incidentId, 'incident id')}`;

/** The incident's own item. */
export const incidentKey = (incidentId: string): ItemKey => ({ pk: incidentPk(incidentId), sk: META });

/** Partition of everything about one access key: its guard and an entry per incident. */
export const keyPk = (keyId: string): string => `${KEY_PREFIX}${nonEmpty(keyId, 'access key id')}`;

/** The one-open-incident-per-key guard. */
export const openKeyGuardKey = (keyId: string): ItemKey => ({ pk: keyPk(keyId), sk: OPEN });

/** An incident's entry under its key, ordered by when it was opened (lookups by key id). */
export const keyIncidentKey = (keyId: string, openedAt: string, incidentId: string): ItemKey => ({
  pk: keyPk(keyId),
  sk: `${INCIDENT_PREFIX}${sortableTime(openedAt)}#${nonEmpty(incidentId, 'incident id')}`,
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

/** A containment action, from its proposal to its outcome. */
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

/** Partition listing resolved incidents by when they were resolved (one small item each). */
export const RESOLVED_INCIDENTS_PK = 'RESOLVED_INCIDENTS';

/** A resolved incident's entry; its sort key starts with the time, so a range query finds the recent ones. */
export const resolvedIndexKey = (incidentId: string, resolvedAt: string): ItemKey => ({
  pk: RESOLVED_INCIDENTS_PK,
  sk: `${sortableTime(resolvedAt)}#${incidentPk(incidentId)}`,
});

/** The marker saying the one-off migration `name` has run to the end. */
export const migrationMarkerKey = (name: string): ItemKey => ({ pk: `MIGRATION#${nonEmpty(name, 'migration name')}`, sk: 'DONE' });

/** Partition of the markers of actions being executed, across incidents (crash recovery). */
export const EXECUTING_PK = 'EXECUTING';

/** The marker saying an action is executing; exists exactly while it does. */
export const executingMarkerKey = (incidentId: string, actionId: string): ItemKey => ({
  pk: EXECUTING_PK,
  sk: `${incidentPk(incidentId)}#${SortKeyPrefix.Action}${nonEmpty(actionId, 'action id')}`,
});

/** The newest approved decision on a target (`decisionTarget`: a key, a user or a role), across incidents. */
export const decisionTargetKey = (target: string): ItemKey => ({ pk: `TARGET#${nonEmpty(target, 'decision target')}`, sk: 'DECISION' });

/** The state version a Slack message of the incident (`ROOT`, `ACT#<action id>`) last showed. */
export const shownKey = (incidentId: string, message: string): ItemKey => ({
  pk: incidentPk(incidentId),
  sk: `${SortKeyPrefix.Shown}${nonEmpty(message, 'message')}`,
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
