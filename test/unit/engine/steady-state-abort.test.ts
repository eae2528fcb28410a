import { describe, expect, it } from 'vitest';
import type { ClusterTotals } from '../../../harness/observe/history-types.js';
import { createAbortWatch } from '../../../harness/engine/abort-watch.js';
import { isChaosError } from '../../../harness/errors.js';
import { createManualClock } from '../helpers/manual-clock.js';
import { createProbeTracker, type ProbeValues } from '../../../harness/engine/probe-values.js';
import { waitForSteadyState } from '../../../harness/engine/steady-state.js';
import { createTimeScale } from '../../../harness/scenario/time-scale.js';

const scale = createTimeScale({ oneHour: '1s' });
const hypothesis = {
  hold: '2h',
  within: '10h',
  probes: [
    { metric: 'onlineFraction', atLeast: 0.9 },
    { metric: 'lookupSuccess', atLeast: 0.95 },
  ],
} as const;

/** A probe that plays back values, one per call (the last repeats). */
const playback = (values: readonly ProbeValues[]) => {
  let i = 0;
  return async (): Promise<ProbeValues> => values[Math.min(i++, values.length - 1)] ?? {};
};

describe('waitForSteadyState', () => {
  it('resolves once every probe held for the hold window, with the mean over it', async () => {
    const clock = createManualClock();
    const probe = playback([
      { onlineFraction: 0.5, lookupSuccess: 1 },
      { onlineFraction: 0.92, lookupSuccess: 0.9 },
      { onlineFraction: 0.92, lookupSuccess: 0.97 },
      { onlineFraction: 0.8, lookupSuccess: 0.99 },
      { onlineFraction: 0.94, lookupSuccess: 0.99 },
      { onlineFraction: 0.96, lookupSuccess: 0.97 },
      { onlineFraction: 0.98, lookupSuccess: 0.98 },
    ]);
    let baseline: Awaited<ReturnType<typeof waitForSteadyState>> | undefined;
    const done = waitForSteadyState(hypothesis, { clock, probe, timeScale: scale, pollEveryMs: 1_000 }).then((b) => (baseline = b));
    await clock.advance(5_000);
    expect(baseline).toBeUndefined();
    await clock.advance(1_000);
    await done;
    expect(baseline?.reachedAfterMs).toBe(6_000);
    expect(baseline?.samples).toBe(3);
    expect(baseline?.values.onlineFraction).toBeCloseTo((0.94 + 0.96 + 0.98) / 3, 9);
    expect(baseline?.values.lookupSuccess).toBeCloseTo((0.99 + 0.97 + 0.98) / 3, 9);
  });

  it('starts no hold before notBefore: a baseline taken during the ramp-up would count its logins as steady load', async () => {
    const clock = createManualClock();
    const probe = playback([{ onlineFraction: 0.99, lookupSuccess: 1 }]);
    let baseline: Awaited<ReturnType<typeof waitForSteadyState>> | undefined;
    const done = waitForSteadyState(hypothesis, { clock, probe, timeScale: scale, pollEveryMs: 1_000, notBefore: 3_000 }).then((b) => (baseline = b));
    // Held from 0 s it would have resolved at 2 s; the hold starts at 3 s and ends at 5 s.
    await clock.advance(4_000);
    expect(baseline).toBeUndefined();
    await clock.advance(1_000);
    await done;
    expect(baseline).toMatchObject({ reachedAfterMs: 5_000, samples: 3 });
  });

  it('throws TIMEOUT naming the probe values it saw when the steady state never holds', async () => {
    const clock = createManualClock();
    const probe = playback([{ onlineFraction: 0.6, lookupSuccess: 0.99 }, { onlineFraction: 0.7 }]);
    const outcome = waitForSteadyState(hypothesis, { clock, probe, timeScale: scale, pollEveryMs: 500 }).catch((error: unknown) => error);
    await clock.advance(10_000);
    const error = await outcome;
    expect(isChaosError(error) && error.code).toBe('TIMEOUT');
    if (!isChaosError(error)) return;
    expect(error.message).toContain('within 10h (10.0s real)');
    expect(error.details).toEqual([
      'onlineFraction: last 0.700, best 0.700 (needs >= 0.9 for 2h)',
      'lookupSuccess: last none, best 0.990 (needs >= 0.95 for 2h)',
    ]);
  });

  it('treats a failing probe as not holding and reports its error', async () => {
    const clock = createManualClock();
    const outcome = waitForSteadyState(
      { ...hypothesis, within: '1h' },
      { clock, probe: () => Promise.reject(new Error('login unreachable')), timeScale: scale, pollEveryMs: 250 },
    ).catch((error: unknown) => error);
    await clock.advance(1_000);
    const error = await outcome;
    expect(isChaosError(error) && error.details.at(-1)).toBe('last probe failed: login unreachable');
  });

  it('stops with INTERRUPTED when the signal aborts', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const outcome = waitForSteadyState(hypothesis, { clock, probe: playback([{}]), timeScale: scale, signal: controller.signal }).catch((e: unknown) => e);
    await clock.advance(300);
    controller.abort();
    const error = await outcome;
    expect(isChaosError(error) && error.code).toBe('INTERRUPTED');
  });
});

