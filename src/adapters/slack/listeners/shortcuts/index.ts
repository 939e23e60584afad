/** Routes only: shortcuts. */
import type { App } from '@slack/bolt';
import type { Services } from '../../../../services/index.js';
import { CallbackId } from '../../interaction-ids.js';
import { addToTimeline } from './add-to-timeline.js';

/** Registers every shortcut. */
export function registerShortcuts(app: App, services: Pick<Services, 'capture'>): void {
  app.shortcut({ callback_id: CallbackId.AddToTimeline, type: 'message_action' }, addToTimeline(services.capture));
}
