/** `IncidentNotifier` on the Slack Web API. */
import type { webApi } from '@slack/bolt';
import type { AssessmentProblem } from '../../../domain/assessment/assessment.js';
import { SlackError } from '../../../domain/errors.js';
import type { Incident } from '../../../domain/incident/incident.js';
import type { ThreadNote } from '../../../domain/incident/thread-note.js';
import type { Action } from '../../../domain/action/lifecycle.js';
import type { ReviewResult } from '../../../domain/review/review-run.js';
import type { ActionNotifier, IncidentNotifier, ReviewNotifier, ReviewProgress, ThreadUpdateKind } from '../../../ports/notifier.js';
import { reviewFindingsMessages, reviewProgressMessage, reviewSummaryMessage } from '../views/review-messages.js';
import { proposalMessage } from '../views/proposal-message.js';
import { rootMessage, type SlackMessage } from '../views/root-message.js';
import { noteMessage } from '../views/thread-notes.js';
import {
  accountMessage,
  joinMessages,
  ownerMessage,
  permissionsMessage,
  problemMessage,
  recommendationMessage,
  sessionMessage,
} from '../views/thread-messages.js';
import { callWebApi } from './web-api-call.js';

const THREAD_VIEWS: Record<ThreadUpdateKind, (i: Incident) => SlackMessage | undefined> = {
  account: accountMessage,
  session: sessionMessage,
  owner: ownerMessage,
  permissions: permissionsMessage,
  recommendation: recommendationMessage,
};

export class SlackNotifier implements IncidentNotifier, ActionNotifier, ReviewNotifier {
  constructor(private readonly client: webApi.WebClient) {}

  async postRoot(incident: Incident): Promise<string> {
    const message = rootMessage(incident);
    try {
      return await this.post(incident.channelId, message);
    } catch (err) {
      // A public channel the bot is not in: join it (channels:join) and try once more.
      if (!(err instanceof SlackError) || err.code !== 'not_in_channel') throw err;
      await callWebApi('conversations.join', () => this.client.conversations.join({ channel: incident.channelId }));
      return await this.post(incident.channelId, message);
    }
  }

  async updateRoot(incident: Incident, actions: readonly Action[] = []): Promise<void> {
    if (!incident.rootTs) return;
    const { text, blocks } = rootMessage(incident, actions);
    await callWebApi('chat.update', () => this.client.chat.update({ channel: incident.channelId, ts: incident.rootTs!, text, blocks }));
  }

  async postThread(incident: Incident, parts: readonly ThreadUpdateKind[]): Promise<void> {
    const message = joinMessages(parts.map((part) => THREAD_VIEWS[part](incident)));
    if (message && incident.rootTs) await this.post(incident.channelId, message, incident.rootTs);
  }

  async postProblem(incident: Incident, problem: AssessmentProblem): Promise<void> {
    if (incident.rootTs) await this.post(incident.channelId, problemMessage(problem), incident.rootTs);
  }

  async postProposal(incident: Incident, action: Action): Promise<string> {
    if (!incident.rootTs) throw new SlackError('no_thread', 'chat.postMessage');
    return this.post(incident.channelId, proposalMessage(action), incident.rootTs);
  }

  async updateProposal(incident: Incident, action: Action): Promise<void> {
    if (!action.messageTs) return;
    const { text, blocks } = proposalMessage(action);
    await callWebApi('chat.update', () => this.client.chat.update({ channel: incident.channelId, ts: action.messageTs!, text, blocks }));
  }

  async postNote(incident: Incident, note: ThreadNote): Promise<void> {
    if (incident.rootTs) await this.post(incident.channelId, noteMessage(note), incident.rootTs);
  }

  async postReviewProgress(incident: Incident, progress: ReviewProgress): Promise<string> {
    if (!incident.rootTs) throw new SlackError('no_thread', 'chat.postMessage');
    return this.post(incident.channelId, reviewProgressMessage(progress, false), incident.rootTs);
  }

  async updateReviewProgress(incident: Incident, ts: string, progress: ReviewProgress, done: boolean): Promise<void> {
    const { text, blocks } = reviewProgressMessage(progress, done);
    await callWebApi('chat.update', () => this.client.chat.update({ channel: incident.channelId, ts, text, blocks }));
  }

  async postReviewResult(incident: Incident, result: ReviewResult): Promise<void> {
    if (!incident.rootTs) return;
    await this.post(incident.channelId, reviewSummaryMessage(result, incident.keyId, incident.review), incident.rootTs);
    for (const message of reviewFindingsMessages(result.findings)) await this.post(incident.channelId, message, incident.rootTs);
  }

  async permalink(incident: Incident): Promise<string | undefined> {
    if (!incident.rootTs) return undefined;
    const res = await callWebApi('chat.getPermalink', () =>
      this.client.chat.getPermalink({ channel: incident.channelId, message_ts: incident.rootTs! }));
    return res.permalink;
  }

  private async post(channel: string, { text, blocks }: SlackMessage, threadTs?: string): Promise<string> {
    const res = await callWebApi('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      }));
    if (!res.ts) throw new SlackError('no_ts', 'chat.postMessage');
    return res.ts;
  }
}
