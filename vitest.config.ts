import { defineConfig } from 'vitest/config';

/**
 * Unit tests; integration tests, one file at a time (they share one Docker engine and the machine's
 * Toxiproxy ports); the skype-2010 end-to-end test on local processes, which touches no engine.
 * `npm test` runs the integration project beside the other two (test/run-lanes.ts). Console output
 * shows only for a test that fails.
 */
export default defineConfig({
  test: {
    silent: 'passed-only',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: ['test/integration/skype-2010-e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/integration/skype-2010-e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
