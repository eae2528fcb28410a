import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import type { FidelityMeasure, FidelityRow } from '../../../harness/scenario/types.js';
import { measureFidelity } from '../../../harness/verdict/fidelity.js';
import { summarizeRun } from '../../../harness/verdict/judge-run.js';
import { HistoryBuilder, p2pOutageHistory } from './history-builder.js';

const row = (measure: FidelityMeasure, expected = 0.5): FidelityRow => ({ quantity: `${measure.of}`, published: 'as published', expected, measure });

/** The history as if its scenario stated these fidelity rows. */
const stating = (events: readonly HistoryEvent[], rows: readonly FidelityRow[]): HistoryEvent[] =>
  events.map((e): HistoryEvent => (e.type === 'run-start' ? { ...e, definition: { ...e.definition, fidelity: rows } } : e));

const measuredOf = (events: readonly HistoryEvent[], ...measures: FidelityMeasure[]): (number | null)[] =>
  summarizeRun(stating(events, measures.map((m) => row(m)))).fidelity.map((figure) => figure.measured);

const onlineAt = (at: string): FidelityMeasure => ({ of: 'online-at', at });

/**
 * Steady 1000 online, T0 at 10 s (1 scenario hour = 1 s, a sample every 500 ms), online climbing by
 * 25 per scenario hour from 0 at T0. Samples start after T0: the steady-state baseline would take one at T0 itself.
 */
const climbing = (t: number) => ({ online: Math.max(0, (t - 10_000) / 40) });

/** Online falls to 10% at 12 s, is 60% from 16 s and back to normal from 20 s; the timeline ends at 25 s. */
const dip = () =>
  new HistoryBuilder('p2p')
    .steady()
    .samples(10_000, 25_000, (t) => ({ online: t < 12_000 ? 1_000 : t < 16_000 ? 100 : t < 20_000 ? 600 : 1_000 }))
    .phase(25_000, 'rollback')
    .end(25_500)
    .build();

