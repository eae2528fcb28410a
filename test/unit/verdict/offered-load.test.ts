import { describe, expect, it } from 'vitest';
import type { HistoryEvent, NodeObservation } from '../../../harness/observe/history-types.js';
import { predictDirectoryLoad } from '../../../harness/verdict/directory-prediction.js';
import { predictOfferedLoad } from '../../../harness/verdict/load-prediction.js';
import { measureOfferedLoad } from '../../../harness/verdict/offered-load.js';
import { directoryScenario } from './directory-fixture.js';
import { HistoryBuilder } from './history-builder.js';

const sn = (state: string, requestRate: number, capacityRequestRate = 100): NodeObservation => ({
  role: 'supernode',
  up: true,
  ready: true,
  state,
  mode: 'peer',
  requestRate,
  capacityRequestRate,
});
const down: NodeObservation = { role: 'supernode', up: false, ready: false };

/**
 * Steady state 1-10 s; the fixture's hold is 2h = 2 s at 1 s per scenario hour, so the baseline
 * is the samples 7.5-9.5 s. Before the hold the supernodes are offered far more (a warm-up the
 * measure must leave out). A standby peer is never counted per supernode.
 */
const steadyNodes = (t: number): Record<string, NodeObservation> =>
  t < 7_500 ? { 'sn-0': sn('serving', 1_000), 'sn-1': sn('serving', 1_000), 'sn-2': sn('standby', 0) } : { 'sn-0': sn('serving', 30), 'sn-1': sn('serving', 50), 'sn-2': sn('standby', 0) };

/** Timeline samples, in order from 10 s. */
const timeline: readonly Record<string, NodeObservation>[] = [
  // per supernode (150 + 90) / 2 = 120, load (1.5 + 0.9) / 2 = 1.2, network 240.
  { 'sn-0': down, 'sn-1': sn('serving', 150), 'sn-2': sn('joining', 90) },
  // The peak: (60 + 300) / 2 = 180 per supernode, load (0.6 + 3) / 2 = 1.8, network 1000. The mega-supernode
  // (the fixture's remedy, 1000/s) is not one of the architecture's own and is left out of the per-supernode peak.
  { 'sn-0': sn('serving', 60), 'sn-1': sn('shutting-down', 300), 'mega-0': sn('serving', 640, 1_000) },
  // A standby peer is out of the network: per supernode (100 + 40) / 2 = 70 however busy it is; network 840.
  { 'sn-0': sn('serving', 100), 'sn-1': sn('standby', 700), 'sn-2': sn('serving', 40) },
];

const history = (): HistoryEvent[] => {
  const b = new HistoryBuilder('p2p').phase(0, 'deploying').phase(1_000, 'steady-state');
  // The trigger at T0, as in every scenario: the steady baseline ends before it.
  b.samples(1_000, 10_000, (t) => ({ online: 1_000, nodes: steadyNodes(t) })).phase(10_000, 'timeline').fault(10_000, 'trigger', 'inject');
  timeline.forEach((nodes, i) => b.sample(10_000 + i * 500, { online: 900, nodes }));
  return b.phase(11_500, 'rollback').sample(12_000, { online: 900, nodes: { 'sn-0': sn('serving', 5_000) } }).end(12_500).build();
};

