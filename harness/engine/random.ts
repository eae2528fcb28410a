import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { NodeSelector } from '../scenario/types.js';

/** A seeded random source: the same seed gives the same draws, in the same order. */
export interface Random {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** k distinct items (all when k >= length), in their original order. */
  sample<T>(items: readonly T[], k: number): T[];
  /**
   * An independent stream derived from this source's seed and `label` only, not from how much of
   * this stream was used: adding a step does not change the draws of the other steps.
   */
  fork(label: string): Random;
}

export function createRandom(seed: number): Random {
  const generator = xoroshiro128plus(seed | 0);
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int(n) needs a positive integer, got ${n}`);
    return uniformInt(generator, 0, n - 1);
  };
  return {
    seed,
    next: () => uniformFloat64(generator),
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick() from an empty list');
      return items[int(items.length)] as T;
    },
    sample<T>(items: readonly T[], k: number): T[] {
      const indices = items.map((_, index) => index);
      const take = Math.max(0, Math.min(Math.floor(k), items.length));
      for (let i = 0; i < take; i++) {
        const j = i + int(indices.length - i);
        [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
      }
      return indices
        .slice(0, take)
        .sort((a, b) => a - b)
        .map((index) => items[index] as T);
    },
    fork: (label) => createRandom(deriveSeed(seed, label)),
  };
}

/** FNV-1a over the parent seed and the label: a stable 32-bit seed per label. */
function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}\u0000${label}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** How many of `total` items a selector asks for. */
export function victimCount(total: number, selector: Pick<NodeSelector, 'fraction' | 'count'>): number {
  if (total <= 0) return 0;
  if (selector.count !== undefined) return Math.max(0, Math.min(Math.floor(selector.count), total));
  if (selector.fraction === undefined) return total;
  if (selector.fraction <= 0) return 0;
  return Math.min(total, Math.max(1, Math.round(selector.fraction * total)));
}

/**
 * The victims a selector picks from `items` (already narrowed to the selector's group): a seeded
 * share or count, or all of them. Deterministic for the same random stream and item order.
 */
export function chooseVictims<T>(items: readonly T[], selector: NodeSelector, random: Random): T[] {
  const count = victimCount(items.length, selector);
  return count === items.length ? [...items] : random.sample(items, count);
}
