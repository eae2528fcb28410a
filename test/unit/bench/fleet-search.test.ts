import { describe, expect, it } from 'vitest';
import { bracketOf, nextFleetSize, type FleetProbe, type FleetSearchRule } from '../../bench/fleet-search.js';

const rule: FleetSearchRule = { start: 1_000, min: 250, max: 20_000, granularity: 250, resolution: 0.1, maxSteps: 9 };

/** Plays the search against a machine that holds up to `capacity` clients; returns the sizes tried and the stop. */
function search(capacity: number, searchRule = rule): { tried: number[]; stop: string } {
  const probes: FleetProbe[] = [];
  for (;;) {
    const decision = nextFleetSize(probes, searchRule);
    if ('stop' in decision) return { tried: probes.map((p) => p.size), stop: decision.stop };
    probes.push({ size: decision.next, held: decision.next <= capacity });
  }
}

describe('the fleet size search', () => {
  it('doubles until a size fails, then halves the gap until it is within the resolution', () => {
    const { tried, stop } = search(5_300);
    expect(tried.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(tried.slice(4)).toEqual([6_000, 5_000, 5_500]);
    expect(stop).toBe('bracketed');
    expect(bracketOf(tried.map((size) => ({ size, held: size <= 5_300 })))).toEqual({ held: 5_000, failed: 5_500 });
  });

  it('stops at the most a fleet process accepts when every size holds', () => {
    const { tried, stop } = search(1_000_000);
    expect(tried).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 20_000]);
    expect(stop).toBe('held-at-maximum');
  });

  it('halves down to the minimum when nothing holds, and says so', () => {
    const { tried, stop } = search(0);
    expect(tried).toEqual([1_000, 500, 250]);
    expect(stop).toBe('failed-at-minimum');
  });

  it('stops after the step budget', () => {
    expect(search(5_300, { ...rule, maxSteps: 3 })).toEqual({ tried: [1_000, 2_000, 4_000], stop: 'step-budget' });
  });

  it('stops when the next step would not fit in the time left, scaling the largest step by size', () => {
    const probes: FleetProbe[] = [{ size: 2_000, held: true, tookMs: 20_000 }];
    expect(nextFleetSize(probes, rule, 50_000)).toEqual({ next: 4_000 });
    expect(nextFleetSize(probes, rule, 30_000)).toEqual({ stop: 'time-budget' });
  });

  it('does not let a failure below a size that held bound the search (noise on a shared machine)', () => {
    const probes: FleetProbe[] = [
      { size: 1_000, held: false },
      { size: 2_000, held: true },
    ];
    expect(bracketOf(probes)).toEqual({ held: 2_000, failed: undefined });
    expect(nextFleetSize(probes, rule)).toEqual({ next: 4_000 });
  });
});