describe('measureOfferedLoad', () => {
  it('measures steady, peak and surge per supernode from the history', () => {
    const load = measureOfferedLoad(history());
    // Mean of 30 and 50 over the hold; the 1000/s warm-up before it is left out.
    expect(load.steadyRequestsPerSupernode).toBe(40);
    expect(load.peakRequestsPerSupernode).toBe(180);
    expect(load.peakAt).toBe(10_500);
    expect(load.peakLoad).toBeCloseTo((0.6 + 3) / 2, 10);
    // The busiest one of the architecture's own in the network: sn-1 at 300/s (the standby's 700, the mega's 640 and the rollback's 5000 left out).
    expect(load.busiestLoad).toBeCloseTo(3, 10);
    expect(load.surgeFactor).toBe(4.5);
    // The network's offered rate counts every supernode, the mega one too: steady 80, peak 1000 (the next
    // sample's 840 counts the standby's 700), the rollback's 5000 not.
    expect(load.networkSurgeFactor).toBe(12.5);
  });

  it('carries the prediction for the history\'s own scenario and architecture, with the storm limit', () => {
    const events = history();
    const start = events[0];
    if (start?.type !== 'run-start') throw new Error('the history starts with run-start');
    const load = measureOfferedLoad(events);
    expect(load.predicted).toEqual(predictOfferedLoad(start.definition, 'p2p'));
    expect(load.limit).toMatch(/^the storm is bounded by 212 clients \(one connection each\)/);
  });

  it('carries login\'s directory arithmetic when the scenario gives login a directory, and no such field otherwise', () => {
    expect(measureOfferedLoad(history())).not.toHaveProperty('predictedDirectory');
    const withDirectory = directoryScenario();
    const topology = withDirectory.architectures.p2p!.topology;
    const events = new HistoryBuilder('p2p', { topology }).steady().samples(10_000, 12_000, { online: 900 }).end(12_000).build();
    expect(measureOfferedLoad(events).predictedDirectory).toEqual(predictDirectoryLoad(withDirectory, 'p2p'));
  });

  it("takes the deepest offline-message server queue of the timeline, the steady state's and the rollback's left out, and no such field without one", () => {
    const store = (queueDepth: number): NodeObservation => ({ role: 'offline-messages', up: true, ready: true, queueDepth });
    const events = new HistoryBuilder('p2p')
      .phase(0, 'deploying')
      .phase(1_000, 'steady-state')
      .samples(1_000, 10_000, { online: 1_000, nodes: { 'offline-1': store(900) } })
      .phase(10_000, 'timeline')
      .fault(10_000, 'trigger', 'inject')
      .sample(10_500, { online: 900, nodes: { 'offline-1': store(40), 'offline-2': store(310) } })
      .sample(11_000, { online: 900, nodes: { 'offline-1': store(120), 'offline-2': { role: 'offline-messages', up: false, ready: false } } })
      .phase(11_500, 'rollback')
      .sample(12_000, { online: 900, nodes: { 'offline-1': store(5_000) } })
      .end(12_500)
      .build();
    expect(measureOfferedLoad(events).deepestStoreQueue).toBe(310);
    expect(measureOfferedLoad(history())).not.toHaveProperty('deepestStoreQueue');
  });

  it('gives null peak and surges when the history has no timeline', () => {
    const events = new HistoryBuilder('dedicated')
      .phase(0, 'deploying')
      .phase(1_000, 'steady-state')
      .samples(1_000, 10_000, (t) => ({ online: 1_000, nodes: steadyNodes(t) }))
      .end(10_000, 'aborted')
      .build();
    expect(measureOfferedLoad(events)).toMatchObject({
      steadyRequestsPerSupernode: 40,
      peakRequestsPerSupernode: null,
      peakLoad: null,
      peakAt: null,
      surgeFactor: null,
      networkSurgeFactor: null,
    });
  });

  it('gives null figures, not zero, when no supernode reported a request rate', () => {
    const load = measureOfferedLoad(new HistoryBuilder('dedicated').steady().samples(10_000, 12_000, { online: 900 }).end(12_000).build());
    expect(load).toMatchObject({ steadyRequestsPerSupernode: null, peakRequestsPerSupernode: null, peakLoad: null, busiestLoad: null, surgeFactor: null, networkSurgeFactor: null });
  });

  it('needs a steady state to measure against', () => {
    expect(() => measureOfferedLoad(new HistoryBuilder('dedicated').end(10).build())).toThrow(/no sample at steady state/);
  });
});
