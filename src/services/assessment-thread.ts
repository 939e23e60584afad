/**
 * How the assessment appears in the incident's thread, laid out so that responders get what
 * they act on after the fewest Slack round trips (each post waits for the one before it):
 *
 *   who        the account with the owner (or the session) in one message, once the owner is recorded
 *   problems   a stage that failed, when it is recorded
 *   proposals  the recommendation's first actions, posted by the propose stage
 *   evidence   what the key can do and the recommendation's steps, in one message after the proposals
 *
 * The root message shows the access and the recommendation as soon as they are recorded, so
 * the proposals never arrive without their reason in view. The account shows on its own only
 * when nothing follows it: the key's account is out of reach, or the owner could not be read.
 */
import type { AssessmentProblem } from '../domain/assessment/assessment.js';
import type { Incident } from '../domain/incident/incident.js';
import type { ThreadUpdateKind } from '../ports/notifier.js';
import type { ServiceDeps } from './deps.js';
import type { SlackBacklog } from './shared/slack-backlog.js';

export class AssessmentThread {
  /** Set while the account is recorded but not yet shown. */
  private account: Incident | undefined;
  private evidence: { incident: Incident; parts: ThreadUpdateKind[] } | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    readonly shown: SlackBacklog,
  ) {}

  /** A stage's finding as recorded; `at` is the incident right after it. */
  found(at: Incident, part: ThreadUpdateKind): void {
    if (part === 'account') {
      this.account = at;
      return;
    }
    if (part === 'permissions' || part === 'recommendation') {
      this.evidence = { incident: at, parts: [...(this.evidence?.parts ?? []), part] };
      return;
    }
    const parts: ThreadUpdateKind[] = this.account ? ['account', part] : [part];
    this.account = undefined;
    this.post(at, parts);
  }

  /** A stage that failed, shown at once, after the account it follows. */
  failed(at: Incident, problem: AssessmentProblem): void {
    this.showAccount();
    this.shown.post('thread', () => this.deps.notifier.postProblem(at, problem));
  }

  /** The assessment is recorded complete: an account nothing followed is shown now. */
  finished(done: Incident): void {
    this.showAccount();
    if (done.assessment.recommendation) this.found(done, 'recommendation');
    if (this.evidence) this.evidence = { ...this.evidence, incident: done };
  }

  /** Posts the evidence, after whatever was posted before (the proposals). */
  showEvidence(): void {
    const evidence = this.evidence;
    this.evidence = undefined;
    if (evidence) this.post(evidence.incident, evidence.parts);
  }

  private showAccount(): void {
    if (this.account) this.post(this.account, ['account']);
    this.account = undefined;
  }

  private post(at: Incident, parts: readonly ThreadUpdateKind[]): void {
    this.shown.post('thread', () => this.deps.notifier.postThread(at, parts));
  }
}
