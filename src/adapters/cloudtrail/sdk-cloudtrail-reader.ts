/**
 * `CloudTrailReader` over the AWS SDK: LookupEvents by AccessKeyId, 50 events a page, following
 * NextToken, paced by a `LookupPacer` shared by every scan (two requests per second per Region).
 *
 * Retries are the reader's, not the SDK's: a request the SDK retried by itself would go out
 * without a permit and could break the pace, so the clients must make one attempt per call
 * (`createAwsClients().cloudTrailFor` does; another client is refused at its first use). A
 * throttled or otherwise retryable failure (5xx, network) is retried with the SAME input, so
 * the same NextToken: a page is neither lost nor yielded twice. Each retry waits a growing,
 * jittered delay and then queues for a permit like any request.
 */
import {
  LookupEventsCommand,
  type CloudTrailClient,
  type LookupEventsCommandInput,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { TrailEvent } from '../../domain/review/types.js';
import type { CloudTrailReader, TrailScan } from '../../ports/cloudtrail-reader.js';
import { toAwsError } from '../aws-errors.js';
import { backoffDelay, LookupPacer, type Sleep } from './lookup-pacer.js';
import { decodeLookupEntry } from './trail-event-codec.js';

const SERVICE = 'cloudtrail';
const OPERATION = 'LookupEvents';
/** LookupEvents' largest page. */
const MAX_RESULTS = 50;

/** Makes the CloudTrail client of a Region (SDK clients are bound to one Region). */
export type CloudTrailClientFactory = (region: string) => CloudTrailClient;

/** How often and how patiently a page is retried. */
export interface LookupRetryOptions {
  /** Attempts per page, the first included (default 8). */
  readonly maxAttempts?: number;
  /** Ceiling of the first backoff in ms (default 500); doubles each retry. */
  readonly baseMs?: number;
  /** Largest backoff ceiling in ms (default 10 000). */
  readonly capMs?: number;
}

/** Everything has a production default; tests inject pacer, sleep and random. */
export interface SdkCloudTrailReaderOptions {
  /** Share one per process; defaults to the process-wide `sharedLookupPacer()`. */
  readonly pacer?: LookupPacer;
  readonly retry?: LookupRetryOptions;
  /** Waits between retries (default `setTimeout`). */
  readonly sleep?: Sleep;
  /** For backoff jitter (default `Math.random`). */
  readonly random?: () => number;
}

let processPacer: LookupPacer | undefined;

/** The pacer every reader uses unless given one: LookupEvents' limit is per account, not per reader. */
export function sharedLookupPacer(): LookupPacer {
  processPacer ??= new LookupPacer();
  return processPacer;
}

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** CloudTrail event history by access key, paced per Region, one lazily made client per Region. */
export class SdkCloudTrailReader implements CloudTrailReader {
  private readonly clients = new Map<string, Promise<CloudTrailClient>>();
  private readonly pacer: LookupPacer;
  private readonly retry: Required<LookupRetryOptions>;
  private readonly sleep: Sleep;
  private readonly random: () => number;

  constructor(
    private readonly clientFor: CloudTrailClientFactory,
    options: SdkCloudTrailReaderOptions = {},
  ) {
    this.pacer = options.pacer ?? sharedLookupPacer();
    this.retry = { maxAttempts: 8, baseMs: 500, capMs: 10_000, ...options.retry };
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
  }

  lookupByAccessKey(region: string, accessKeyId: string, start: Date, end: Date): TrailScan {
    return this.lookup(region, 'AccessKeyId', accessKeyId, start, end);
  }

  lookupByEventName(region: string, eventName: string, start: Date, end: Date): TrailScan {
    return this.lookup(region, 'EventName', eventName, start, end);
  }

  private lookup(region: string, key: 'AccessKeyId' | 'EventName', value: string, start: Date, end: Date): TrailScan {
    const input: LookupEventsCommandInput = {
      LookupAttributes: [{ AttributeKey: key, AttributeValue: value }],
      StartTime: start,
      EndTime: end,
      MaxResults: MAX_RESULTS,
    };
    return new LookupScan(region, (nextToken) => this.fetchPage(region, { ...input, NextToken: nextToken }));
  }

  /** One page, retried on retryable failures with the same input; other failures as `AwsError`. */
  private async fetchPage(region: string, input: LookupEventsCommandInput): Promise<LookupEventsCommandOutput> {
    const client = await this.client(region);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pacer.run(region, () => client.send(new LookupEventsCommand(input)));
      } catch (error) {
        const failure = toAwsError(error, SERVICE, OPERATION);
        if (!failure.retryable || attempt >= this.retry.maxAttempts) throw failure;
        await this.sleep(backoffDelay(attempt, this.retry, this.random));
      }
    }
  }

  /** The Region's client, made once; refused when the SDK would retry by itself. */
  private client(region: string): Promise<CloudTrailClient> {
    let client = this.clients.get(region);
    if (!client) {
      client = checkedClient(this.clientFor(region), region);
      this.clients.set(region, client);
    }
    return client;
  }
}

async function checkedClient(client: CloudTrailClient, region: string): Promise<CloudTrailClient> {
  const attempts = await client.config.maxAttempts();
  if (attempts !== 1) {
    throw new Error(
      `The CloudTrail client for ${region} makes ${attempts} attempts per call; ` +
        'SdkCloudTrailReader paces and retries itself and needs maxAttempts: 1',
    );
  }
  return client;
}

/** The pages of one lookup, with its counters. Iterable once. */
class LookupScan implements TrailScan {
  skipped = 0;
  pages = 0;
  more = true;
  readonly skippedEventIds: string[] = [];
  private started = false;

  constructor(
    private readonly region: string,
    private readonly fetch: (nextToken: string | undefined) => Promise<LookupEventsCommandOutput>,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<TrailEvent[]> {
    if (this.started) throw new Error('A TrailScan can be iterated once; start another lookup');
    this.started = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<TrailEvent[]> {
    let nextToken: string | undefined;
    do {
      const output = await this.fetch(nextToken);
      this.pages += 1;
      const events = this.decode(output);
      // CloudTrail may answer an empty page that still has a NextToken: keep going.
      nextToken = output.NextToken || undefined;
      this.more = nextToken !== undefined;
      if (events.length > 0) yield events;
    } while (nextToken !== undefined);
  }

  private decode(output: LookupEventsCommandOutput): TrailEvent[] {
    const events: TrailEvent[] = [];
    for (const entry of output.Events ?? []) {
      const decoded = decodeLookupEntry(entry, this.region);
      if (decoded.ok) {
        events.push(decoded.event);
        continue;
      }
      this.skipped += 1;
      if (decoded.eventId !== undefined) this.skippedEventIds.push(decoded.eventId);
    }
    return events;
  }
}
