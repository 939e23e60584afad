/**
 * The three notifier ports in one recording fake: every post and update is kept (with the
 * incident or action as it was shown), each post gets a fresh `ts`, and any method can be made
 * to fail (with a `SlackError`) or be held through `faults`.
 */
import type { ThreadNote } from '../../../src/domain/incident/thread-note.js';
import type { Action } from '../../../src/domain/action/lifecycle.js';
import type { AssessmentProblem } from '../../../src/domain/assessment/assessment.js';
import type { Incident } from '../../../src/domain/incident/incident.js';
import type { ReviewResult } from '../../../src/domain/review/review-run.js';
import type { ActionNotifier, IncidentNotifier, ReviewNotifier, ReviewProgress, ThreadUpdateKind } from '../../../src/ports/notifier.js';
import { Faults } from './faults.js';
import { copy } from './memory-table.js';

export type NotifierMethod = (keyof IncidentNotifier | keyof ActionNotifier | keyof ReviewNotifier) & string;

export interface Notification {
  readonly method: NotifierMethod;
  readonly incident: Incident;
  readonly action?: Action;
  /** The parts of the assessment one thread message shows. */
  readonly thread?: readonly ThreadUpdateKind[];
  readonly problem?: AssessmentProblem;
  readonly text?: string;
  readonly progress?: ReviewProgress;
  readonly result?: ReviewResult;
  readonly ts?: string;
}

export class RecordingNotifier implements IncidentNotifier, ActionNotifier, ReviewNotifier {
  readonly faults = new Faults<NotifierMethod>();
  readonly sent: Notification[] = [];
  private posts = 0;

  /** Notifications made by `method`, oldest first. */
  of(method: NotifierMethod): Notification[] {
    return this.sent.filter((n) => n.method === method);
  }

  async postRoot(incident: Incident): Promise<string> {
    return this.post('postRoot', { incident });
  }

  async updateRoot(incident: Incident, actions?: readonly Action[]): Promise<void> {
    await this.record('updateRoot', { incident, ...(actions ? { text: actions.map((a) => `${a.kind}:${a.status}`).join(',') } : {}) });
  }

  async postThread(incident: Incident, parts: readonly ThreadUpdateKind[]): Promise<void> {
    await this.record('postThread', { incident, thread: [...parts] });
  }

  async postProblem(incident: Incident, problem: AssessmentProblem): Promise<void> {
    await this.record('postProblem', { incident, problem });
  }

  async permalink(incident: Incident): Promise<string | undefined> {
    await this.record('permalink', { incident });
    return incident.rootTs ? `https://slack.example/archives/${incident.channelId}/p${incident.rootTs.replace('.', '')}` : undefined;
  }

  async postProposal(incident: Incident, action: Action): Promise<string> {
    return this.post('postProposal', { incident, action });
  }

  async updateProposal(incident: Incident, action: Action): Promise<void> {
    await this.record('updateProposal', { incident, action });
  }

  async postNote(incident: Incident, note: ThreadNote): Promise<void> {
    await this.record('postNote', { incident, text: note.kind });
  }

  async postReviewProgress(incident: Incident, progress: ReviewProgress): Promise<string> {
    return this.post('postReviewProgress', { incident, progress });
  }

  async updateReviewProgress(incident: Incident, ts: string, progress: ReviewProgress, done: boolean): Promise<void> {
    await this.record('updateReviewProgress', { incident, ts, progress, text: done ? 'done' : 'running' });
  }

  async postReviewResult(incident: Incident, result: ReviewResult): Promise<void> {
    await this.record('postReviewResult', { incident, result });
  }

  private async post(method: NotifierMethod, fields: Omit<Notification, 'method'>): Promise<string> {
    await this.faults.enter(method, [fields]);
    this.posts += 1;
    const ts = `1740823200.${this.posts.toString().padStart(6, '0')}`;
    this.sent.push(copy({ method, ...fields, ts }));
    return ts;
  }

  private async record(method: NotifierMethod, fields: Omit<Notification, 'method'>): Promise<void> {
    await this.faults.enter(method, [fields]);
    this.sent.push(copy({ method, ...fields }));
  }
}
