import type { Random } from '../common/seeded-random.js';
import type { RestartDelay } from './client-settings.js';

/** Draws how long a user waits before restarting a crashed client (real ms). */
export function drawRestartDelay(distribution: RestartDelay, random: Random): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.ms;
    case 'uniform':
      return distribution.minMs + random.next() * (distribution.maxMs - distribution.minMs);
    case 'exponential': {
      const draw = -Math.log(1 - random.next()) * distribution.meanMs;
      return distribution.maxMs === undefined ? draw : Math.min(draw, distribution.maxMs);
    }
  }
}
