import { describe, expect, it } from 'vitest';
import type { NodeObservation } from '../../../harness/observe/history-types.js';
import { measureCascadeAfterHeal, overloadEpisodeStart, overloadThreshold } from '../../../harness/verdict/cascade-after-heal.js';
import { samplesOf } from '../../../harness/verdict/history-series.js';
import { outageCheckers } from '../../../harness/verdict/target-checks.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';
import { HistoryBuilder, supernodeAt } from './history-builder.js';

const signature = { supernodeLossDirect: { min: 0, max: 1 }, minCascadeAmplification: 1, maxOnlineLowPoint: 1, cascadeContinuesAfterHeal: true };
const cascadeCheck = outageCheckers(signature).find((check) => check.targetName === 'outage: cascade continues after heal');

/** Steady state, the trigger injected at 10 s and healed at 12 s; samples every 500 ms from 10 s to 16 s carry `loads`. */
function triggered(loads: (t: number) => Readonly<Record<string, NodeObservation>>, architecture: 'p2p' | 'dedicated' = 'p2p'): HistoryBuilder {
  return new HistoryBuilder(architecture)
    .steady()
    .fault(10_000, 'trigger', 'inject')
    .fault(12_000, 'trigger', 'heal')
    .samples(10_000, 16_500, (t) => ({ online: 500, nodes: loads(t) }));
}

describe('cascade continued after heal', () => {
  it('says no when peer supernodes shut themselves off only before the heal', () => {
    const events = triggered(() => ({})).down(10_500, 'sn-01', 'client-bug').down(11_000, 'sn-03', 'self-protection').down(11_500, 'sn-04', 'self-protection').end(17_000).build();
    expect(measureCascadeAfterHeal(events)).toEqual({ healedAt: 12_000, continued: false, selfProtectedAfterHeal: [], carriedOverHeal: [] });
    expect(cascadeCheck?.(events)).toMatchObject({
      name: 'outage: cascade continues after heal',
      measured: 'no',
      outcome: 'fail',
      detail: 'trigger healed at t=12.0s; 0 peer supernodes shut themselves off in overload that began after it',
    });
  });

  it('does not count an exit after the heal from overload that began before it, dips under 1 s included', () => {
    // sn-03 is overloaded from 10.5 s; its load dips at 12.5 s and 13 s (500 ms apart: shorter than the calm period).
    const load = (t: number): number => (t < 10_500 ? 0.6 : t === 12_500 || t === 13_000 ? 0.9 : 1.4);
    const events = triggered((t) => (t <= 14_500 ? { 'sn-03': supernodeAt(load(t)) } : {}))
      .down(14_500, 'sn-03', 'self-protection')
      .build();
    expect(measureCascadeAfterHeal(events)).toEqual({
      healedAt: 12_000,
      continued: false,
      selfProtectedAfterHeal: [],
      carriedOverHeal: [{ node: 'sn-03', exitAt: 14_500, episodeStartedAt: 10_500 }],
    });
    expect(cascadeCheck?.(events)).toMatchObject({ measured: 'no', outcome: 'fail', detail: expect.stringContaining('1 more exited after it from overload that began before it (not counted): sn-03') });
  });

  it('says yes for an overload episode that began after the heal, a calm of 1 s ending the earlier one', () => {
    // sn-04: overloaded 10.5-11.5 s, calm 12-13 s (1 s), overloaded again from 13.5 s until it shuts itself off at 15 s.
    const load = (t: number): number => (t >= 12_000 && t <= 13_000 ? 0.7 : t >= 10_500 ? 1.3 : 0.5);
    const events = triggered((t) => (t <= 15_000 ? { 'sn-04': supernodeAt(load(t)) } : {}))
      .down(15_000, 'sn-04', 'self-protection')
      .down(15_500, 'sn-04', 'self-protection')
      .build();
    const cascade = measureCascadeAfterHeal(events);
    expect(cascade).toEqual({ healedAt: 12_000, continued: true, selfProtectedAfterHeal: [{ node: 'sn-04', exitAt: 15_000, episodeStartedAt: 13_500 }], carriedOverHeal: [] });
    expect(cascadeCheck?.(events)).toMatchObject({
      measured: 'yes',
      outcome: 'pass',
      detail: 'trigger healed at t=12.0s; 1 peer supernodes shut themselves off in overload that began after it: sn-04 (overloaded from t=13.5s, off at t=15.0s)',
    });
  });

  it('counts peer supernodes only: not the mega-supernodes or others a remedy added, not dedicated ones', () => {
    const over = (t: number): number => (t >= 13_500 ? 2 : 0.5);
    const events = triggered((t) => ({
      'mega-01': supernodeAt(over(t)),
      'extra-1': supernodeAt(over(t)),
      'sn-05': supernodeAt(over(t), 'dedicated'),
      'sn-07': supernodeAt(over(t)),
    }))
      .remedy(13_000, 'mega-supernodes, wave 1', ['mega-01', 'extra-1'])
      .down(15_000, 'mega-01', 'self-protection')
      .down(15_000, 'extra-1', 'self-protection')
      .down(15_000, 'sn-05', 'self-protection')
      .down(15_500, 'sn-07', 'self-protection')
      .build();
    expect(measureCascadeAfterHeal(events).selfProtectedAfterHeal).toEqual([{ node: 'sn-07', exitAt: 15_500, episodeStartedAt: 13_500 }]);
    const megaOnly = events.filter((e) => !(e.type === 'node' && e.node === 'sn-07'));
    expect(measureCascadeAfterHeal(megaOnly)).toMatchObject({ continued: false, selfProtectedAfterHeal: [], carriedOverHeal: [] });
  });

  it("takes a supernode's mode from the architecture when no sample states it", () => {
    const dedicated = triggered(() => ({}), 'dedicated').down(14_000, 'sn-01', 'self-protection').build();
    expect(measureCascadeAfterHeal(dedicated).continued).toBe(false);
    const p2p = triggered(() => ({})).down(14_000, 'sn-01', 'self-protection').build();
    // No sample saw it overloaded: the episode is dated at the exit itself.
    expect(measureCascadeAfterHeal(p2p).selfProtectedAfterHeal).toEqual([{ node: 'sn-01', exitAt: 14_000, episodeStartedAt: 14_000 }]);
  });
});

