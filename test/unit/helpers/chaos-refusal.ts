import { ChaosError } from '../../../harness/errors.js';

/** The ChaosError `run` throws; any other error is thrown on, and a run that throws none fails the test. */
export function chaosRefusal(run: () => unknown): ChaosError {
  try {
    run();
  } catch (error) {
    if (error instanceof ChaosError) return error;
    throw error;
  }
  throw new Error('expected a ChaosError, and nothing was thrown');
}
