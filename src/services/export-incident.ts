/** Use case: the postmortem export, uploaded into the incident's thread as a file. */
import { renderCsv } from '../domain/export/csv.js';
import { renderJson } from '../domain/export/json.js';
import { renderMarkdown } from '../domain/export/markdown.js';
import type { ExportInput } from '../domain/export/types.js';
import { type Incident, TimelineEventType } from '../domain/incident/incident.js';
import type { ExportRefusal } from '../domain/refusals.js';
import type { ServiceDeps } from './deps.js';
import { approver, membership } from './incident-access.js';
import { newEvent } from './shared/timeline-events.js';

export type ExportFormat = 'md' | 'json' | 'csv';

export type ExportOutcome =
  | { readonly kind: 'uploaded'; readonly fileId: string; readonly filename: string }
  | { readonly kind: 'refused'; readonly reason: ExportRefusal };

/**
 * Whether `userId` took part: opened it, proposed, approved or denied, or appears in its
 * timeline; a click refused to a non-approver is not taking part.
 */
async function participated(deps: ServiceDeps, incident: Incident, userId: string): Promise<boolean> {
  if (incident.openedBy === userId) return true;
  const actions = await deps.actions.list(incident.id);
  if (actions.some((a) => a.proposedBy === userId || a.deniedBy === userId || a.approvals.some((x) => x.userId === userId))) return true;
  for await (const event of deps.repo.streamEvents(incident.id)) {
    if (event.actor === userId && event.type !== TimelineEventType.ActionRefused) return true;
  }
  return false;
}

/** Why someone other than an approver may not export: not a member of the incident's channel, or never took part. */
async function notForThem(deps: ServiceDeps, incident: Incident, userId: string): Promise<ExportRefusal | undefined> {
  const member = await membership(deps, { userId, channelId: incident.channelId });
  if (member.kind === 'unverified') return member.reason;
  if (member.kind === 'member' && (await participated(deps, incident, userId))) return undefined;
  return { code: 'not-a-participant', incidentId: incident.id };
}

function render(format: ExportFormat, input: ExportInput, now: Date): AsyncIterable<string> {
  if (format === 'json') return renderJson(input);
  if (format === 'csv') return renderCsv(input.events);
  return renderMarkdown(input, now);
}

/** Renders the export (streamed from the table) and uploads it into the thread. */
export async function exportIncident(deps: ServiceDeps, incident: Incident, format: ExportFormat, userId: string): Promise<ExportOutcome> {
  const refusal = await approver(deps, userId) ? undefined : await notForThem(deps, incident, userId);
  if (refusal) return { kind: 'refused', reason: refusal };
  if (!incident.rootTs) return { kind: 'refused', reason: { code: 'no-thread', incidentId: incident.id } };
  const input: ExportInput = { incident, actions: await deps.actions.list(incident.id), events: deps.repo.streamEvents(incident.id) };
  const filename = `${incident.id}-postmortem.${format}`;
  const { fileId } = await deps.uploader.uploadToThread(incident.channelId, incident.rootTs, filename, `${incident.id} timeline (${format})`, render(format, input, deps.clock.now()));
  await deps.repo.append(newEvent(deps, incident.id, TimelineEventType.IncidentExported, userId, `Exported the timeline as ${format}`, { format, fileId }));
  return { kind: 'uploaded', fileId, filename };
}