describe('overload episode start', () => {
  const node = (load: number, up = true): NodeObservation => ({ ...supernodeAt(load), up });
  const history = new HistoryBuilder('p2p')
    .sample(1_000, { online: 1, nodes: { a: node(1.2) } })
    .sample(1_500, { online: 1, nodes: { a: node(1) } })
    .sample(2_000, { online: 1, nodes: { a: node(1.5) } })
    .sample(2_500, { online: 1, nodes: { a: node(0, false) } })
    .sample(3_000, { online: 1, nodes: {} })
    .sample(3_500, { online: 1, nodes: { a: node(1.1) } })
    .build();
  const samples = samplesOf(history);

  it('treats a load at the threshold as calm and skips samples without a reading', () => {
    expect(overloadEpisodeStart(samples, 'a', 3_500, 1)).toBe(1_000);
    expect(overloadEpisodeStart(samples, 'a', 3_500, 1.3)).toBe(2_000);
    expect(overloadEpisodeStart(samples, 'a', 1_800, 1.3)).toBe(1_800);
  });

  it('does not reach back past the previous exit of the node', () => {
    expect(overloadEpisodeStart(samples, 'a', 3_500, 1, 1_800)).toBe(2_000);
  });

  it("reads the threshold from the architecture's supernode tuning, 1 by default", () => {
    const topology = validScenarioDefinition().architectures.p2p?.topology;
    if (topology === undefined) throw new Error('the fixture has no p2p topology');
    const strict = new HistoryBuilder('p2p', { topology: { ...topology, supernode: { ...topology.supernode, overloadThreshold: 0.8 } } }).build();
    expect(overloadThreshold(strict)).toBe(0.8);
    expect(overloadThreshold([])).toBe(1);
  });
});
