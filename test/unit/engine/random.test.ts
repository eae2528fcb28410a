import { describe, expect, it } from 'vitest';
import { chooseVictims, createRandom, victimCount } from '../../../harness/engine/random.js';

const nodes = Array.from({ length: 20 }, (_, i) => `sn-${i}`);
const draws = (seed: number, n = 10): number[] => {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => random.next());
};

describe('createRandom', () => {
  it('repeats the same draws for the same seed and differs for another', () => {
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
    for (const value of draws(1, 1_000)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it('int(n) covers [0, n) and rejects n <= 0', () => {
    const random = createRandom(5);
    const seen = new Set(Array.from({ length: 500 }, () => random.int(6)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => random.int(0)).toThrow(RangeError);
  });

  it('sample(k) returns k distinct items in their original order', () => {
    const picked = createRandom(9).sample(nodes, 6);
    expect(new Set(picked).size).toBe(6);
    expect([...picked].sort((a, b) => nodes.indexOf(a) - nodes.indexOf(b))).toEqual(picked);
    expect(createRandom(9).sample(nodes, 50)).toEqual(nodes);
    expect(() => createRandom(1).pick([])).toThrow(RangeError);
  });

  it('fork(label) is independent of how much of the parent was used', () => {
    const fresh = createRandom(2010);
    const used = createRandom(2010);
    for (let i = 0; i < 37; i++) used.next();
    expect(used.fork('step-3').sample(nodes, 5)).toEqual(fresh.fork('step-3').sample(nodes, 5));
    expect(fresh.fork('step-3').sample(nodes, 5)).not.toEqual(fresh.fork('step-4').sample(nodes, 5));
    expect(createRandom(2011).fork('step-3').sample(nodes, 5)).not.toEqual(fresh.fork('step-3').sample(nodes, 5));
  });
});

describe('chooseVictims', () => {
  it('rounds a fraction to the nearest count, at least one when the fraction is positive', () => {
    expect(victimCount(20, { fraction: 0.3 })).toBe(6);
    expect(victimCount(10, { fraction: 0.25 })).toBe(3);
    expect(victimCount(10, { fraction: 0.01 })).toBe(1);
    expect(victimCount(10, { fraction: 0 })).toBe(0);
    expect(victimCount(10, {})).toBe(10);
    expect(victimCount(10, { count: 4 })).toBe(4);
    expect(victimCount(3, { count: 4 })).toBe(3);
    expect(victimCount(0, { fraction: 0.5 })).toBe(0);
  });

  it('gives the same victims for the same seed and item order, other victims for other seeds', () => {
    const pick = (seed: number): string[] => chooseVictims(nodes, { group: 'supernodes', fraction: 0.3 }, createRandom(seed).fork('crash'));
    expect(pick(7)).toEqual(pick(7));
    expect(pick(7)).toHaveLength(6);
    const distinct = new Set([1, 2, 3, 4, 5].map((seed) => pick(seed).join(',')));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('takes everything when the selector has neither fraction nor count', () => {
    expect(chooseVictims(nodes, { group: 'supernodes' }, createRandom(1))).toEqual(nodes);
  });
});
