/**
 * One attempt at an approved action under fault injection, as the fault-injection suite and
 * its benchmark run it: an incident opened for a fresh key, the action proposed (and, for a
 * two-approver one, approved once), then the last approval clicked on a process that may be
 * killed at a kill point; and afterwards, what the table, IAM and Slack show.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BotProcess } from './bot-process.js';
import { adminKey, chooseMoreAction, click, openIncident, proposalPosted, refOf, storedAction, timeline } from './incident-flow.js';
import type { AttemptTarget, Mutation } from './kill-points.js';
import type { ProcessWorld } from './process-replicas.js';
import { TEST_CHANNEL } from './slack-requests.js';
import type { BotDriver } from './harness.js';

export const APPROVERS = ['U0APPROVER', 'U0APPROVER2'] as const;

export const ACTION_CASES = ['disable-key', 'create-replacement-key', 'delete-key'] as const;
export type ActionCase = (typeof ACTION_CASES)[number];

const TITLES: Readonly<Record<ActionCase, string>> = {
  'disable-key': 'Disable access key',
  'create-replacement-key': 'Create replacement key',
  'delete-key': 'Delete access key',
};

/** The one IAM change each kind makes, told apart by its key (or, for a new key, its user). */
function mutationOf(kind: ActionCase, keyId: string, userName: string): Mutation {
  if (kind === 'create-replacement-key') return { action: 'CreateAccessKey', matches: (r) => r.params.UserName === userName };
  if (kind === 'delete-key') return { action: 'DeleteAccessKey', matches: (r) => r.params.AccessKeyId === keyId };
  return { action: 'UpdateAccessKey', matches: (r) => r.params.AccessKeyId === keyId && r.params.Status === 'Inactive' };
}

/** An action ready for its last approval. */
export interface Subject extends AttemptTarget {
  readonly kind: ActionCase;
  readonly keyId: string;
  readonly userName: string;
  readonly ts: string;
  readonly ref: string;
  readonly messageTs: string;
  /** Who approves last (the click that executes). */
  readonly approver: string;
  /** Approvals the action needs. */
  readonly quorum: 1 | 2;
}

/** How long opening an incident and readying its action may take; only a heavily loaded machine comes near. */
const PREPARE_WAIT_MS = 60_000;

/** Opens an incident on `bot` for a fresh admin key of `userName` and readies a `kind` action. */
export async function prepare(world: ProcessWorld, bot: BotDriver, kind: ActionCase, userName: string): Promise<Subject> {
  const keyId = adminKey(world, userName);
  const { incidentId, ts } = await openIncident(world, bot, keyId, ['Disable access key', 'Revoke active sessions'], PREPARE_WAIT_MS);
  if (kind !== 'disable-key') {
    await chooseMoreAction(world, bot, incidentId, kind, APPROVERS[0]);
    await proposalPosted(world, ts, TITLES[kind], PREPARE_WAIT_MS);
  }
  const { ref, messageTs } = refOf(world, ts, TITLES[kind]);
  const actionId = ref.split(':')[1]!;
  if (kind === 'delete-key') {
    await click(world, bot, 'ki_approve', ref, APPROVERS[0]);
    await until(async () => ((await storedAction(world, ref))?.approvals as unknown[] | undefined)?.length === 1, PREPARE_WAIT_MS, 'the first approval');
  }
  const approver = kind === 'delete-key' ? APPROVERS[1] : APPROVERS[0];
  return { kind, keyId, userName, incidentId, actionId, ts, ref, messageTs, approver, quorum: kind === 'delete-key' ? 2 : 1, mutation: mutationOf(kind, keyId, userName) };
}

/** Clicks Approve as the subject's last approver on `bot`; a process killed before answering is no error. */
export async function approve(world: ProcessWorld, bot: BotProcess, subject: Subject): Promise<void> {
  await click(world, bot, 'ki_approve', subject.ref, subject.approver).catch(() => undefined);
}

const FINAL = new Set(['succeeded', 'failed']);

