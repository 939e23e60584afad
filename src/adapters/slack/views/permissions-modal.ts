/** The "All permission details" modal: every policy that shapes the key's access. */
import type { types } from '@slack/bolt';
import type { Incident } from '../../../domain/incident/incident.js';
import { code, esc } from '../mrkdwn-escape.js';
import { CallbackId } from '../interaction-ids.js';
import { type Block, context, plain, section } from './blocks.js';
import { sourceLine } from './thread-messages.js';

const MAX_BLOCKS = 100;
const CHUNK = 2800;

/** Packs lines into sections under Slack's per-section text limit. */
function chunked(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let current = '';
  for (const line of lines) {
    if (current.length + line.length + 1 > CHUNK && current !== '') {
      blocks.push(section(current));
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') blocks.push(section(current));
  return blocks;
}

export function permissionsModal(incident: Incident): types.View {
  const p = incident.assessment.permissions;
  const owner = incident.assessment.owner?.userName;
  const blocks: Block[] = p
    ? [
        section(`*${esc(incident.id)}* · ${code(incident.keyId)}${owner ? ` · user ${code(owner)}` : ''}\n*Overall:* ${esc(p.summary)}`),
        ...chunked(p.sources.map((s) => `• ${sourceLine(s)}`)),
      ]
    : [section('The permissions have not been read yet, or could not be read. See the thread for why.')];
  if (p?.boundaryArn) blocks.push(context(`Permissions boundary: ${code(p.boundaryArn)}`));
  blocks.push(context('Levels follow AWS’s published access level of each action; an explicit Deny of everything wins.'));
  return {
    type: 'modal',
    callback_id: CallbackId.PermissionDetailsModal,
    title: plain('Permissions', 24),
    close: plain('Close', 24),
    blocks: blocks.slice(0, MAX_BLOCKS),
  };
}
