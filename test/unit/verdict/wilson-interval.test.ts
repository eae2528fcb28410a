import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wilsonInterval, Z95 } from '../../../harness/verdict/wilson-interval.js';

/*
 * Expected values worked by hand with z = 1.959964 (z² = 3.841459), then checked against an
 * independent implementation (Python: statistics.NormalDist().inv_cdf(0.975) and the textbook
 * formula center ± half, center = (p + z²/2n)/(1 + z²/n), half = z/(1 + z²/n)·√(p(1-p)/n + z²/4n²)):
 *
 * 10/10: z²/n = 0.384146, 1 + z²/n = 1.384146; center = (1 + 0.192073)/1.384146 = 0.861233;
 *        half = (1.959964/1.384146)·√(0 + 3.841459/400) = 1.416009·0.097998 = 0.138766
 *        -> [0.722467, 1.0]
 *  0/10: mirror image of 10/10 -> [0, 0.277533]
 *  5/10: center = (0.5 + 0.192073)/1.384146 = 0.5; half = 1.416009·√(0.025 + 0.009604) = 1.416009·0.186021
 *        = 0.263407 -> [0.236593, 0.763407]
 *  8/10: center = (0.8 + 0.192073)/1.384146 = 0.716740; half = 1.416009·√(0.016 + 0.009604) = 1.416009·0.160011
 *        = 0.226577 -> [0.490162, 0.943318]
 *  2/3:  Python -> [0.207660, 0.938508];  1/1 -> [0.206549, 1.0];  81/263 -> [0.255289, 0.366210]
 */
const known: readonly [number, number, number, number][] = [
  [10, 10, 0.722467, 1.0],
  [0, 10, 0, 0.277533],
  [5, 10, 0.236593, 0.763407],
  [8, 10, 0.490162, 0.943318],
  [2, 3, 0.20766, 0.938508],
  [1, 1, 0.206549, 1.0],
  [81, 263, 0.255289, 0.36621],
];

describe('wilsonInterval', () => {
  it.each(known)('%i/%i at 95%% is [%f, %f]', (successes, trials, low, high) => {
    const [lo, hi] = wilsonInterval(successes, trials);
    expect(lo).toBeCloseTo(low, 5);
    expect(hi).toBeCloseTo(high, 5);
  });

  it('gives the brief\'s rounded values', () => {
    const round = ([lo, hi]: readonly [number, number]) => [Number(lo.toFixed(4)), Number(hi.toFixed(4))];
    expect(round(wilsonInterval(10, 10))).toEqual([0.7225, 1]);
    expect(round(wilsonInterval(0, 10))).toEqual([0, 0.2775]);
    expect(round(wilsonInterval(5, 10))).toEqual([0.2366, 0.7634]);
    expect(round(wilsonInterval(8, 10))).toEqual([0.4902, 0.9433]);
  });

  it('is exactly 0 and 1 at the ends, and [0, 1] with no trials', () => {
    expect(wilsonInterval(0, 7)[0]).toBe(0);
    expect(wilsonInterval(7, 7)[1]).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it('takes another confidence through z (99%: z = 2.575829)', () => {
    // Python: 8/10 at z = NormalDist().inv_cdf(0.995) -> [0.400819, 0.959869]
    const [lo, hi] = wilsonInterval(8, 10, 2.5758293035489);
    expect(lo).toBeCloseTo(0.400819, 5);
    expect(hi).toBeCloseTo(0.959869, 5);
    expect(Z95).toBeCloseTo(1.959964, 6);
  });

  it('rejects counts that are not a binomial outcome', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2, 0)).toThrow(RangeError);
  });

  it('stays inside [0, 1], contains the observed rate, and narrows as trials grow at the same rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), (trials, share) => {
        const successes = Math.round(share * trials);
        const [lo, hi] = wilsonInterval(successes, trials);
        const rate = successes / trials;
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        expect(lo).toBeLessThanOrEqual(rate + 1e-12);
        expect(hi).toBeGreaterThanOrEqual(rate - 1e-12);
        const [lo4, hi4] = wilsonInterval(successes * 4, trials * 4);
        expect(hi4 - lo4).toBeLessThan(hi - lo);
      }),
    );
  });
});
