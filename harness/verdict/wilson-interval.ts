/** The standard normal quantile for a two-sided 95% interval (Φ⁻¹(0.975)). */
export const Z95 = 1.959963984540054;

/** A closed interval [low, high] within [0, 1]. */
export type Interval = readonly [low: number, high: number];

/**
 * The Wilson score interval of a binomial proportion: `successes` out of `trials`, at the
 * confidence whose normal quantile is `z` (95% by default).
 *
 *   p = x/n, center = (p + z²/2n) / (1 + z²/n),
 *   half = z / (1 + z²/n) · √(p(1-p)/n + z²/4n²)
 *
 * Unlike the normal (Wald) interval it stays inside [0, 1] and does not collapse to a point at
 * 0/n or n/n, which is what a handful of repeated chaos runs mostly gives. With no trials there is
 * no information: [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval {
  if (!Number.isInteger(trials) || trials < 0) throw new RangeError(`trials must be a non-negative integer, got ${trials}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`successes must be an integer in [0, ${trials}], got ${successes}`);
  }
  if (!(z > 0) || !Number.isFinite(z)) throw new RangeError(`z must be a positive number, got ${z}`);
  if (trials === 0) return [0, 1];
  const n = trials;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0/n and n/n the bounds are exactly 0 and 1; say so instead of carrying rounding error.
  const low = successes === 0 ? 0 : Math.max(0, center - half);
  const high = successes === n ? 1 : Math.min(1, center + half);
  return [low, high];
}
