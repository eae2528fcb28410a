import { defineConfig } from 'vitest/config';

/**
 * Unit tests; integration tests, one file at a time (they share one Docker engine and the machine's
 * Toxiproxy ports); the end-to-end tests on local processes, which touch no engine.
 * The CLI tests on local processes run one file at a time too. `npm test` runs the end-to-end test
 * beside the rest (test/run-lanes.ts). Console output shows only for a test that fails.
 */
/** Integration tests that drive `chaos` on local processes only. */
const localCliTests = ['test/integration/cli-gates.test.ts', 'test/integration/rehearse.test.ts'];
/**
 * Whole scenarios on local processes, one after the other: skype-2010 three times, then each library
 * scenario (and its counterfactual) once. Never two at once: two networks of 300 clients on two cores
 * starve each other's fleets, and the harness rightly judges such runs unknown.
 */
const endToEndTests = [
  'test/integration/skype-2010-e2e.test.ts',
  'test/integration/library-directory-e2e.test.ts',
  'test/integration/library-resync-e2e.test.ts',
  'test/integration/library-partition-e2e.test.ts',
  'test/integration/library-e2e.test.ts',
  'test/integration/library-partition-fixed-e2e.test.ts',
  'test/integration/library-cold-cache-e2e.test.ts',
];

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
          exclude: [...endToEndTests, ...localCliTests],
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
          include: endToEndTests,
          testTimeout: 180_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
