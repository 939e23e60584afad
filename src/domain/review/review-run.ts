/**
 * One review of a key's CloudTrail history: every event (of the key and of each temporary
 * key derived from it) goes through `add`; `result` sums it up. Pure, and streaming: memory
 * grows with distinct values up to their caps, never with events.
 */
import type { CreatedByKey } from '../action/attachment-origin.js';
import { ActivityAggregator } from './activity.js';
import { CreationTracker } from './created-by-key.js';
import { CredentialTree, rolesToRevoke, userSessions } from './derived-credentials.js';
import { FindingGroups } from './finding-groups.js';
import { DataAccessTracker, findingsOf } from './findings.js';
import type { ActivitySummary, DerivedCredential, FindingGroup, TrailEvent } from './types.js';
import { verdict } from './verdict.js';

/** Values of each activity list (IPs, user agents, regions, services, bursts) kept in the result. */
const KEPT_VALUES = 25;

export interface ReviewResult {
  readonly activity: ActivitySummary;
  /** One per rule and resource, earliest first; bounded whatever the number of events. */
  readonly findings: readonly FindingGroup[];
  /** Events counted in folded findings (rules with more distinct resources than are listed). */
  readonly foldedEvents: number;
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
  private readonly findings = new FindingGroups();

  constructor(rootAccessKeyId: string, private readonly days: number) {
    this.tree = new CredentialTree(rootAccessKeyId);
  }

  /** Takes one event; returns the temporary credentials it minted, when new and kept (see `MAX_CREDENTIALS`). */
  add(event: TrailEvent): DerivedCredential | undefined {
    this.activity.add(event);
    this.data.add(event);
    this.creations.add(event);
    for (const f of findingsOf(event)) this.findings.add(f);
    return this.tree.addEvent(event);
  }

  /** Temporary keys minted past the tree's cap: neither kept nor read. */
  get untrackedCredentials(): number {
    return this.tree.untracked;
  }

  /** The review so far; `partial` when a cap left part of the window unread. */
  result(options: { partial?: boolean } = {}): ReviewResult {
    const full = this.activity.summary();
    const findings = [...this.findings.findings(), ...this.data.findings()].sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
    const credentials = this.tree.credentials();
    return {
      // What is kept and shown: the top values of each list, the rest summed under (others).
      activity: { ...this.activity.summary({ top: KEPT_VALUES }), errorBursts: full.errorBursts.slice(0, KEPT_VALUES) },
      findings,
      foldedEvents: this.findings.foldedEvents,
      credentials,
      tree: this.tree.render(),
      rolesToRevoke: rolesToRevoke(this.tree),
      userSessions: userSessions(this.tree),
      verdict: verdict({ findings, temporarySessions: credentials.length, activity: full, days: this.days, partial: options.partial }),
      created: this.creations.created(),
    };
  }
}
