import { defineConfig } from 'vitest/config';

/**
 * Unit tests; integration tests, one file at a time (they share one Docker engine and the machine's
 * Toxiproxy ports); the skype-2010 end-to-end test on local processes, which touches no engine.
 * The CLI tests on local processes run one file at a time too. `npm test` runs the end-to-end test
 * beside the rest (test/run-lanes.ts). Console output shows only for a test that fails.
 */
/** Integration tests that drive `chaos` on local processes only. */
const localCliTests = ['test/integration/cli-gates.test.ts', 'test/integration/rehearse.test.ts'];

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
          exclude: ['test/integration/skype-2010-e2e.test.ts', ...localCliTests],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
        },
      },
      {
        test: {
          name: 'local',
          include: localCliTests,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
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
