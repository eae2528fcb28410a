import type { Random } from '../common/seeded-random.js';
import type { UserRange } from './client-settings.js';

export function userIdOf(prefix: string, index: number): string {
  return `${prefix}${index}`;
}

/** Picks random user ids across ranges (weighted by range size), never `self`. */
export function contactPicker(prefix: string, ranges: readonly UserRange[]): (random: Random, self: string) => string | undefined {
  const total = ranges.reduce((sum, range) => sum + range.count, 0);
  const draw = (random: Random): string => {
    let index = random.int(0, total - 1);
    for (const range of ranges) {
      if (index < range.count) return userIdOf(prefix, range.first + index);
      index -= range.count;
    }
    return userIdOf(prefix, (ranges[0] as UserRange).first);
  };
  return (random, self) => {
    if (total === 0) return undefined;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const candidate = draw(random);
      if (candidate !== self) return candidate;
    }
    return undefined;
  };
}