describe('createAbortWatch', () => {
  it('fires when a metric stays below its bound for the stated time, after its offset', () => {
    const watch = createAbortWatch([{ metric: 'onlineFraction', below: 0.1, for: '2h', after: '1h' }], scale);
    expect(watch.observe(0, { onlineFraction: 0.01 })).toBeUndefined();
    expect(watch.observe(999, { onlineFraction: 0.01 })).toBeUndefined();
    expect(watch.observe(1_000, { onlineFraction: 0.05 })).toBeUndefined();
    expect(watch.observe(2_000, { onlineFraction: 0.2 })).toBeUndefined();
    expect(watch.observe(2_500, { onlineFraction: 0.05 })).toBeUndefined();
    expect(watch.observe(3_500, {})).toBeUndefined();
    const decision = watch.observe(4_500, { onlineFraction: 0.04 });
    expect(decision?.atMs).toBe(4_500);
    expect(decision?.reason).toBe('onlineFraction 0.040 stayed below 0.1 for 2h (abortWhen[0])');
    expect(watch.observe(5_000, { onlineFraction: 1 })).toBe(decision);
    expect(watch.decision()).toBe(decision);
  });

  it('never fires without conditions', () => {
    const watch = createAbortWatch([], scale);
    expect(watch.observe(10_000, { onlineFraction: 0 })).toBeUndefined();
  });
});

describe('createProbeTracker', () => {
  const totals = (online: number, ok: number, failed: number, serving = 8): ClusterTotals => ({
    clientsTotal: 100,
    clientsOnline: online,
    supernodesTotal: 10,
    supernodesServing: serving,
    sessions: 0,
    capacitySessions: 0,
    loadMean: 0,
    loadMax: 0,
    lookupsOk: ok,
    lookupsFailed: failed,
    imsAccepted: 0,
    imsReceived: 0,
    imsDuplicate: 0,
    offlinePending: 0,
    clientCrashes: 0,
    clientRestarts: 0,
  });

  it('derives probe values from successive totals, carrying lookup success over quiet ticks', () => {
    const track = createProbeTracker();
    expect(track(totals(50, 10, 0))).toEqual({ onlineFraction: 0.5, supernodesAliveFraction: 0.8 });
    expect(track(totals(90, 28, 2))).toEqual({ onlineFraction: 0.9, supernodesAliveFraction: 0.8, lookupSuccess: 0.9 });
    expect(track(totals(90, 28, 2, 10))).toEqual({ onlineFraction: 0.9, supernodesAliveFraction: 1, lookupSuccess: 0.9 });
  });
});
