/**
 * Use case: what people write in an incident's thread becomes part of its timeline, at its
 * original time and with its author; edits and deletions are recorded too. Slack may deliver
 * an event twice: each message, edit and deletion has one event id, so a copy is ignored.
 */
import { KeyIncidentError } from '../domain/errors.js';
import { type Incident, type TimelineEvent, TimelineEventType } from '../domain/incident/incident.js';
import type { ReplyDeleted, ReplyEdited, ReplyPosted, ShortcutOutcome, ShortcutUsed, ThreadCapture } from '../ports/thread-capture.js';
import { secretIn } from '../domain/secrets.js';
import type { ServiceDeps } from './deps.js';
import { showNote } from './shared/show-in-slack.js';
import { eventOf } from './shared/timeline-events.js';

const MAX_TEXT = 3000;

/** Message text as recorded: clipped, and never a secret; the placeholder names what was withheld. */
function recorded(text: string | undefined): string {
  if (text === undefined) return '';
  const secret = secretIn(text);
  return secret ? `[message not recorded: it held what looks like ${secret}]` : text.slice(0, MAX_TEXT);
}

/** Records the event unless it is already recorded; true when this call recorded it. */
async function appendOnce(deps: ServiceDeps, event: TimelineEvent): Promise<boolean> {
  try {
    await deps.repo.append(event);
    return true;
  } catch (err) {
    // The same message, edit or deletion delivered again: already in the timeline.
    if (!(err instanceof KeyIncidentError && err.code === 'event_already_recorded')) throw err;
    return false;
  }
}

/** Records a message of the thread; one withheld as a secret is also named in the thread, once. */
async function recordMessage(deps: ServiceDeps, incident: Incident, event: TimelineEvent, text: string | undefined): Promise<void> {
  const secret = text === undefined ? undefined : secretIn(text);
  if (!(await appendOnce(deps, event)) || !secret) return;
  deps.background.run('note', incident.id, () => showNote(deps, incident, { kind: 'secret-withheld', what: secret }));
}

/** Slack's own message ids and times stamp these events, so a redelivery lands on the same id. */
function event(incident: Incident, id: string, at: string, type: TimelineEvent['type'], actor: string, summary: string, details: Record<string, unknown>): TimelineEvent {
  return eventOf(incident.id, { id, at }, { type, actor, summary, details });
}

export function threadCapture(deps: ServiceDeps): ThreadCapture {
  const incidentOf = (channel: string, threadTs: string | undefined) => (threadTs ? deps.repo.findByRoot(channel, threadTs) : Promise.resolve(undefined));
  return {
    async replyPosted(e: ReplyPosted) {
      const incident = await incidentOf(e.channel, e.threadTs);
      if (!incident) return;
      await recordMessage(deps, incident, event(incident, `msg-${e.ts}`, e.at, TimelineEventType.NoteAdded, e.user, recorded(e.text), { source: 'thread', ts: e.ts }), e.text);
    },
    async replyEdited(e: ReplyEdited) {
      const incident = await incidentOf(e.channel, e.threadTs);
      if (!incident) return;
      await recordMessage(deps, incident, event(incident, `edit-${e.ts}-${e.editedAt}`, e.editedAt, TimelineEventType.NoteEdited, e.user, recorded(e.text), { source: 'thread', ts: e.ts }), e.text);
    },
    async replyDeleted(e: ReplyDeleted) {
      const incident = await incidentOf(e.channel, e.threadTs);
      if (!incident) return;
      await appendOnce(deps, event(incident, `del-${e.ts}`, e.deletedAt, TimelineEventType.NoteDeleted, e.user ?? 'unknown', 'Message deleted from the thread', { source: 'thread', ts: e.ts }));
    },
    async shortcut(e: ShortcutUsed): Promise<ShortcutOutcome> {
      // The message's own incident (in its thread, or its root); otherwise the channel's only open one.
      let incident = (await incidentOf(e.channel, e.threadTs)) ?? (await deps.repo.findByRoot(e.channel, e.ts));
      if (!incident) {
        const open = (await deps.repo.listOpen()).filter((i) => i.channelId === e.channel);
        incident = open.length === 1 ? open[0] : undefined;
      }
      if (!incident) {
        return { kind: 'no-incident' };
      }
      await recordMessage(deps, incident, event(incident, `msg-${e.ts}`, e.at, TimelineEventType.NoteAdded, e.user ?? e.addedBy, recorded(e.text), { source: 'shortcut', ts: e.ts, addedBy: e.addedBy, channel: e.channel }), e.text);
      return { kind: 'added', incidentId: incident.id };
    },
  };
}
