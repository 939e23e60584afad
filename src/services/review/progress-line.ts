/** The running review's progress line in the incident thread; Slack's failures are logged, never fatal. */
import type { Incident } from '../../domain/incident/incident.js';
import type { ReviewProgress } from '../../ports/notifier.js';
import type { ServiceDeps } from '../deps.js';
import { bestEffort } from '../shared/best-effort.js';

const PROGRESS_EVERY_MS = 2000;

/** The progress line in the thread, updated at most every two seconds and when a region ends. */
export class ProgressLine {
  events = 0;
  private keys = 0;
  private regionsDone = 0;
  private ts: string | undefined;
  private lastShown = 0;

  constructor(private readonly deps: ServiceDeps, private readonly incident: Incident, private readonly regions: number) {}

  private get state(): ReviewProgress {
    return { regionsDone: this.regionsDone, regions: this.regions * Math.max(1, this.keys), events: this.events, keys: this.keys };
  }

  async start(): Promise<void> {
    await bestEffort(this.deps.log, 'review progress', this.incident.id, async () => {
      this.ts = await this.deps.notifier.postReviewProgress(this.incident, this.state);
    });
    this.lastShown = Date.now();
  }

  nextKey(): void {
    this.keys++;
  }

  read(n: number): void {
    this.events += n;
    if (Date.now() - this.lastShown >= PROGRESS_EVERY_MS) void this.show();
  }

  regionDone(): void {
    this.regionsDone++;
    void this.show();
  }

  async finish(): Promise<void> {
    await this.show(true);
  }

  private show(done = false): Promise<void> {
    this.lastShown = Date.now();
    if (!this.ts) return Promise.resolve();
    const ts = this.ts;
    return bestEffort(this.deps.log, 'review progress', this.incident.id, () => this.deps.notifier.updateReviewProgress(this.incident, ts, this.state, done));
  }
}
