import { ChaosError } from '../errors.js';
import type { Duration } from './types.js';

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** A whole duration string: numbers each with its unit, e.g. `1h30m`. */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const partPattern = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

export const DURATION_HINT = 'write a number and a unit (ms, s, m, h, d), e.g. "250ms", "1.5s", "30m", "20h" or "1h30m"';

/** Milliseconds in a duration string, or undefined when it does not parse. */
export function tryParseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(partPattern)) {
    total += Number(amount) * unitMs[unit as keyof typeof unitMs];
  }
  return total;
}

/** Milliseconds in a duration string such as `"90s"` or `"1h30m"`. */
export function parseDuration(text: Duration): number {
  const ms = tryParseDuration(text);
  if (ms === undefined) {
    throw new ChaosError('INVALID_SCENARIO', `"${text}" is not a duration`, { hint: DURATION_HINT });
  }
  return ms;
}

/** A short human form of milliseconds: `250ms`, `1.5s`, `2m30s`, `20h`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${round(ms)}ms`;
  if (ms < 60_000) return `${round(ms / 1_000)}s`;
  if (ms < 3_600_000) {
    const minutes = Math.floor(ms / 60_000);
    const seconds = round((ms - minutes * 60_000) / 1_000);
    return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
  }
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms - hours * 3_600_000) / 60_000);
  return minutes === 0 ? `${hours}h` : `${hours}h${minutes}m`;
}

const round = (value: number): number => Math.round(value * 100) / 100;
