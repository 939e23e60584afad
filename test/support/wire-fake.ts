/**
 * One fake AWS for a wire-test file: started before its tests, reset before each, closed after;
 * the bare SDK clients a test makes (`track`) are destroyed after it.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { FakeAws, type FakeAwsOptions } from '../fakes/fake-aws.js';

export interface WireFake {
  /** The running fake (from `beforeAll` on). */
  readonly aws: FakeAws;
  /** Registers a client for destruction after the test; returns it. */
  track<C extends { destroy(): void }>(client: C): C;
}

export function useWireFake(options: FakeAwsOptions): WireFake {
  let aws: FakeAws | undefined;
  const clients: Array<{ destroy(): void }> = [];
  beforeAll(async () => { aws = await FakeAws.start(options); });
  beforeEach(() => aws!.reset());
  afterEach(() => { for (const client of clients.splice(0)) client.destroy(); });
  afterAll(() => aws!.close());
  return {
    get aws() {
      if (!aws) throw new Error('the fake starts in beforeAll');
      return aws;
    },
    track: (client) => { clients.push(client); return client; },
  };
}
