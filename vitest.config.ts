import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local for the whole run; each test file makes its own table.
    globalSetup: ['test/support/dynamodb-local.global-setup.ts'],
    setupFiles: ['test/support/quiet-sdk.ts', 'test/support/failure-logs.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // CI reads the counts from the JSON report (see .ci/run).
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
