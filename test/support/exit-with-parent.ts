/**
 * Preloaded into bot processes started by `bot-process.ts` (`node --import`): the process ends
 * itself once the test process that started it is gone (it is then re-parented), so no bot
 * outlives a test run, even one killed without running its hooks. Nothing in `src/` knows.
 */
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
}, 500).unref();
