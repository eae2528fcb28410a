import { describe, expect, it } from 'vitest';
import type { HistoryEvent, NodeObservation } from '../../../harness/observe/history-types.js';
import { fleetLagBoundSeconds, measureSaturation } from '../../../harness/verdict/saturation.js';
import { HistoryBuilder, fleetAt, silent } from './history-builder.js';

/**
 * The timeline runs from 10 s; 20 samples at 10 000, 10 500, ... 19 500 (the fixture samples
 * every 500 ms). Each fleet is scheduled 50 attempts per sample, so 19 * 50 = 950 between the
 * first and the last sample of the window.
 */
const TIMELINE_SAMPLES = 20;
const index = (t: number): number => (t - 10_000) / 500;

interface FleetShape {
  /** Share of the scheduled attempts made. */
  readonly madeShare?: number;
  /** Each attempt runs this share of its period late: it counts as 1 + lateness scheduled, 1 made. */
  readonly lateShareOfPeriod?: number;
  readonly lag?: (i: number) => number;
  readonly answers?: (i: number) => boolean;
  readonly perSample?: number;
}

/** As `/status` exposes the fractional counters. */
const round3 = (value: number): number => Math.round(value * 1_000) / 1_000;

const fleet = (i: number, shape: FleetShape = {}): NodeObservation => {
  if (shape.answers?.(i) === false) return silent('client-fleet');
  const made = i * (shape.perSample ?? 50) * (shape.madeShare ?? 1);
  const scheduled = shape.lateShareOfPeriod === undefined ? i * (shape.perSample ?? 50) : made * (1 + shape.lateShareOfPeriod);
  return fleetAt(round3(scheduled), round3(made), shape.lag?.(i) ?? 0.02);
};

const history = (fleets: Readonly<Record<string, FleetShape>>, lagMs?: (i: number) => number): HistoryEvent[] =>
  new HistoryBuilder('dedicated')
    .steady()
    .samples(10_000, 10_000 + TIMELINE_SAMPLES * 500, (t) => ({
      online: 1_000,
      nodes: Object.fromEntries(Object.entries(fleets).map(([name, shape]) => [name, fleet(index(t), shape)])),
      ...(lagMs === undefined ? {} : { lagMs: lagMs(index(t)) }),
    }))
    .end(20_000)
    .build();

describe('fleetLagBoundSeconds', () => {
  it('is a tenth of the request timeout, 500 ms for the default 5 s', () => {
    expect(fleetLagBoundSeconds()).toBeCloseTo(0.5);
    expect(fleetLagBoundSeconds(2_000)).toBeCloseTo(0.2);
  });
});

