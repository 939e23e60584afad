import type { Action } from '../domain/action/lifecycle.js';
import type { AssessmentProblem } from '../domain/assessment/assessment.js';
import type { Incident } from '../domain/incident/incident.js';
import type { ThreadNote } from '../domain/incident/thread-note.js';
import type { ReviewResult } from '../domain/review/review-run.js';

/** A part of the assessment as the thread shows it; one message shows one or more parts. */
export type ThreadUpdateKind = 'account' | 'session' | 'owner' | 'permissions' | 'recommendation';

/**
 * The incident's presence in chat. Errors are `SlackError` (code = Slack's error string).
 */
export interface IncidentNotifier {
  /** Posts the root message in the incident's channel; returns its ts. */
  postRoot(incident: Incident): Promise<string>;
  /** Re-renders the root message from the incident's current state and its actions. */
  updateRoot(incident: Incident, actions?: readonly Action[]): Promise<void>;
  /** Posts parts of the assessment in the thread, as one message, in the order given. */
  postThread(incident: Incident, parts: readonly ThreadUpdateKind[]): Promise<void>;
  /** Posts a problem line in the thread. */
  postProblem(incident: Incident, problem: AssessmentProblem): Promise<void>;
  /** A link to the root message, when it can be had. */
  permalink(incident: Incident): Promise<string | undefined>;
}

/** The incident's actions in chat: proposal messages in the thread. Errors are `SlackError`. */
export interface ActionNotifier {
  /** Posts the proposal in the incident's thread; returns its ts. */
  postProposal(incident: Incident, action: Action): Promise<string>;
  /** Re-renders the proposal message from the action's current state. */
  updateProposal(incident: Incident, action: Action): Promise<void>;
  /** A line in the incident's thread telling of a change; the adapter words it. */
  postNote(incident: Incident, note: ThreadNote): Promise<void>;
}

/** Progress of a running review, as shown in the thread. */
export interface ReviewProgress {
  readonly regionsDone: number;
  readonly regions: number;
  readonly events: number;
  readonly keys: number;
}

/** The review's presence in the incident thread. Errors are `SlackError`. */
export interface ReviewNotifier {
  /** Posts the progress line; returns its ts. */
  postReviewProgress(incident: Incident, progress: ReviewProgress): Promise<string>;
  updateReviewProgress(incident: Incident, ts: string, progress: ReviewProgress, done: boolean): Promise<void>;
  /** Posts the summary, the credential tree and the findings. */
  postReviewResult(incident: Incident, result: ReviewResult): Promise<void>;
}

/** The incident, its actions and its review in chat: one Slack presence, one port. */
export type Notifier = IncidentNotifier & ActionNotifier & ReviewNotifier;
