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
