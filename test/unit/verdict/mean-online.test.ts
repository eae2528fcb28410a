import { describe, expect, it } from 'vitest';
import { measureMeanOnline } from '../../../harness/verdict/mean-online.js';
import { outageCheckers } from '../../../harness/verdict/target-checks.js';
import { HistoryBuilder } from './history-builder.js';

/** Steady at 1000 online; from the fault at 10 s, `online(t)` for every second up to the end at 20 s. */
const run = (online: (t: number) => number) =>
  new HistoryBuilder('p2p')
    .steady()
    .fault(10_000, 'trigger', 'inject')
    .samples(10_000, 20_000, (t) => ({ online: online(t) }))
    .end(20_000)
    .build();

/** Whole for 2 s, gone for 2 s, over and over: it reaches steady state between its collapses. */
const flapping = run((t) => (Math.floor((t - 10_000) / 2_000) % 2 === 0 ? 1_000 : 0));

const name = 'outage: mean online after the trigger';
const checkOf = (most: number) => outageCheckers({ maxMeanOnline: most }).find((c) => c(flapping).name === name);

describe('mean online after the trigger', () => {
  it('weighs each sample by the time until the next, to the end of the timeline', () => {
    expect(measureMeanOnline(run(() => 1_000)).mean).toBeCloseTo(1, 5);
    expect(measureMeanOnline(run(() => 250)).mean).toBeCloseTo(0.25, 5);
    expect(measureMeanOnline(run((t) => (t < 15_000 ? 1_000 : 0))).mean).toBeCloseTo(0.5, 1);
  });

  it('reads a flapping network as half out, though it is back above 95% again and again', () => {
    expect(measureMeanOnline(flapping).mean).toBeGreaterThan(0.4);
    expect(measureMeanOnline(flapping).mean).toBeLessThan(0.6);
    expect(checkOf(0.7)?.(flapping)).toMatchObject({ outcome: 'pass' });
    expect(checkOf(0.3)?.(flapping)).toMatchObject({ outcome: 'fail' });
  });

  it('is only checked when the signature asks for it', () => {
    expect(outageCheckers({ maxOnlineLowPoint: 0.5 }).map((c) => c(flapping).name)).not.toContain(name);
  });
});
