/** Routes only: buttons and menus on the incident's messages. */
import type { App } from '@slack/bolt';
import type { Services } from '../../../../services/index.js';
import { ActionId } from '../../interaction-ids.js';
import { decideActionButton } from './decide-action.js';
import { exportTimelineButton } from './export-timeline.js';
import { moreActionsMenu } from './more-actions.js';
import { permissionDetailsButton } from './permission-details.js';
import { proposeFollowUpButton } from './propose-follow-up.js';

/** Registers every block action. */
export function registerActions(app: App, services: Services): void {
  app.action(ActionId.PermissionDetails, permissionDetailsButton(services));
  app.action(ActionId.Approve, decideActionButton(services, 'approve'));
  app.action(ActionId.Deny, decideActionButton(services, 'deny'));
  app.action(ActionId.Undo, proposeFollowUpButton(services, 'undo'));
  app.action(ActionId.ProposeAgain, proposeFollowUpButton(services, 'again'));
  app.action(ActionId.ExportTimeline, exportTimelineButton(services));
  app.action(ActionId.MoreActions, moreActionsMenu(services));
}