/** Resolves with when the action was first seen settled (polled), or undefined at `deadline`. */
export async function settledBy(world: ProcessWorld, subject: Subject, deadline: number): Promise<number | undefined> {
  while (Date.now() < deadline) {
    if (FINAL.has(String((await storedAction(world, subject.ref))?.status))) return Date.now();
    await sleep(100);
  }
  return undefined;
}

/**
 * Like `settledBy`, but throws when the action has not settled by `deadline`, with what the
 * table holds and what `processes` logged about it: what a failing test needs to be read.
 */
export async function settledOrExplain(world: ProcessWorld, subject: Subject, deadline: number, processes: readonly BotProcess[]): Promise<number> {
  const at = await settledBy(world, subject, deadline);
  if (at !== undefined) return at;
  const about = processes.flatMap((p) => p.logs.lines.filter((l) => l.includes(subject.actionId)).map((l) => `${p.name}${p.alive ? '' : ' (dead)'}: ${l}`));
  throw new Error(`${subject.kind} ${subject.ref} did not settle: ${JSON.stringify(await storedAction(world, subject.ref))}\n${about.slice(-30).join('\n')}`);
}

/** What an attempt left behind, and what is wrong with it. */
export interface Findings {
  readonly status: string;
  readonly outcome: { readonly result?: string; readonly code?: string; readonly message?: string };
  readonly attempt: number;
  /** Effective IAM changes for the target: 1 is exactly once. */
  readonly mutations: number;
  /** Timeline events of this action, by type. */
  readonly events: Readonly<Record<string, number>>;
  /** Expected events missing, and events beyond those expected, as `type×n`. */
  readonly lost: readonly string[];
  readonly duplicated: readonly string[];
}

/** Reads the action, its events and IAM's requests, and compares them with what one execution leaves. */
export async function inspect(world: ProcessWorld, subject: Subject): Promise<Findings> {
  const action = (await storedAction(world, subject.ref)) ?? {};
  const events: Record<string, number> = {};
  for (const e of await timeline(world, subject.incidentId)) {
    if ((e.details as { actionId?: string } | undefined)?.actionId === subject.actionId) events[String(e.type)] = (events[String(e.type)] ?? 0) + 1;
  }
  const status = String(action.status);
  const attempt = Number((action.attempt as { number?: number } | undefined)?.number ?? 0);
  const expected = expectedEvents(subject, status, attempt);
  const reconciled = events['action.reconciled'] ?? 0;
  // Each takeover that settled the action notes what it found; one that was itself interrupted may not have.
  expected['action.reconciled'] = attempt > 1 ? Math.min(Math.max(reconciled, 1), attempt - 1) : 0;
  const lost: string[] = [];
  const duplicated: string[] = [];
  for (const type of new Set([...Object.keys(expected), ...Object.keys(events)].filter((t) => t.startsWith('action.')))) {
    const want = expected[type] ?? 0;
    const have = events[type] ?? 0;
    if (have < want) lost.push(`${type}×${want - have}`);
    if (have > want) duplicated.push(`${type}×${have - want}`);
  }
  const mutations = world.aws.calls.filter((c) => c.action === subject.mutation.action && c.status === 200 && subject.mutation.matches(c)).length;
  return { status, outcome: (action.outcome ?? {}) as Findings['outcome'], attempt, mutations, events, lost, duplicated };
}

/** The events one execution of the subject writes, given how it ended and how many attempts it took. */
function expectedEvents(subject: Subject, status: string, attempt: number): Record<string, number> {
  const twoApprovers = subject.quorum === 2;
  return {
    'action.proposed': 1,
    'action.approval_counted': twoApprovers ? 1 : 0,
    'action.approved': 1,
    'action.executing': 1,
    'action.succeeded': status === 'succeeded' ? 1 : 0,
    'action.failed': status === 'failed' ? 1 : 0,
    'action.taken_over': Math.max(0, attempt - 1),
  };
}

/** Resolves once the proposal message shows `status`; false at `timeoutMs`. */
export async function slackShows(world: ProcessWorld, subject: Subject, status: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (world.slack.message(TEST_CHANNEL.id, subject.messageTs)?.text.endsWith(`: ${status}`)) return true;
    await sleep(100);
  }
  return false;
}

/** Resolves once `check` holds (polled); rejects naming `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
