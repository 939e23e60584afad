/** Real SDK clients pointed at a fresh fake IAM/STS/Secrets Manager/CloudTrail/Organizations, through the SDK's standard settings. */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { SdkIamReader } from '../../src/adapters/iam/sdk-iam-reader.js';
import { SdkIamWriter } from '../../src/adapters/iam/sdk-iam-writer.js';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../../src/adapters/aws-clients.js';
import { AwsError } from '../../src/domain/errors.js';
import { FakeAws, type FakeAwsOptions } from '../fakes/fake-aws.js';

export interface AwsUnderTest {
  readonly aws: FakeAws;
  readonly clients: AwsClients;
  close(): Promise<void>;
}

export async function startAwsUnderTest(region: string, maxAttempts: number, options: FakeAwsOptions = {}): Promise<AwsUnderTest> {
  const aws = await FakeAws.start(options);
  process.env.AWS_ENDPOINT_URL_IAM = aws.url;
  process.env.AWS_ENDPOINT_URL_STS = aws.url;
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = aws.url;
  process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = aws.url;
  process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = aws.url;
  process.env.AWS_REGION = region;
  process.env.AWS_ACCESS_KEY_ID = 'AKIAKEYINCIDENTTESTS';
  process.env.AWS_SECRET_ACCESS_KEY = 'not-a-real-secret';
  const clients = createAwsClients({ region, maxAttempts });
  return {
    aws,
    clients,
    close: async () => {
      destroyAwsClients(clients);
      await aws.close();
    },
  };
}

/** The `AwsError` a promise rejects with (fails the test when it resolves or throws anything else). */
export async function rejection(promise: Promise<unknown>): Promise<AwsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwsError);
  return error as AwsError;
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, checking every 10 ms; fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/**
 * A fake AWS with an `SdkIamWriter` and an `SdkIamReader` on it for one test file: started
 * before its tests, reset before each, closed after. `ready` hands them over once started.
 */
export function useFakeIam(region: string, ready: (aws: FakeAws, writer: SdkIamWriter, reader: SdkIamReader) => void): void {
  let env: AwsUnderTest;
  beforeAll(async () => {
    env = await startAwsUnderTest(region, 3);
    ready(env.aws, new SdkIamWriter(env.clients.iam), new SdkIamReader(env.clients.iam));
  });
  beforeEach(() => env.aws.reset());
  afterAll(() => env.close());
}
