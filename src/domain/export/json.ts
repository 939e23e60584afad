/**
 * The incident as one JSON document, streamed: the head (incident and actions) in one chunk,
 * then one chunk per timeline event, then the closing brackets. Valid JSON for any input:
 * `details` are `unknown`, so values JSON cannot hold are converted (see `jsonSafe`).
 *
 * Schema (version 1; fields are always present, `null` when unknown):
 *
 *   { "schemaVersion": 1,
 *     "incident": { "id", "keyId", "status", "channelId", "teamId", "openedBy", "openedAt",
 *                   "note", "assessment", "review" },
 *     "actions": [ { "id", "kind", "title", "target", "status", "approvalsRequired",
 *                    "approvals": [ { "userId", "at" } ], "proposedBy", "proposedAt",
 *                    "expiresAt", "deniedBy", "startedAt", "finishedAt", "undoOf",
 *                    "outcome": { "result", "message", "code", "requestIds", "details" } | null } ],
 *     "events": [ { "id", "at", "type", "actor", "summary", "details" } ] }
 *
 * Times are ISO-8601 strings as recorded. Events keep the repository's order.
 */
import type { Action } from '../action/lifecycle.js';
import { ACTIONS } from '../action/kinds.js';
import type { Incident, TimelineEvent } from '../incident/incident.js';
import type { ExportInput } from './types.js';

export const JSON_SCHEMA_VERSION = 1;

/** Nesting kept; deeper values become the string `"[too deep]"`. */
const MAX_DEPTH = 64;

/**
 * A copy of `value` that `JSON.stringify` accepts and renders faithfully: bigints become
 * strings, cycles `"[circular]"`, non-finite numbers and undefined `null`, functions and
 * symbols `null`, Dates ISO strings, Maps and Sets objects and arrays.
 */
export function jsonSafe(value: unknown, ancestors: unknown[] = []): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return null;
  if (ancestors.includes(value)) return '[circular]';
  if (ancestors.length >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const next = [...ancestors, value];
  if (Array.isArray(value) || value instanceof Set) return [...value].map((x) => jsonSafe(x, next));
  const entries = value instanceof Map ? [...value].map(([k, v]) => [String(k), v] as const) : Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    // Dropped, as JSON.stringify would, rather than turned into null: absent stays absent.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out[k] = jsonSafe(v, next);
  }
  return out;
}

const stringify = (value: unknown) => JSON.stringify(jsonSafe(value));
const orNull = <T>(v: T | undefined) => (v === undefined ? null : v);

export function incidentJson(i: Incident): Record<string, unknown> {
  return {
    id: i.id, keyId: i.keyId, status: i.status, channelId: i.channelId, teamId: orNull(i.teamId),
    openedBy: i.openedBy, openedAt: i.openedAt, note: orNull(i.note), assessment: i.assessment, review: orNull(i.review),
  };
}

export function actionJson(a: Action): Record<string, unknown> {
  const o = a.outcome;
  return {
    id: a.id, kind: a.kind, title: orNull(ACTIONS[a.kind]?.title), target: a.target, status: a.status,
    approvalsRequired: a.approvalsRequired, approvals: a.approvals.map((x) => ({ userId: x.userId, at: x.at })),
    proposedBy: a.proposedBy, proposedAt: a.proposedAt, expiresAt: a.expiresAt, deniedBy: orNull(a.deniedBy),
    startedAt: orNull(a.startedAt), finishedAt: orNull(a.finishedAt), undoOf: orNull(a.undoOf),
    outcome: o ? { result: o.result, message: o.message, code: orNull(o.code), requestIds: o.requestIds ?? [], details: o.details ?? {} } : null,
  };
}

export function eventJson(e: TimelineEvent): Record<string, unknown> {
  return { id: e.id, at: e.at, type: e.type, actor: e.actor, summary: e.summary, details: e.details ?? {} };
}

/** Streams the export document; join the chunks for the whole text. */
export async function* renderJson(input: ExportInput): AsyncGenerator<string, void, undefined> {
  yield `{"schemaVersion":${JSON_SCHEMA_VERSION},"incident":${stringify(incidentJson(input.incident))},`
    + `"actions":${stringify(input.actions.map(actionJson))},"events":[`;
  let first = true;
  for await (const e of input.events) {
    yield `${first ? '' : ','}\n${stringify(eventJson(e))}`;
    first = false;
  }
  yield '\n]}\n';
}
