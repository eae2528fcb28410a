import { describe, expect, it } from 'vitest';
import { percentile, ratio, summarize } from '../../bench/stats.js';

describe('percentile (nearest rank)', () => {
  it('takes the smallest value with at least p of the values at or below it', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 0.5)).toBe(3);
    expect(percentile(values, 0.2)).toBe(1);
    expect(percentile(values, 0.21)).toBe(2);
    expect(percentile(values, 1)).toBe(5);
    expect(percentile(values, 0)).toBe(1);
  });

  it('gives the maximum as p99 of fewer than 100 values', () => {
    expect(percentile(Array.from({ length: 20 }, (_, i) => i), 0.99)).toBe(19);
    expect(percentile(Array.from({ length: 200 }, (_, i) => i), 0.99)).toBe(197);
  });

  it('ignores values that are not finite, and is NaN for none', () => {
    expect(percentile([Number.NaN, 2, Number.POSITIVE_INFINITY], 0.5)).toBe(2);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('refuses a percentile outside [0, 1]', () => {
    expect(() => percentile([1], 99)).toThrow(/outside/);
  });
});

describe('summarize and ratio', () => {
  it('summarizes n, p50, p99, min, max and mean', () => {
    expect(summarize([4, 1, 3, 2])).toEqual({ n: 4, p50: 2, p99: 4, min: 1, max: 4, mean: 2.5 });
    expect(summarize([])).toBeUndefined();
  });

  it('gives no ratio without a positive denominator', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeUndefined();
    expect(ratio(undefined, 2)).toBeUndefined();
    expect(ratio(3, Number.NaN)).toBeUndefined();
  });
});