describe('measureSaturation', () => {
  it('adds up a restarted fleet\'s counters across the reset, so its shortfall still shows', () => {
    const restarted = new HistoryBuilder('dedicated')
      .steady()
      .samples(10_000, 10_000 + TIMELINE_SAMPLES * 500, (t) => {
        const i = index(t);
        // 50 scheduled per sample; at sample 10 the process starts over and makes only half of them.
        const node = i < 10 ? fleetAt(1_000 + i * 50, 1_000 + i * 50, 0.02) : fleetAt((i - 9) * 50, (i - 9) * 25, 0.02);
        return { online: 1_000, nodes: { 'fleet-1': node } };
      })
      .end(20_000)
      .build();
    const result = measureSaturation(restarted);
    expect(result.saturated).toBe(true);
    expect(result.reasons[0]).toMatch(/^fleet-1: 2\d\.\d% of 950 scheduled attempts not made/);
  });

  it('finds a healthy run not saturated and gives the figures it looked at', () => {
    const result = measureSaturation(history({ 'fleet-1': { lag: () => 0.02 }, 'fleet-2': { lag: () => 0.05 } }, () => 12));
    expect(result).toEqual({ saturated: false, reasons: [], figures: { attemptsNotMadeShare: 0, fleetLagP99MaxSeconds: 0.05, lateTickShare: 0 } });
  });

  it('is saturated when a fleet made fewer than 90% of its scheduled attempts, naming the fleet', () => {
    const result = measureSaturation(history({ 'fleet-1': {}, 'fleet-2': { madeShare: 0.8 } }));
    expect(result.saturated).toBe(true);
    expect(result.reasons).toEqual(['fleet-2: 20.0% of 950 scheduled attempts not made (bound 10.0%)']);
    expect(result.figures['attemptsNotMadeShare']).toBe(0.2);
  });

  it('is not saturated by a shortfall within the bound', () => {
    const result = measureSaturation(history({ 'fleet-1': { madeShare: 0.96 } }));
    expect(result.saturated).toBe(false);
    expect(result.figures['attemptsNotMadeShare']).toBe(0.04);
  });

  it('ignores the shortfall of a fleet with fewer than 100 scheduled attempts', () => {
    // 19 * 5 = 95 scheduled, none made.
    const result = measureSaturation(history({ 'fleet-1': { perSample: 5, madeShare: 0 } }));
    expect(result).toMatchObject({ saturated: false, reasons: [] });
    expect(result.figures['attemptsNotMadeShare']).toBeNull();
  });

  it('is saturated when a fleet made all its attempts but lagged above 500 ms in more than 10% of the samples', () => {
    // 4 of 20 samples: 20%.
    const result = measureSaturation(history({ 'fleet-1': {}, 'fleet-3': { lag: (i) => (i < 4 ? 0.6 : 0.02) } }));
    expect(result.saturated).toBe(true);
    expect(result.reasons).toEqual([
      "fleet-3: event-loop delay p99 above 500 ms (a tenth of the 5000 ms request timeout) or no status in time in 20.0% of the timeline's samples (bound 10.0%)",
    ]);
    expect(result.figures).toEqual({ attemptsNotMadeShare: 0, fleetLagP99MaxSeconds: 0.6, lateTickShare: null });
  });

  it('is not saturated by a fleet lagging 300 ms in every sample that made all its attempts', () => {
    const result = measureSaturation(history({ 'fleet-1': { lag: () => 0.3 } }));
    expect(result).toEqual({ saturated: false, reasons: [], figures: { attemptsNotMadeShare: 0, fleetLagP99MaxSeconds: 0.3, lateTickShare: null } });
  });

  it("is saturated by one stall of a second or more: that second's requests went out late and in a burst", () => {
    // One sample in 20 (5%, under the lagging-sample bound) at 2.4 s, as a host busy with compilers gave.
    const stalled = measureSaturation(history({ 'fleet-1': {}, 'fleet-2': { lag: (i) => (i === 7 ? 2.4 : 0.02) } }));
    expect(stalled.saturated).toBe(true);
    expect(stalled.reasons).toEqual(["fleet-2: stalled, event-loop delay p99 reached 2.4 s (bound 1 s): its clients' requests went out late and in a burst"]);
    // The worst seen on a quiet host or beside stress-ng --cpu 1 (0.83 s) is no stall.
    expect(measureSaturation(history({ 'fleet-1': { lag: (i) => (i === 7 ? 0.83 : 0.02) } })).saturated).toBe(false);
  });

  it('is saturated by a fractional shortfall: every attempt a share of its period late', () => {
    // 0.3 s late on a 2.2 s period: each came every 2.5 s, 12% below the stated rate.
    const result = measureSaturation(history({ 'fleet-1': { lateShareOfPeriod: 0.3 / 2.2 } }));
    expect(result.saturated).toBe(true);
    expect(result.reasons).toEqual(['fleet-1: 12.0% of 1080 scheduled attempts not made (bound 10.0%)']);
    expect(result.figures['attemptsNotMadeShare']).toBe(0.12);
  });

  it('is not saturated by lag in exactly 10% of the samples, nor by lag at the bound itself', () => {
    expect(measureSaturation(history({ 'fleet-1': { lag: (i) => (i < 2 ? 0.6 : 0.02) } })).saturated).toBe(false);
    expect(measureSaturation(history({ 'fleet-1': { lag: () => 0.5 } })).saturated).toBe(false);
  });

  it('counts a fleet that does not answer its status as lagging on that tick', () => {
    const result = measureSaturation(history({ 'fleet-1': {}, 'fleet-2': { answers: (i) => i % 5 !== 0 } }));
    // Silent at i = 0, 5, 10, 15: 4 of 20 samples.
    expect(result.saturated).toBe(true);
    expect(result.reasons).toEqual([expect.stringMatching(/^fleet-2: .* or no status in time in 20\.0% of the timeline's samples/)]);
  });

  it('is saturated when more than 10% of the sampler ticks are late by a whole period', () => {
    // The fixture samples every 500 ms; 3 of 20 ticks 500 ms late, the rest 499 ms.
    const result = measureSaturation(history({ 'fleet-1': {} }, (i) => (i < 3 ? 500 : 499)));
    expect(result.saturated).toBe(true);
    expect(result.reasons).toEqual(['sampler: 15.0% of ticks late by a whole 500 ms period (bound 10.0%)']);
    expect(result.figures['lateTickShare']).toBe(0.15);
    const almost = measureSaturation(history({ 'fleet-1': {} }, () => 499));
    expect(almost).toMatchObject({ saturated: false, figures: { lateTickShare: 0 } });
  });

  it('counts a gap of two periods between samples as a late tick, though the tick itself started on time', () => {
    const events = new HistoryBuilder('dedicated')
      .steady()
      .samples(10_000, 20_000, (t) => ({ online: 1_000, nodes: { 'fleet-1': fleet(index(t)) }, lagMs: 0 }), 1_000)
      .end(20_000)
      .build();
    const result = measureSaturation(events);
    expect(result.saturated).toBe(true);
    expect(result.reasons.at(-1)).toMatch(/^sampler: \d+\.\d% of ticks late by a whole 500 ms period/);
  });

  it('gives every reason when several bounds are broken', () => {
    const result = measureSaturation(history({ 'fleet-1': { madeShare: 0.5, lag: () => 0.6 } }, () => 600));
    expect(result.reasons.map((r) => r.split(':')[0])).toEqual(['fleet-1', 'fleet-1', 'sampler']);
  });

  it('looks only at the samples of the timeline phase', () => {
    const bad = { online: 1_000, nodes: { 'fleet-1': silent('client-fleet') }, lagMs: 5_000 };
    const events = new HistoryBuilder('dedicated')
      .phase(0, 'deploying')
      .phase(1_000, 'steady-state')
      .samples(1_000, 10_000, bad)
      .phase(10_000, 'timeline')
      .samples(10_000, 20_000, (t) => ({ online: 1_000, nodes: { 'fleet-1': fleet(index(t)) }, lagMs: 5 }))
      .phase(20_000, 'rollback')
      .samples(20_500, 25_000, bad)
      .end(25_000)
      .build();
    expect(measureSaturation(events)).toEqual({ saturated: false, reasons: [], figures: { attemptsNotMadeShare: 0, fleetLagP99MaxSeconds: 0.02, lateTickShare: 0 } });
  });

  it('is not saturated, with null figures, when the history has no timeline', () => {
    const events = new HistoryBuilder('dedicated')
      .phase(0, 'deploying')
      .phase(1_000, 'steady-state')
      .samples(1_000, 5_000, { online: 1_000, nodes: { 'fleet-1': silent('client-fleet') }, lagMs: 5_000 })
      .end(5_000, 'aborted')
      .build();
    expect(measureSaturation(events)).toEqual({ saturated: false, reasons: [], figures: { attemptsNotMadeShare: null, fleetLagP99MaxSeconds: null, lateTickShare: null } });
  });

  it('gives null figures for a timeline without fleets or tick lags', () => {
    const events = new HistoryBuilder('dedicated').steady().samples(10_000, 12_000, { online: 1_000 }).end(12_000).build();
    expect(measureSaturation(events)).toEqual({ saturated: false, reasons: [], figures: { attemptsNotMadeShare: null, fleetLagP99MaxSeconds: null, lateTickShare: null } });
  });
});
