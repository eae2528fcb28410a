import { describe, expect, it } from 'vitest';
import { SupernodeDirectory } from '../../../services/login/supernode-directory.js';
import { createRandom } from '../../../services/common/seeded-random.js';

const tuning = { heartbeatTimeoutMs: 1_000, rejoinDelayMs: 500, wantedSupernodes: 3, promotionPendingMs: 2_000 };
const record = (name: string, state: 'joining' | 'serving' = 'serving') => ({
  name,
  clientAddress: `proxy:${name.length}1`,
  overlayAddress: `proxy:${name.length}2`,
  mode: 'peer' as const,
  state,
});

describe("login's supernode directory", () => {
  it('hands out only live, serving supernodes past the rejoin delay', () => {
    const directory = new SupernodeDirectory(tuning);
    directory.register(record('sn-a'), 0);
    directory.register(record('sn-b', 'joining'), 0);
    expect(directory.usable(400)).toHaveLength(0);
    expect(directory.usable(600).map((r) => r.name)).toEqual(['sn-a']);
    directory.heartbeat('sn-b', { load: 0.1, sessions: 1, state: 'serving' }, 700);
    expect(directory.usable(900).map((r) => r.name).sort()).toEqual(['sn-a', 'sn-b']);
    // sn-a stops heartbeating; sn-b's connection drops.
    directory.heartbeat('sn-b', { load: 0.1, sessions: 1, state: 'serving' }, 1_500);
    expect(directory.usable(1_600).map((r) => r.name)).toEqual(['sn-b']);
    directory.lost('sn-b');
    expect(directory.usable(1_600)).toHaveLength(0);
    expect(directory.hostCache(createRandom(1), 8, 1_600)).toEqual([]);
  });

  it('promotes the best standby peers (public address, bandwidth, uptime) only while supernodes are short', () => {
    const directory = new SupernodeDirectory(tuning);
    directory.register(record('sn-a'), 0);
    directory.standbyHello({ name: 'p-private', publicAddress: false, bandwidthKbps: 99_999, uptimeSeconds: 999 }, 0);
    directory.standbyHello({ name: 'p-slow', publicAddress: true, bandwidthKbps: 100, uptimeSeconds: 999 }, 0);
    directory.standbyHello({ name: 'p-fast-new', publicAddress: true, bandwidthKbps: 5_000, uptimeSeconds: 1 }, 0);
    directory.standbyHello({ name: 'p-fast-old', publicAddress: true, bandwidthKbps: 5_000, uptimeSeconds: 500 }, 0);
    expect(directory.choosePromotions(10)).toEqual(['p-fast-old', 'p-fast-new']);
    // Promotions in flight count toward the wanted number.
    expect(directory.choosePromotions(20)).toEqual([]);
    directory.register(record('p-fast-old', 'joining'), 30);
    directory.register(record('p-fast-new', 'joining'), 30);
    expect(directory.choosePromotions(40)).toEqual([]);
    expect(directory.standbyCount()).toBe(2);
  });

  it('lists serving overlay peers other than the asker', () => {
    const directory = new SupernodeDirectory(tuning);
    directory.register(record('sn-a'), 0);
    directory.register(record('sn-bb'), 0);
    directory.register(record('sn-ccc', 'joining'), 0);
    expect(directory.overlayPeers(10, 'sn-a').map((peer) => peer.name)).toEqual(['sn-bb']);
  });
});

describe("login's supernode directory with users pinned to their first supernode (a defect)", () => {
  const pinning = { ...tuning, rejoinDelayMs: 0, pinUsersToFirstSupernode: true };

  it('keeps handing a pinned user its supernode after it dies, and only that one', () => {
    const directory = new SupernodeDirectory(pinning);
    directory.register(record('sn-a'), 0);
    directory.register(record('sn-bb'), 0);
    const random = createRandom(3);
    const [first, ...others] = directory.hostCacheFor('u1', random, 8, 10);
    expect(others).toEqual([]);
    expect(['sn-a', 'sn-bb']).toContain(first?.name);
    directory.lost(first?.name ?? '');
    expect(directory.usable(20).map((r) => r.name)).not.toContain(first?.name);
    expect(directory.hostCacheFor('u1', random, 8, 20)).toEqual([first]);
    // Long after login forgot the dead supernode, the pin stands.
    directory.prune(1_000_000);
    expect(directory.hostCacheFor('u1', random, 8, 1_000_000)).toEqual([first]);
  });

  it('pins a user without a pin to one usable supernode, never a dead one, and none while none is usable', () => {
    const directory = new SupernodeDirectory(pinning);
    expect(directory.hostCacheFor('u1', createRandom(1), 8, 0)).toEqual([]);
    directory.register(record('sn-a'), 0);
    directory.register(record('sn-bb'), 0);
    directory.lost('sn-a');
    const random = createRandom(5);
    for (let user = 1; user <= 20; user += 1) expect(directory.hostCacheFor(`u${user}`, random, 8, 10).map((e) => e.name)).toEqual(['sn-bb']);
  });

  it('spreads first pins over the usable supernodes by the seed', () => {
    const pinsOf = (seed: number) => {
      const directory = new SupernodeDirectory(pinning);
      for (const name of ['sn-a', 'sn-bb', 'sn-ccc']) directory.register(record(name), 0);
      const random = createRandom(seed);
      return Array.from({ length: 30 }, (_, user) => directory.hostCacheFor(`u${user}`, random, 8, 10)[0]?.name);
    };
    expect(pinsOf(7)).toEqual(pinsOf(7));
    expect(new Set(pinsOf(7)).size).toBe(3);
  });

  it('without pinning hands out no dead supernode and the full host cache', () => {
    const directory = new SupernodeDirectory({ ...tuning, rejoinDelayMs: 0 });
    for (const name of ['sn-a', 'sn-bb', 'sn-ccc']) directory.register(record(name), 0);
    const random = createRandom(3);
    expect(directory.hostCacheFor('u1', random, 8, 10)).toHaveLength(3);
    directory.lost('sn-a');
    for (let round = 0; round < 10; round += 1) {
      expect(directory.hostCacheFor('u1', random, 8, 20).map((e) => e.name).sort()).toEqual(['sn-bb', 'sn-ccc']);
    }
  });
});
