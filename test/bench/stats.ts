/** Percentiles and summaries of measured values (milliseconds unless a caller says otherwise). */

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * Nearest-rank percentile: the smallest value with at least `p` of the values at or below it
 * (so the p99 of fewer than 100 values is their maximum). NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile ${p} is outside [0, 1]`);
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** n, p50, p99, min, max and mean of the finite values; undefined when there are none. */
export function summarize(values: readonly number[]): Summary | undefined {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  return {
    n: finite.length,
    p50: percentile(finite, 0.5),
    p99: percentile(finite, 0.99),
    min: Math.min(...finite),
    max: Math.max(...finite),
    mean: finite.reduce((total, value) => total + value, 0) / finite.length,
  };
}

/** a / b, or undefined when either is missing or b is not a positive number. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return undefined;
  return a / b;
}

/** Rounds for results.json: enough digits to compare runs, not the float noise. */
export function rounded(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function roundedSummary(summary: Summary | undefined): Summary | undefined {
  if (summary === undefined) return undefined;
  return {
    n: summary.n,
    p50: rounded(summary.p50),
    p99: rounded(summary.p99),
    min: rounded(summary.min),
    max: rounded(summary.max),
    mean: rounded(summary.mean),
  };
}
