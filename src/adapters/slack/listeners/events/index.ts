/** Routes only: Events API subscriptions. */
import type { App } from '@slack/bolt';
import type { Services } from '../../../../services/index.js';
import { threadMessage } from './thread-message.js';

/** Registers every event listener. */
export function registerEvents(app: App, services: Pick<Services, 'capture'>): void {
  app.event('message', threadMessage(services.capture));
}
