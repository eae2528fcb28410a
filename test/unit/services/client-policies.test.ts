import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../services/common/seeded-random.js';
import { crashesOnReply, isVulnerable } from '../../../services/client-fleet/bug-trigger.js';
import { drawRestartDelay } from '../../../services/client-fleet/restart-delay.js';
import { reconnectDelay } from '../../../services/client-fleet/reconnect-policy.js';
import type { ReconnectPolicy, RestartDelay } from '../../../services/client-fleet/client-settings.js';

const draws = (distribution: RestartDelay, seed: number, n = 10_000): number[] => {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => drawRestartDelay(distribution, random));
};
const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('the 2010 bug trigger', () => {
  const base = { clientVersion: '5.0.0.152', buggyVersion: '5.0.0.152', vulnerable: true, elapsedMs: 1_500, thresholdMs: 1_000 };

  it('crashes a vulnerable buggy client on a delayed reply', () => {
    expect(crashesOnReply(base)).toBe(true);
  });

  it('spares an on-time reply, a non-vulnerable client and every other version', () => {
    expect(crashesOnReply({ ...base, elapsedMs: 999 })).toBe(false);
    expect(crashesOnReply({ ...base, elapsedMs: 1_000 })).toBe(false);
    expect(crashesOnReply({ ...base, vulnerable: false })).toBe(false);
    expect(crashesOnReply({ ...base, clientVersion: '5.0.0.156' })).toBe(false);
    expect(crashesOnReply({ ...base, clientVersion: '4.2.0.169' })).toBe(false);
  });

  it('makes about the configured share of clients vulnerable, the same ones for the same seed', () => {
    const users = Array.from({ length: 10_000 }, (_, i) => `u${i}`);
    const vulnerable = users.filter((user) => isVulnerable(42, user, 0.4));
    expect(vulnerable.length / users.length).toBeGreaterThan(0.38);
    expect(vulnerable.length / users.length).toBeLessThan(0.42);
    expect(users.filter((user) => isVulnerable(42, user, 0.4))).toEqual(vulnerable);
    expect(users.filter((user) => isVulnerable(43, user, 0.4))).not.toEqual(vulnerable);
    expect(users.some((user) => isVulnerable(42, user, 0))).toBe(false);
    expect(users.every((user) => isVulnerable(42, user, 1))).toBe(true);
  });
});

describe('restart delays', () => {
  it('draws a fixed delay', () => {
    expect(new Set(draws({ kind: 'fixed', ms: 250 }, 1, 100))).toEqual(new Set([250]));
  });

  it('draws uniformly between min and max', () => {
    const values = draws({ kind: 'uniform', minMs: 100, maxMs: 300 }, 2);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...values)).toBeLessThanOrEqual(300);
    expect(mean(values)).toBeGreaterThan(195);
    expect(mean(values)).toBeLessThan(205);
  });

  it('draws exponentially around the mean, capped at max', () => {
    const free = draws({ kind: 'exponential', meanMs: 1_000 }, 3);
    expect(mean(free)).toBeGreaterThan(950);
    expect(mean(free)).toBeLessThan(1_050);
    const capped = draws({ kind: 'exponential', meanMs: 1_000, maxMs: 1_500 }, 3);
    expect(Math.max(...capped)).toBe(1_500);
    expect(capped.filter((value) => value === 1_500).length / capped.length).toBeGreaterThan(0.19);
  });

  it('is deterministic for a seed', () => {
    const distribution: RestartDelay = { kind: 'exponential', meanMs: 500, maxMs: 4_000 };
    expect(draws(distribution, 9, 50)).toEqual(draws(distribution, 9, 50));
    expect(draws(distribution, 9, 50)).not.toEqual(draws(distribution, 10, 50));
  });
});

describe('reconnect policies', () => {
  it('naive retries on its fixed interval, however often it failed', () => {
    const random = createRandom(1);
    for (const failures of [1, 2, 10, 100]) expect(reconnectDelay({ policy: 'naive', intervalMs: 250 }, failures, random)).toBe(250);
  });

  it('backoff waits a full-jitter share of an exponentially growing, capped ceiling', () => {
    const policy: ReconnectPolicy = { policy: 'backoff', baseMs: 100, capMs: 5_000 };
    const random = createRandom(5);
    for (const [failures, ceiling] of [
      [1, 100],
      [2, 200],
      [4, 800],
      [7, 5_000],
      [40, 5_000],
    ] as const) {
      const values = Array.from({ length: 2_000 }, () => reconnectDelay(policy, failures, random));
      expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...values)).toBeLessThanOrEqual(ceiling);
      expect(Math.max(...values)).toBeGreaterThan(ceiling * 0.95);
      expect(mean(values)).toBeGreaterThan(ceiling * 0.45);
      expect(mean(values)).toBeLessThan(ceiling * 0.55);
    }
  });

  it('backoff is deterministic for a seed', () => {
    const policy: ReconnectPolicy = { policy: 'backoff', baseMs: 50, capMs: 2_000 };
    const series = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 20 }, (_, i) => reconnectDelay(policy, i + 1, random));
    };
    expect(series(3)).toEqual(series(3));
  });
});
