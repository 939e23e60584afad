/**
 * `CloudTrailReader` in memory: events per region, looked up by access key or event name in a
 * time window, yielded newest first in pages. A failure planned for a lookup method, or for a
 * region with `failRegion`, is thrown by the iteration, as the SDK reader does.
 */
import { AwsError } from '../../../src/domain/errors.js';
import type { TrailEvent } from '../../../src/domain/review/types.js';
import type { CloudTrailReader, TrailScan } from '../../../src/ports/cloudtrail-reader.js';
import { Faults } from './faults.js';
import { copy } from './memory-table.js';

export class MemoryCloudTrailReader implements CloudTrailReader {
  readonly faults = new Faults<keyof CloudTrailReader & string>();
  readonly events: TrailEvent[] = [];
  private readonly failingRegions = new Map<string, string>();
  /** Called as each page is fetched (a test can let the clock run meanwhile). */
  onPage: (() => void) | undefined;

  constructor(public pageSize = 50) {}

  /** Records events (each in its own `awsRegion`). */
  add(...events: TrailEvent[]): void {
    this.events.push(...events.map(copy));
  }

  /** Every lookup in `region` fails with AWS's `code`. */
  failRegion(region: string, code = 'AccessDeniedException'): void {
    this.failingRegions.set(region, code);
  }

  lookupByAccessKey(region: string, accessKeyId: string, start: Date, end: Date): TrailScan {
    return this.scan('lookupByAccessKey', [region, accessKeyId, start, end], region, (e) => e.userIdentity?.accessKeyId === accessKeyId, start, end);
  }

  lookupByEventName(region: string, eventName: string, start: Date, end: Date): TrailScan {
    return this.scan('lookupByEventName', [region, eventName, start, end], region, (e) => e.eventName === eventName, start, end);
  }

  private scan(method: keyof CloudTrailReader & string, args: unknown[], region: string, match: (e: TrailEvent) => boolean, start: Date, end: Date): TrailScan {
    const reader = this;
    const scan = {
      skipped: 0,
      skippedEventIds: [] as string[],
      pages: 0,
      more: true,
      async *[Symbol.asyncIterator](): AsyncIterator<TrailEvent[]> {
        await reader.faults.enter(method, args);
        const code = reader.failingRegions.get(region);
        if (code) throw new AwsError(code, `CloudTrail lookup refused in ${region}`, 'cloudtrail', 'LookupEvents');
        const found = reader.events
          .filter((e) => e.awsRegion === region && match(e))
          .filter((e) => Date.parse(e.eventTime) >= start.getTime() && Date.parse(e.eventTime) <= end.getTime())
          .sort((a, b) => b.eventTime.localeCompare(a.eventTime));
        for (let i = 0; i < found.length; i += reader.pageSize) {
          scan.pages += 1;
          reader.onPage?.();
          scan.more = i + reader.pageSize < found.length;
          yield found.slice(i, i + reader.pageSize).map(copy);
        }
        if (found.length === 0) scan.pages += 1;
        scan.more = false;
      },
    };
    return scan;
  }
}
