/**
 * The reading part of a review: the exposed key, then every temporary key it minted, in each
 * region (regions in parallel), each region within its caps: LookupEvents pages and time since
 * the review started, shared by every key read there. What a cap leaves unread is returned.
 */
import { AwsError } from '../../domain/errors.js';
import type { Incident, UnreadTrail } from '../../domain/incident/incident.js';
import { MAX_CREDENTIALS } from '../../domain/review/derived-credentials.js';
import type { ReviewRun } from '../../domain/review/review-run.js';
import type { CloudTrailReader } from '../../ports/cloudtrail-reader.js';
import type { ServiceDeps } from '../deps.js';
import type { ProgressLine } from './progress-line.js';

/** Unread region-and-key pairs and problems listed each; more are counted. */
const MAX_LISTED = 20;

/** A list that keeps its first `max` items and counts the rest. */
export class BoundedList<T> {
  readonly items: T[] = [];
  more = 0;

  constructor(private readonly max = MAX_LISTED) {}

  add(item: T): void {
    if (this.items.length < this.max) this.items.push(item);
    else this.more += 1;
  }
}

export interface ScanInput {
  readonly trail: CloudTrailReader;
  readonly incident: Incident;
  readonly regions: readonly string[];
  readonly start: Date;
  readonly end: Date;
  readonly run: ReviewRun;
  readonly progress: ProgressLine;
  readonly problems: BoundedList<string>;
  /** Set when the review's claim was lost: reading stops before the next page. */
  readonly stopped?: () => boolean;
}

export interface ScanResult {
  /** Keys read (the exposed one included). */
  readonly keys: number;
  readonly unread: BoundedList<UnreadTrail>;
}

/** What one region may still read: pages and a deadline shared by every key read there. */
class RegionBudget {
  pages = 0;

  constructor(private readonly maxPages: number, private readonly deadline: number) {}

  spent(now: Date): UnreadTrail['cap'] | undefined {
    if (this.pages >= this.maxPages) return 'pages';
    return now.getTime() >= this.deadline ? 'time' : undefined;
  }
}

/** Reads every key through each region within the caps; returns how many keys and what was left unread. */
export async function scanTrail(deps: ServiceDeps, s: ScanInput): Promise<ScanResult> {
  const deadline = deps.clock.now().getTime() + deps.review.maxSecondsPerRegion * 1000;
  const budgets = new Map(s.regions.map((r) => [r, new RegionBudget(deps.review.maxPagesPerRegion, deadline)] as const));
  const unread = new BoundedList<UnreadTrail>();
  const scanned = new Set<string>([s.incident.keyId]);
  const queue = [s.incident.keyId];
  // The review keeps at most MAX_CREDENTIALS minted keys (ReviewRun's tree): each one kept is read.
  const follow = (key: string) => {
    if (scanned.has(key)) return;
    scanned.add(key);
    queue.push(key);
  };
  while (queue.length > 0 && !s.stopped?.()) {
    const key = queue.shift()!;
    s.progress.nextKey();
    await Promise.all(s.regions.map(async (region) => {
      const left = await readRegion(deps, s, { region, key, budget: budgets.get(region)!, follow });
      if (left) unread.add(left);
      s.progress.regionDone();
    }));
  }
  const dropped = s.run.untrackedCredentials;
  if (dropped > 0) s.problems.add(`${dropped} temporary keys past the first ${MAX_CREDENTIALS} not read`);
  return { keys: scanned.size, unread };
}

interface RegionRead {
  readonly region: string;
  readonly key: string;
  readonly budget: RegionBudget;
  readonly follow: (key: string) => void;
}

/** One key in one region, newest page first, until the pages end or a cap is reached. */
async function readRegion(deps: ServiceDeps, s: ScanInput, { region, key, budget, follow }: RegionRead): Promise<UnreadTrail | undefined> {
  const scan = s.trail.lookupByAccessKey(region, key, s.start, s.end);
  const pages = scan[Symbol.asyncIterator]();
  let oldest: string | undefined;
  try {
    for (let counted = 0; !s.stopped?.();) {
      const cap = budget.spent(deps.clock.now());
      // Pages come newest first: what is left is everything before the oldest event read.
      if (cap) return { region, accessKeyId: key, before: oldest ?? s.end.toISOString(), cap };
      const next = await pages.next();
      budget.pages += scan.pages - counted;
      counted = scan.pages;
      if (next.done) return undefined;
      for (const event of next.value) {
        const minted = s.run.add(event);
        if (minted) follow(minted.accessKeyId);
        if (typeof event.eventTime === 'string' && (oldest === undefined || event.eventTime < oldest)) oldest = event.eventTime;
      }
      s.progress.read(next.value.length);
      if (!scan.more) return undefined;
    }
    return undefined;
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    s.problems.add(`${region} (${key}): ${err.code}`);
    deps.log.warn({ incidentId: s.incident.id, region, awsError: err.code }, 'review: region not read');
    return undefined;
  } finally {
    await pages.return?.();
  }
}
