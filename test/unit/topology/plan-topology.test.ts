import { describe, expect, it } from 'vitest';
import { planTopology } from '../../../harness/topology/plan-topology.js';
import { linkName } from '../../../harness/topology/plan-types.js';
import { weightedPick } from '../../../harness/topology/weighted-pick.js';
import type { TopologySpec } from '../../../harness/scenario/types.js';

const tuning = { capacity: { sessions: 10, requestsPerSecond: 20 }, overloadThreshold: 1, overloadGraceMs: 100, rejoinDelayMs: 100 };

const p2p: TopologySpec = {
  supernodes: 10,
  supernodeMode: 'peer',
  standbyPeers: 2,
  supernode: tuning,
  peerVersionMix: { bug: 0.7, fine: 0.3 },
  offlineMessageServers: 1,
  fleets: 2,
  clientsPerFleet: 50,
};

function sequence(): () => number {
  let state = 0.123;
  return () => (state = (state * 9301 + 0.49297) % 1);
}

describe('planTopology', () => {
  it('puts every supernode, login and offline server behind a clients link and a supernodes link', () => {
    const plan = planTopology('p2p', p2p, sequence());
    const names = new Set(plan.links.map(linkName));
    for (const node of plan.nodes.filter((n) => n.role !== 'client-fleet')) {
      expect(names.has(`clients->${node.name}`)).toBe(true);
      expect(names.has(`supernodes->${node.name}`)).toBe(true);
    }
    expect(plan.links.some((l) => l.to.startsWith('fleet'))).toBe(false);
    expect(names.size).toBe(plan.links.length);
  });

  it('plans p2p as peers plus standby peers that draw their version and vulnerability from the seeded source', () => {
    const plan = planTopology('p2p', p2p, sequence(), { buggyVersion: 'bug', crashProbability: 0.4 });
    const peers = plan.nodes.filter((n) => n.supernodeKind === 'peer');
    const standby = plan.nodes.filter((n) => n.supernodeKind === 'standby-peer');
    expect(peers).toHaveLength(10);
    expect(standby).toHaveLength(2);
    const all = [...peers, ...standby];
    expect(all.every((n) => n.clientVersion === 'bug' || n.clientVersion === 'fine')).toBe(true);
    expect(all.filter((n) => n.vulnerable).every((n) => n.clientVersion === 'bug')).toBe(true);
  });

  it('draws the vulnerable share as a binomial over many seeds, not as a quota', () => {
    const big: TopologySpec = { ...p2p, supernodes: 32, standbyPeers: 0 };
    const counts = Array.from({ length: 400 }, (_, seed) => {
      let state = (seed + 1) / 401;
      const unit = (): number => (state = (state * 9301 + 0.49297) % 1);
      return planTopology('p2p', big, unit, { buggyVersion: 'bug', crashProbability: 0.4 }).nodes.filter((n) => n.vulnerable).length;
    });
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    // 32 x 0.7 x 0.4 = 8.96 expected; a quota would give the same count every time.
    expect(mean).toBeGreaterThan(7.5);
    expect(mean).toBeLessThan(10.5);
    expect(new Set(counts).size).toBeGreaterThan(4);
  });

  it('plans dedicated supernodes with no client software', () => {
    const plan = planTopology('dedicated', { ...p2p, supernodeMode: 'dedicated', supernodes: 3, standbyPeers: 0 }, sequence());
    const supernodes = plan.nodes.filter((n) => n.role === 'supernode');
    expect(supernodes).toHaveLength(3);
    expect(supernodes.every((n) => n.supernodeKind === 'dedicated' && n.clientVersion === undefined)).toBe(true);
  });

  it('is deterministic for the same random source', () => {
    expect(planTopology('p2p', p2p, sequence())).toEqual(planTopology('p2p', p2p, sequence()));
  });
});

describe('weighted choice', () => {
  it('weightedPick follows the cumulative weights', () => {
    expect(weightedPick({ a: 1, b: 3 }, 0.2)).toBe('a');
    expect(weightedPick({ a: 1, b: 3 }, 0.3)).toBe('b');
    expect(weightedPick({ a: 0, b: 1 }, 0)).toBe('b');
    expect(() => weightedPick({ a: 0 }, 0.5)).toThrow(/positive weight/);
  });

});
