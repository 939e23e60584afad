/** The incident's root message: always the current state, readable at a glance on a phone. */
import { type Action, tookEffect } from '../../../domain/action/lifecycle.js';
import { ACTIONS } from '../../../domain/action/kinds.js';
import { mayActOn } from '../../../domain/action/approval-policy.js';
import { defaultTarget, keyStateAfter, type KeyStateAfter, menuKinds } from '../../../domain/incident/action-menu.js';
import type { Incident } from '../../../domain/incident/incident.js';
import { ActionId } from '../interaction-ids.js';
import { actionProgress } from './action-progress.js';
import { code, esc, mention, slackDate } from '../mrkdwn-escape.js';
import { accessText, accountText, keyStateText, lastUsedText, ownerText } from './assessment-text.js';
import { type Block, context, fields, header, plain, section } from './blocks.js';

export interface SlackMessage {
  readonly text: string;
  readonly blocks: Block[];
}

/** One line for the incident's state, e.g. "Open · Disable the key now". */
export function statusLine(incident: Incident): string {
  const a = incident.assessment;
  const next = a.recommendation ? a.recommendation.headline : a.complete ? 'assessment done' : 'assessing…';
  if (incident.status === 'resolved') return `Resolved${incident.resolution ? ` · ${incident.resolution}` : ''}`;
  return `${incident.status === 'contained' ? 'Contained' : 'Open'} · ${next}`;
}

/** Export, and the actions menu while actions may be proposed (not once the incident is resolved). */
function moreActions(incident: Incident): Block {
  return {
    type: 'actions',
    elements: [{
      type: 'button',
      action_id: ActionId.ExportTimeline,
      text: plain('Export timeline', 75),
      value: incident.id,
    }, ...(mayActOn(incident).allowed ? [{
      type: 'static_select' as const,
      action_id: ActionId.MoreActions,
      placeholder: plain('More actions…', 150),
      options: menuKinds(incident).map((kind) => ({ text: plain(ACTIONS[kind].title, 75), value: `${incident.id}:${kind}` })),
    }] : [])],
  };
}

export function rootMessage(incident: Incident, actions: readonly Action[] = []): SlackMessage {
  const a = incident.assessment;
  const progress = actionProgress(actions);
  const blocks: Block[] = [
    header(`🔑 ${incident.id} · exposed access key`),
    // Once people act, their actions are the news; until then, the recommendation.
    section(`${code(incident.keyId)}\n${progress && incident.status !== 'resolved' ? `*${incident.status === 'contained' ? 'Contained' : 'Open'}* · ${progress}` : `*${esc(statusLine(incident))}*`}`),
    fields([
      ['Account', accountText(a)],
      ['Owner', ownerText(a)],
      ['Key', keyStateLabel(keyStateAfter(incident, actions)) ?? keyStateText(a)],
      ['Last used', lastUsedText(a)],
      ['Access', accessText(a)],
    ]),
  ];
  if (a.recommendation && !actions.some(tookEffect)) blocks.push(section(`*Next:* ${esc(a.recommendation.reason)}`));
  if (incident.review) blocks.push(section(reviewLine(incident.review)));
  if (incident.note) blocks.push(context(`📝 ${esc(incident.note)}`));
  const problems = a.problems.length;
  const notes = [`Opened by ${mention(incident.openedBy)} · ${slackDate(incident.openedAt)} · details in the thread`];
  if (problems > 0) notes.unshift(`⚠️ ${problems} problem${problems > 1 ? 's' : ''} reading AWS, see the thread`);
  blocks.push(context(...notes));
  // The menu's actions need a target: the key's owner, in an account the bot can act in.
  if (defaultTarget(incident)) blocks.push(moreActions(incident));
  return { text: esc(`${incident.id}: exposed key ${incident.keyId} · ${statusLine(incident)}`), blocks };
}

const KEY_STATE: Readonly<Record<KeyStateAfter, string>> = {
  disabled: '⚪ Inactive (disabled)',
  enabled: '🟢 Active (re-enabled)',
  deleted: '🗑️ Deleted',
};

const keyStateLabel = (state: KeyStateAfter | undefined) => (state ? KEY_STATE[state] : undefined);

function reviewLine(r: NonNullable<Incident['review']>): string {
  if (r.status === 'running') return `🔎 *CloudTrail review (last ${r.days} days):* running…`;
  const problems = r.problems && r.problems.length > 0 ? ` · ⚠️ ${r.problems.length} region scan${r.problems.length > 1 ? 's' : ''} failed` : '';
  return `🔎 *CloudTrail review (last ${r.days} days):* ${esc(r.verdict ?? 'done')}${problems}`;
}
