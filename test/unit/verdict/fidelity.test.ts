import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { RECOVERY_2010, measureFidelity, unmeasuredFidelity } from '../../../harness/verdict/fidelity.js';
import { summarizeRun } from '../../../harness/verdict/judge-run.js';
import { HistoryBuilder } from './history-builder.js';

/**
 * Steady 1000 online, T0 at 10 s (1 scenario hour = 1 s), online climbing by 25 per scenario hour
 * from 0 at T0. Samples start after T0: the steady-state baseline would take one at T0 itself.
 */
const climbing = (t: number) => ({ online: Math.max(0, (t - 10_000) / 40) });

describe('fidelity beside December 2010', () => {
  it('states the 2010 recovery at T0+20h, +22h, +27h and +30h', () => {
    expect(RECOVERY_2010).toEqual([
      { atHours: 20, reference2010: 0.3 },
      { atHours: 22, reference2010: 0.6 },
      { atHours: 27, reference2010: 0.8 },
      { atHours: 30, reference2010: 0.9 },
    ]);
  });

  it('takes the online fraction of steady state at the sample nearest each hour after the timeline start', () => {
    // Samples at 10.1 s, 10.6 s, ...: the one nearest T0+20h (30 s) is at 30.1 s, 755 online.
    const events = new HistoryBuilder('p2p').steady().samples(10_100, 41_000, climbing).end(41_000).build();
    expect(measureFidelity(events)).toEqual([
      { atHours: 20, online: 0.5025, reference2010: 0.3 },
      { atHours: 22, online: 0.5525, reference2010: 0.6 },
      { atHours: 27, online: 0.6775, reference2010: 0.8 },
      { atHours: 30, online: 0.7525, reference2010: 0.9 },
    ]);
  });

  it('follows the time scale of the run', () => {
    const events = new HistoryBuilder('p2p').steady().samples(10_500, 51_000, climbing).build();
    const slower = events.map((e): HistoryEvent => (e.type === 'run-start' ? { ...e, msPerScenarioHour: 2_000 } : e));
    // T0+20h is 40 s after T0 at 2 s per scenario hour (50 s on the run clock): (50000 - 10000) / 40 = 1000 online.
    expect(measureFidelity(slower)[0]).toEqual({ atHours: 20, online: 1, reference2010: 0.3 });
    expect(measureFidelity(events)[0]?.online).toBe(0.5);
    expect(measureFidelity(slower)[3]?.online).toBeNull();
  });

  it('gives null for an hour the timeline did not reach, whatever was sampled after it', () => {
    const events = new HistoryBuilder('p2p').steady().samples(10_500, 45_000, climbing).phase(38_000, 'rollback').build();
    expect(measureFidelity(events).map((p) => p.online)).toEqual([0.5, 0.55, 0.675, null]);
  });

  it('takes a last sample within half a sampling interval of the hour as reaching it', () => {
    const reached = new HistoryBuilder('p2p').steady().samples(10_500, 39_800, climbing).sample(39_800, { online: 900 }).build();
    expect(measureFidelity(reached)[3]?.online).toBe(0.9);
    const short = new HistoryBuilder('p2p').steady().samples(10_500, 39_700, climbing).sample(39_700, { online: 900 }).build();
    expect(measureFidelity(short)[3]?.online).toBeNull();
  });

  it('cannot be measured without a timeline or a steady state, and the summary says null for every hour', () => {
    const noTimeline = new HistoryBuilder('p2p').phase(1_000, 'steady-state').samples(1_000, 5_000, { online: 1_000 }).build();
    expect(() => measureFidelity(noTimeline)).toThrow('the history has no timeline phase (T0)');
    const noSamples = new HistoryBuilder('p2p').phase(10_000, 'timeline').build();
    expect(() => measureFidelity(noSamples)).toThrow('no sample at steady state');
    expect(summarizeRun(noSamples).fidelity).toEqual(unmeasuredFidelity());
    expect(unmeasuredFidelity().map((p) => [p.atHours, p.online])).toEqual([
      [20, null],
      [22, null],
      [27, null],
      [30, null],
    ]);
  });
});
