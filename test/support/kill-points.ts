/**
 * Where in an execution attempt a process is killed, each observed on the wire (no hook in
 * `src/`): the claim and the record are DynamoDB transactions seen by the fault proxy; the IAM
 * change is a request the fake AWS holds.
 *
 * - `before-claim`: the approval's transaction (the one writing the action's EXECUTING
 *   marker) arrives; the process dies before DynamoDB sees it.
 * - `after-claim`: DynamoDB stored that transaction; the process dies before hearing so.
 * - `during-iam`: the IAM change arrives at IAM; the process dies; IAM never applies it.
 * - `iam-applied`: IAM applies the change; the process dies before the answer reaches it.
 * - `after-iam`: IAM answered; the process dies at the next request it sends anywhere.
 * - `before-record`: the outcome's transaction (the one removing the marker) arrives; the
 *   process dies before DynamoDB sees it.
 */
import type { DynamoRequest, TrapHandle } from '../fakes/dynamodb/fault-proxy.js';
import type { HeldRequest, HoldHandle } from '../fakes/fake-aws.js';
import type { BotProcess } from './bot-process.js';
import type { ProcessWorld } from './process-replicas.js';

export const KILL_POINTS = ['before-claim', 'after-claim', 'during-iam', 'iam-applied', 'after-iam', 'before-record'] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

/** The IAM change an action makes, and how to tell its request from others. */
export interface Mutation {
  readonly action: string;
  readonly matches: (request: Pick<HeldRequest, 'params'>) => boolean;
}

/** The action an attempt carries out: where its marker is, and its IAM change. */
export interface AttemptTarget {
  readonly incidentId: string;
  readonly actionId: string;
  readonly mutation: Mutation;
}

export interface ArmedKill {
  /** Resolves with when the process was killed. */
  readonly killed: Promise<number>;
  /** Resolves with when the victim's IAM change reached IAM (never, for the points before it). */
  readonly iamAt: Promise<number>;
  /** Withdraws what has not fired and lets held requests go. */
  disarm(): void;
}

export type Marker = 'Put' | 'Delete';

/** Whether `request` is a transaction that puts (the claim) or deletes (the record) the action's marker. */
export function touchesMarker(request: DynamoRequest, target: AttemptTarget, how: Marker): boolean {
  if (request.operation !== 'TransactWriteItems') return false;
  const sk = `INC#${target.incidentId}#ACT#${target.actionId}`;
  return ((request.input.TransactItems ?? []) as Record<string, { Item?: Keyed; Key?: Keyed } | undefined>[]).some((item) => {
    const key = how === 'Put' ? item.Put?.Item : item.Delete?.Key;
    return key?.pk?.S === 'EXECUTING' && key.sk?.S === sk;
  });
}

type Keyed = Record<string, { S?: string } | undefined>;

/** Arms `point` against `victim`'s attempt on `target`. */
export function armKill(world: ProcessWorld, victim: BotProcess, target: AttemptTarget, point: KillPoint): ArmedKill {
  const traps: TrapHandle[] = [];
  const holds: HoldHandle[] = [];
  let killedAt: (at: number) => void;
  const killed = new Promise<number>((resolve) => (killedAt = resolve));
  const kill = async () => {
    const at = Date.now();
    await victim.kill();
    killedAt(at);
  };
  const proxyTrap = (how: Marker, phase: 'request' | 'answer') =>
    traps.push(world.proxy.trap((r) => r.agent === victim.name && touchesMarker(r, target, how), phase, kill));
  const iam = (apply: boolean) => {
    const hold = world.aws.hold(target.mutation.action, { apply, match: (r) => r.agent === victim.name && target.mutation.matches(r) });
    holds.push(hold);
    return hold;
  };
  const afterIam = () => {
    // IAM's answer is on its way: the victim's next request, to DynamoDB or to AWS, is its last.
    traps.push(world.proxy.trap((r) => r.agent === victim.name, 'request', kill));
    const next = world.aws.hold('*', { apply: false, match: (r) => r.agent === victim.name });
    holds.push(next);
    void next.arrived.then(kill);
  };
  const timed = (hold: HoldHandle, then: () => unknown) => hold.arrived.then(() => {
    const at = Date.now();
    then();
    return at;
  });
  let iamAt: Promise<number>;
  if (point === 'before-claim' || point === 'after-claim') {
    proxyTrap('Put', point === 'before-claim' ? 'request' : 'answer');
    iamAt = new Promise(() => undefined);
  } else if (point === 'before-record') {
    proxyTrap('Delete', 'request');
    const hold = iam(true);
    iamAt = timed(hold, () => hold.release());
  } else {
    const hold = iam(point !== 'during-iam');
    iamAt = timed(hold, () => (point === 'after-iam' ? (afterIam(), hold.release()) : void kill()));
  }
  return {
    killed, iamAt,
    disarm: () => {
      for (const trap of traps) trap.cancel();
      for (const hold of holds) { hold.cancel(); hold.release(); }
    },
  };
}

/** Times when `victim`'s IAM change for `target` reaches IAM, without killing anything. */
export function timeIamCall(world: ProcessWorld, victim: BotProcess, target: AttemptTarget): ArmedKill {
  const hold = world.aws.hold(target.mutation.action, { apply: true, match: (r) => r.agent === victim.name && target.mutation.matches(r) });
  const iamAt = hold.arrived.then(() => {
    const at = Date.now();
    hold.release();
    return at;
  });
  return { killed: new Promise(() => undefined), iamAt, disarm: () => { hold.cancel(); hold.release(); } };
}