describe('fidelity rows beside what the run measured', () => {
  it('carries each row\'s words and expected number, and the unit its measure implies', () => {
    const rows = [row(onlineAt('20h'), 0.3), row({ of: 'hours-below', fraction: 0.5 }, 12), row({ of: 'cascade-amplification' }, 3)];
    // The outage history is at 10% of steady state from 15 s to 20 s, and at 50% or more otherwise.
    expect(summarizeRun(stating(p2pOutageHistory(), rows)).fidelity).toEqual([
      { quantity: 'online-at', published: 'as published', expected: 0.3, measured: null, unit: 'share' },
      { quantity: 'hours-below', published: 'as published', expected: 12, measured: 5, unit: 'hours' },
      { quantity: 'cascade-amplification', published: 'as published', expected: 3, measured: 3, unit: 'ratio' },
    ]);
  });

  it('gives no figure for a scenario that states no row', () => {
    expect(summarizeRun(p2pOutageHistory()).fidelity).toEqual([]);
  });

  describe('online-at', () => {
    it('takes the online share of steady state at the timeline sample nearest T0 + at', () => {
      // Samples at 10.1 s, 10.6 s, ...: the one nearest T0+20h (30 s) is at 30.1 s, 755 online.
      const events = new HistoryBuilder('p2p').steady().samples(10_100, 41_000, climbing).end(41_000).build();
      expect(measuredOf(events, onlineAt('20h'), onlineAt('22h'), onlineAt('27h'), onlineAt('30h'))).toEqual([0.5025, 0.5525, 0.6775, 0.7525]);
    });

    it('follows the time scale of the run', () => {
      const events = new HistoryBuilder('p2p').steady().samples(10_500, 51_000, climbing).build();
      const slower = events.map((e): HistoryEvent => (e.type === 'run-start' ? { ...e, msPerScenarioHour: 2_000 } : e));
      // T0+20h is 40 s after T0 at 2 s per scenario hour (50 s on the run clock): (50000 - 10000) / 40 = 1000 online.
      expect(measuredOf(slower, onlineAt('20h'), onlineAt('30h'))).toEqual([1, null]);
      expect(measuredOf(events, onlineAt('20h'))).toEqual([0.5]);
    });

    it('is null for a time the timeline did not reach, whatever was sampled after it', () => {
      const events = new HistoryBuilder('p2p').steady().samples(10_500, 45_000, climbing).phase(38_000, 'rollback').build();
      expect(measuredOf(events, onlineAt('20h'), onlineAt('22h'), onlineAt('27h'), onlineAt('30h'))).toEqual([0.5, 0.55, 0.675, null]);
    });

    it('takes a last sample within half a sampling interval of the time as reaching it', () => {
      const reached = new HistoryBuilder('p2p').steady().samples(10_500, 39_800, climbing).sample(39_800, { online: 900 }).build();
      expect(measuredOf(reached, onlineAt('30h'))).toEqual([0.9]);
      const short = new HistoryBuilder('p2p').steady().samples(10_500, 39_700, climbing).sample(39_700, { online: 900 }).build();
      expect(measuredOf(short, onlineAt('30h'))).toEqual([null]);
    });
  });

  describe('hours-below', () => {
    it('sums the sample intervals of the timeline with the online share below the fraction, in scenario hours', () => {
      // Below 50%: 12-16 s; below 70%: 12-20 s; never below 5%.
      expect(measuredOf(dip(), { of: 'hours-below', fraction: 0.5 }, { of: 'hours-below', fraction: 0.7 }, { of: 'hours-below', fraction: 0.05 })).toEqual([4, 8, 0]);
    });

    it('follows the time scale, and counts a last sample below the fraction for one interval at most', () => {
      const slower = dip().map((e): HistoryEvent => (e.type === 'run-start' ? { ...e, msPerScenarioHour: 2_000 } : e));
      expect(measuredOf(slower, { of: 'hours-below', fraction: 0.5 })).toEqual([2]);
      const endsDown = new HistoryBuilder('p2p').steady().samples(10_000, 20_000, (t) => ({ online: t < 12_000 ? 1_000 : 100 })).end(20_000).build();
      expect(measuredOf(endsDown, { of: 'hours-below', fraction: 0.5 })).toEqual([8]);
    });

    it('is null without a timeline', () => {
      const noTimeline = new HistoryBuilder('p2p').phase(1_000, 'steady-state').samples(1_000, 5_000, { online: 1_000 }).build();
      expect(measuredOf(noTimeline, { of: 'hours-below', fraction: 0.5 }, onlineAt('1h'))).toEqual([null, null]);
    });
  });

  describe('the figures of the run summary', () => {
    it('takes the low point, the recovery in scenario hours, the supernode losses as shares, and the amplification', () => {
      // 3 of 10 supernodes lost directly, 9 in all, online down to 10%, recovered 15 scenario hours after the trigger.
      const measures: FidelityMeasure[] = [
        { of: 'online-low-point' },
        { of: 'recovery-hours' },
        { of: 'supernode-loss-direct' },
        { of: 'supernode-loss-total' },
        { of: 'cascade-amplification' },
      ];
      expect(measuredOf(p2pOutageHistory(), ...measures)).toEqual([0.1, 15, 0.3, 0.9, 3]);
      expect(measuredOf(dip(), ...measures)).toEqual([0.1, null, 0, 0, null]);
    });

    it('measures each row from the summary it is given', () => {
      const summary = { ...summarizeRun(p2pOutageHistory()), supernodesAtSteadyState: 0, recoveryScenarioHours: null };
      const rows = [row({ of: 'supernode-loss-direct' }), row({ of: 'recovery-hours' }), row({ of: 'online-low-point' })];
      expect(measureFidelity(p2pOutageHistory(), rows, summary).map((f) => f.measured)).toEqual([null, null, 0.1]);
    });

    it('is null for every row of a history with no sample', () => {
      const noSamples = new HistoryBuilder('p2p').phase(10_000, 'timeline').build();
      expect(measuredOf(noSamples, { of: 'online-low-point' }, { of: 'recovery-hours' }, { of: 'supernode-loss-direct' }, onlineAt('1h'))).toEqual([null, null, null, null]);
    });
  });
});
