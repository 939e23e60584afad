import type { App } from '@slack/bolt';
import type { Services } from '../../../services/index.js';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import { registerEvents } from './events/index.js';
import { registerShortcuts } from './shortcuts/index.js';

/** Routes only: one register function per kind of listener. */
export function registerListeners(app: App, services: Services): void {
  registerCommands(app, services);
  registerActions(app, services);
  registerEvents(app, services);
  registerShortcuts(app, services);
}
