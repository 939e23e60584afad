/**
 * One review of a key's CloudTrail history: every event (of the key and of each temporary
 * key derived from it) goes through `add`; `result` sums it up. Pure, and streaming: memory
 * grows with distinct values and findings, not with events.
 */
import type { CreatedByKey } from '../action/attachment-origin.js';
import { ActivityAggregator } from './activity.js';
import { CreationTracker } from './created-by-key.js';
import { CredentialTree, rolesToRevoke, userSessions } from './derived-credentials.js';
import { DataAccessTracker, findingsOf } from './findings.js';
import type { ActivitySummary, DerivedCredential, Finding, TrailEvent } from './types.js';
import { verdict } from './verdict.js';

export interface ReviewResult {
  readonly activity: ActivitySummary;
  readonly findings: readonly Finding[];
  readonly credentials: readonly DerivedCredential[];
  /** Indented text of the credential tree, root first. */
  readonly tree: string;
  readonly rolesToRevoke: readonly string[];
  readonly userSessions: readonly DerivedCredential[];
  readonly verdict: string;
  /** Roles, users and policies the key created: whose attachments are the attacker's. */
  readonly created: CreatedByKey;
}

export class ReviewRun {
  private readonly activity = new ActivityAggregator();
  private readonly data = new DataAccessTracker();
  private readonly creations = new CreationTracker();
  private readonly tree: CredentialTree;
  private readonly findings: Finding[] = [];

  constructor(rootAccessKeyId: string, private readonly days: number) {
    this.tree = new CredentialTree(rootAccessKeyId);
  }

  /** Takes one event; returns the temporary credentials it minted, when new. */
  add(event: TrailEvent): DerivedCredential | undefined {
    this.activity.add(event);
    this.data.add(event);
    this.creations.add(event);
    this.findings.push(...findingsOf(event));
    return this.tree.addEvent(event);
  }

  result(): ReviewResult {
    const activity = this.activity.summary();
    const findings = [...this.findings, ...this.data.findings()].sort((a, b) => a.eventTime.localeCompare(b.eventTime));
    const credentials = this.tree.credentials();
    return {
      activity,
      findings,
      credentials,
      tree: this.tree.render(),
      rolesToRevoke: rolesToRevoke(this.tree),
      userSessions: userSessions(this.tree),
      verdict: verdict({ findings, temporarySessions: credentials.length, activity, days: this.days }),
      created: this.creations.created(),
    };
  }
}
