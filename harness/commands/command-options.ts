import { InvalidArgumentError } from 'commander';
import { ExitCode } from '../errors.js';
import { MAX_SEED, SEED_HINT } from '../scenario/scenario-schema.js';

/** `--seed`: the same range as a scenario's seed (the seeded sources take 32 bits, --repeat derives 31). */
export function parseSeed(value: string): number {
  const seed = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seed) || seed > MAX_SEED) throw new InvalidArgumentError(`"${value}" is not a seed: give ${SEED_HINT}`);
  return seed;
}

const severity: readonly ExitCode[] = [ExitCode.ok, ExitCode.targetMissed, ExitCode.invalidInput, ExitCode.infrastructure, ExitCode.interrupted];

/** The exit code that says the most: interrupted > infrastructure > invalid input > target missed > ok. */
export function severest(codes: readonly ExitCode[]): ExitCode {
  return codes.reduce<ExitCode>((worst, code) => (severity.indexOf(code) > severity.indexOf(worst) ? code : worst), ExitCode.ok);
}
