import { ChaosError } from '../errors.js';

const nodeNamePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
const reservedNames = new Set(['toxiproxy']);

/** Node names are DNS names on the run's Docker network; `toxiproxy` is taken by the proxy server. */
export function checkNodeName(name: string): void {
  if (!nodeNamePattern.test(name) || reservedNames.has(name)) {
    throw new ChaosError('INVALID_CONFIG', `node name "${name}" is not usable`, {
      hint: 'use 1-63 lower-case letters, digits and dashes, starting with a letter or digit, and not "toxiproxy"',
    });
  }
}

/** Exit code of a process ended by a signal, as shells and Docker report it (SIGKILL → 137). */
export function processExitCode(code: number | null, signal: NodeJS.Signals | null, signals: Record<string, number>): number | undefined {
  if (code !== null) return code;
  if (signal === null) return undefined;
  const number = signals[signal];
  return number === undefined ? undefined : 128 + number;
}
