/** Entry point: `.env` → config → app; stops cleanly on SIGTERM/SIGINT, during start-up too. */
import { config as loadDotenv } from 'dotenv';
import { type RunningApp, startApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';

loadDotenv({ quiet: true });

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  let running: RunningApp | undefined;
  const stop = (signal: string) => {
    // Nothing is served or executing before start-up ends: say so and leave.
    if (!running) {
      createLogger(config.logLevel).info({ signal }, 'stopping before start-up finished');
      process.exit(0);
    }
    running.log.info({ signal }, 'stopping');
    running.stop().then(() => process.exit(0), () => process.exit(1));
  };
  // Before start-up, so that an orchestrator's stop at any moment is a clean one.
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  running = await startApp(config);
}

main().catch((err: unknown) => {
  // Config problems are already a readable list; anything else gets its name and message only.
  console.error(err instanceof ConfigError ? err.message : `key-incident failed to start: ${(err as Error).message}`);
  process.exit(1);
});
