/**
 * Several bot instances on one world (one DynamoDB Local table, the wire-level fakes), each
 * test's stopped after it: what the restart and sweeper suites share, and what a suite with
 * more processes can start from.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Bot, startBot, startWorld, type TestClock, type World } from './harness.js';

export interface Replicas {
  /** The world, once `beforeAll` has made it. */
  readonly world: () => World;
  /** Starts an instance with `env` (and a clock of its own, when given). */
  start(env: Record<string, string>, clock?: TestClock): Promise<Bot>;
  /** Stops an instance as a crash would: its clients go away with its requests in flight. */
  crash(bot: Bot): Promise<void>;
}

/** Registers the suite's hooks: a world labelled `label`, and every instance stopped after each test. */
export function useReplicas(label: string): Replicas {
  let world: World | undefined;
  const live = new Set<Bot>();
  beforeAll(async () => {
    world = await startWorld(label);
  });
  afterEach(async () => {
    await Promise.all([...live].map((bot) => bot.stop()));
    live.clear();
    world?.aws.reset();
  });
  afterAll(async () => {
    await world?.close();
  });
  return {
    world: () => world!,
    start: async (env, clock) => {
      const bot = await startBot(world!, env, clock ? { clock } : {});
      live.add(bot);
      return bot;
    },
    crash: async (bot) => {
      live.delete(bot);
      await bot.stop();
    },
  };
}
