/** Routes only: slash commands. */
import type { App } from '@slack/bolt';
import type { Services } from '../../../../services/index.js';
import { COMMAND } from '../../interaction-ids.js';
import { keyIncidentCommand } from './key-incident.js';

/** Registers every slash command. */
export function registerCommands(app: App, services: Services): void {
  app.command(COMMAND, keyIncidentCommand(services));
}
