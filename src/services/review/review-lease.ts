/**
 * A running review's claim on its incident: renewed in the background every third of the
 * lease, so a live review is never taken for a dead one; a review whose process died stops
 * renewing, and another may take over once `leaseMs` has passed since the last renewal.
 */
import type { Incident, IncidentReview } from '../../domain/incident/incident.js';
import type { ServiceDeps } from '../deps.js';
import { updateIncident } from '../update-incident.js';

/** How long a review's claim lasts without renewal: DynamoDB back-off never costs it, a crash costs a minute. */
export const REVIEW_LEASE_MS = 60_000;

/** True when `review` is running and its claim was renewed (or made) less than `leaseMs` before `now`. */
export function claimLive(review: IncidentReview | undefined, now: Date, leaseMs: number): boolean {
  if (review?.status !== 'running') return false;
  const renewed = Date.parse(review.renewedAt ?? review.startedAt);
  return now.getTime() - renewed < leaseMs;
}

/** True when `incident`'s running review is the one `claimId` made. */
export function holds(incident: Incident, claimId: string): boolean {
  return incident.review?.status === 'running' && incident.review.claimId === claimId;
}

export class ReviewLease {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Set once the claim was found taken over: the review stops and records nothing. */
  lost = false;

  constructor(private readonly deps: ServiceDeps, private readonly incidentId: string, readonly claimId: string) {}

  /** Renews the claim; false (and `lost`) once another review holds it. */
  async renew(): Promise<boolean> {
    if (this.lost) return false;
    const now = this.deps.clock.now().toISOString();
    let held = false;
    await updateIncident(this.deps.repo, this.incidentId, (current) => {
      held = holds(current, this.claimId);
      if (!held) return undefined;
      return { incident: { ...current, review: { ...current.review!, renewedAt: now } }, events: [] };
    });
    if (!held) this.lost = true;
    return held;
  }

  /** Renews every third of the lease until `stop()`; a stopping process lets its claim lapse. */
  start(): void {
    const every = Math.max(1, Math.floor(this.deps.review.leaseMs / 3));
    this.timer = setInterval(() => {
      if (this.deps.execution.stopping?.stopped) return this.stop();
      this.renew().catch((err: unknown) => this.deps.log.warn({ incidentId: this.incidentId, err: (err as Error).message }, 'review claim renewal failed'));
    }, every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
