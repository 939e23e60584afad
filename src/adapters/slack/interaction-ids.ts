/** Action, block and callback ids shared by views and listener registration. */
import { isIncidentId } from '../../domain/access-key.js';

export const COMMAND = '/key-incident';

export const ActionId = {
  PermissionDetails: 'ki_permission_details',
  Approve: 'ki_approve',
  Deny: 'ki_deny',
  MoreActions: 'ki_more_actions',
  Undo: 'ki_undo',
  ProposeAgain: 'ki_propose_again',
  ExportTimeline: 'ki_export_timeline',
} as const;

/** Button values carry the incident and the action: `KI-7F3A9C:01J…`. */
export function actionRef(incidentId: string, actionId: string): string {
  return `${incidentId}:${actionId}`;
}

/** Reads an `actionRef` (or `incidentId:kind` for the menu); undefined when malformed. */
export function parseRef(value: string | undefined): { incidentId: string; rest: string } | undefined {
  const [incidentId, rest, ...more] = (value ?? '').split(':');
  if (incidentId === undefined || rest === undefined || more.length > 0) return undefined;
  return isIncidentId(incidentId) && /^[A-Za-z0-9-]{1,40}$/.test(rest) ? { incidentId, rest } : undefined;
}

export const CallbackId = {
  PermissionDetailsModal: 'ki_permission_details_modal',
  /** The message shortcut (manifest.yml: features.shortcuts). */
  AddToTimeline: 'ki_add_to_timeline',
} as const;
