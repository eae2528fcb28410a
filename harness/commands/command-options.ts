import { InvalidArgumentError } from 'commander';
import { ExitCode } from '../errors.js';

export function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError(`"${value}" is not an integer seed`);
  return seed;
}

const severity: readonly ExitCode[] = [ExitCode.ok, ExitCode.targetMissed, ExitCode.invalidInput, ExitCode.infrastructure, ExitCode.interrupted];

/** The exit code that says the most: interrupted > infrastructure > invalid input > target missed > ok. */
export function severest(codes: readonly ExitCode[]): ExitCode {
  return codes.reduce<ExitCode>((worst, code) => (severity.indexOf(code) > severity.indexOf(worst) ? code : worst), ExitCode.ok);
}
