/** Entry point: `.env` → config → app; stops cleanly on SIGTERM/SIGINT. */
import { config as loadDotenv } from 'dotenv';
import { startApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

loadDotenv({ quiet: true });

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const running = await startApp(config);
  const stop = (signal: string) => {
    running.log.info({ signal }, 'stopping');
    running.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  // Config problems are already a readable list; anything else gets its name and message only.
  console.error(err instanceof ConfigError ? err.message : `key-incident failed to start: ${(err as Error).message}`);
  process.exit(1);
});
