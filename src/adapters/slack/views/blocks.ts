/** Small Block Kit builders; untrusted text is escaped by the caller with `esc`/`code`. */
import type { types } from '@slack/bolt';
import { clip } from '../mrkdwn-escape.js';

export type Block = types.KnownBlock;

/** Slack's limit for a section's text. */
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;

/** mrkdwn shown as written: no auto-linking of URLs, channels or mentions. */
export const md = (text: string, max = SECTION_MAX) => ({ type: 'mrkdwn' as const, text: clip(text, max), verbatim: true });
export const plain = (text: string, max = 150) => ({ type: 'plain_text' as const, text: clip(text, max), emoji: true });

export const header = (text: string): Block => ({ type: 'header', text: plain(text) });
export const section = (text: string): Block => ({ type: 'section', text: md(text) });
export const context = (...texts: string[]): Block => ({ type: 'context', elements: texts.slice(0, 10).map((t) => md(t)) });
export const divider = (): Block => ({ type: 'divider' });

/** A section of label/value pairs (two columns on desktop, stacked on a phone). */
export function fields(pairs: ReadonlyArray<readonly [string, string]>): Block {
  return {
    type: 'section',
    fields: pairs.slice(0, 10).map(([label, value]) => md(`*${label}*\n${value}`, FIELD_MAX)),
  };
}

export function button(actionId: string, text: string, value: string): Block {
  return { type: 'actions', elements: [{ type: 'button', action_id: actionId, text: plain(text, 75), value }] };
}
