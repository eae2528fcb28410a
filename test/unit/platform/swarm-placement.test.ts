import { describe, expect, it } from 'vitest';
import { swarmNodeInfo } from '../../../harness/platform/swarm-engine.js';
import {
  describeTargets,
  placementFromEnv,
  placementTargets,
  planPlacement,
  requirePullableImages,
  type PlacementRequest,
  type SwarmNodeInfo,
} from '../../../harness/platform/swarm-placement.js';
import { chaosRefusal } from '../helpers/chaos-refusal.js';

const node = (id: string, hostname: string, extra: Partial<SwarmNodeInfo> = {}): SwarmNodeInfo => ({
  id,
  hostname,
  role: 'worker',
  availability: 'active',
  state: 'ready',
  addr: `10.0.0.${id.length}`,
  ...extra,
});
const mgr = node('m1', 'mgr', { role: 'manager', addr: '10.0.0.1' });
const w1 = node('w1', 'worker-1', { addr: '10.0.0.11' });
const w2 = node('w2', 'worker-2', { addr: '10.0.0.12' });

/** A run's services in the order it starts them: Toxiproxy, login, offline-messages, supernodes, fleets. */
function runServices(supernodes: number, fleets: number): PlacementRequest[] {
  return [
    { name: 'toxiproxy', role: 'toxiproxy' },
    { name: 'login', role: 'login' },
    { name: 'offline-1', role: 'offline-messages' },
    ...Array.from({ length: supernodes }, (_, i) => ({ name: `sn-${String(i + 1).padStart(2, '0')}`, role: 'supernode' as const })),
    ...Array.from({ length: fleets }, (_, i) => ({ name: `fleet-${i + 1}`, role: 'client-fleet' as const })),
  ];
}

describe('placementTargets and planPlacement', () => {
  it('manager (the default): every service on the manager, whatever else the swarm has', () => {
    const targets = placementTargets([w1, mgr, w2], 'm1', 'manager');
    expect(targets.spread).toEqual([mgr]);
    const plan = planPlacement(targets, runServices(2, 1));
    expect(new Set(plan.nodeOf.values())).toEqual(new Set(['m1']));
    expect(plan.summary).toBe('toxiproxy, login, offline-messages, 2 supernodes and 1 fleet on mgr');
    expect(plan.notice).toBeUndefined();
  });

  it('spread on one node: everything on the manager, with a notice, not an error', () => {
    const targets = placementTargets([mgr], 'm1', 'spread');
    expect(targets.spread).toEqual([mgr]);
    expect(targets.notice).toBe('--place spread: the swarm has no other node, so every service runs on mgr, as with --place manager');
    const plan = planPlacement(targets, runServices(3, 2));
    expect(new Set(plan.nodeOf.values())).toEqual(new Set(['m1']));
    expect(plan.notice).toBe(targets.notice);
  });

  it('spread on two nodes: Toxiproxy, login and offline-messages on the manager; supernodes and fleets each round robin, the worker first', () => {
    const plan = planPlacement(placementTargets([mgr, w1], 'm1', 'spread'), runServices(4, 3));
    expect(Object.fromEntries(plan.nodeOf)).toEqual({
      toxiproxy: 'm1',
      login: 'm1',
      'offline-1': 'm1',
      'sn-01': 'w1',
      'sn-02': 'm1',
      'sn-03': 'w1',
      'sn-04': 'm1',
      'fleet-1': 'w1',
      'fleet-2': 'm1',
      'fleet-3': 'w1',
    });
    expect(plan.byHost).toEqual({
      mgr: ['toxiproxy', 'login', 'offline-1', 'sn-02', 'sn-04', 'fleet-2'],
      'worker-1': ['sn-01', 'sn-03', 'fleet-1', 'fleet-3'],
    });
  });

  it('spread on three nodes: workers by hostname, then the manager', () => {
    const plan = planPlacement(placementTargets([w2, mgr, w1], 'm1', 'spread'), runServices(7, 2));
    const supernodes = [...plan.nodeOf].filter(([name]) => name.startsWith('sn-')).map(([, id]) => id);
    expect(supernodes).toEqual(['w1', 'w2', 'm1', 'w1', 'w2', 'm1', 'w1']);
    expect(plan.nodeOf.get('fleet-1')).toBe('w1');
    expect(plan.nodeOf.get('fleet-2')).toBe('w2');
    expect(plan.summary).toBe('toxiproxy, login, offline-messages on mgr; 7 supernodes and 2 fleets over 3 nodes: mgr 2, worker-1 4, worker-2 3');
  });

  it('says where everything went, nodes by hostname', () => {
    const plan = planPlacement(placementTargets([mgr, w1], 'm1', 'spread'), runServices(20, 3));
    expect(plan.summary).toBe('toxiproxy, login, offline-messages on mgr; 20 supernodes and 3 fleets over 2 nodes: mgr 11, worker-1 12');
  });

  it('uses only ready, active nodes with an address; drained, paused and down nodes are ignored', () => {
    const drained = node('w3', 'worker-3', { availability: 'drain' });
    const paused = node('w4', 'worker-4', { availability: 'pause' });
    const down = node('w5', 'worker-5', { state: 'down' });
    const noAddress = node('w6', 'worker-6', { addr: '' });
    const targets = placementTargets([drained, mgr, paused, w2, down, noAddress], 'm1', 'spread');
    expect(targets.spread.map((n) => n.id)).toEqual(['w2', 'm1']);
    expect(targets.notice).toBeUndefined();

    const none = placementTargets([drained, mgr, down], 'm1', 'spread');
    expect(none.spread).toEqual([mgr]);
    expect(none.notice).toBe('--place spread: no other node is ready and active (worker-3 ready, drain; worker-5 down, active), so every service runs on mgr, as with --place manager');
  });

  it('is deterministic: the same nodes in any order give the same plan; hostnames that tie go by id', () => {
    const twinA = node('b-twin', 'twin', { addr: '10.0.0.21' });
    const twinB = node('a-twin', 'twin', { addr: '10.0.0.22' });
    const otherManager = node('m2', 'aaa-manager', { role: 'manager', addr: '10.0.0.2' });
    const lists = [
      [mgr, twinA, twinB, otherManager, w1],
      [w1, otherManager, twinB, mgr, twinA],
      [twinA, w1, mgr, twinB, otherManager],
    ];
    const plans = lists.map((list) => planPlacement(placementTargets(list, 'm1', 'spread'), runServices(10, 4)));
    for (const plan of plans) expect(Object.fromEntries(plan.nodeOf)).toEqual(Object.fromEntries(plans[0]?.nodeOf ?? []));
    expect(placementTargets(lists[1] ?? [], 'm1', 'spread').spread.map((n) => n.id)).toEqual(['a-twin', 'b-twin', 'w1', 'm2', 'm1']);
    expect(plans[0]?.summary).toBe(
      'toxiproxy, login, offline-messages on mgr; 10 supernodes and 4 fleets over 5 nodes: aaa-manager 3, mgr 2, twin/a-twin 3, twin/b-twin 3, worker-1 3',
    );
  });

  it('keeps a service on its node when it is asked for again', () => {
    const targets = placementTargets([mgr, w1], 'm1', 'spread');
    const plan = planPlacement(targets, [
      { name: 'sn-01', role: 'supernode' },
      { name: 'sn-01', role: 'supernode' },
      { name: 'sn-02', role: 'supernode' },
    ]);
    expect(Object.fromEntries(plan.nodeOf)).toEqual({ 'sn-01': 'w1', 'sn-02': 'm1' });
  });

  it('refuses a manager that takes no tasks, naming it and the fix', () => {
    const error = chaosRefusal(() => placementTargets([node('m1', 'mgr', { role: 'manager', availability: 'drain' }), w1], 'm1', 'manager'));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('(mgr) has availability drain');
    expect(error.hint).toContain('docker node update --availability active m1');
  });
});

describe('requirePullableImages', () => {
  const spread = placementTargets([mgr, w1, w2], 'm1', 'spread');

  it('refuses images by local ID when a task may go to another node', () => {
    const error = chaosRefusal(() => requirePullableImages(spread, undefined));
    expect(error.exitCode).toBe(2);
    expect(error.describe()).toBe(
      'INVALID_CONFIG: --place spread puts tasks on other nodes (worker-1, worker-2), which can only pull images from a registry; add --registry HOST:PORT (chaos registry start), or use --place manager',
    );
  });

  it('refuses a loopback registry, which every other node would take for its own', () => {
    for (const registry of ['127.0.0.1:5000', 'localhost:5000', '[::1]:5000']) {
      expect(chaosRefusal(() => requirePullableImages(spread, registry)).message).toContain(`the registry ${registry} is on loopback`);
    }
  });

  it('takes a registry every node can reach, and anything when every task stays on the manager', () => {
    expect(() => requirePullableImages(spread, '10.0.0.5:5000')).not.toThrow();
    expect(() => requirePullableImages(placementTargets([mgr], 'm1', 'spread'), undefined)).not.toThrow();
    expect(() => requirePullableImages(placementTargets([mgr, w1], 'm1', 'manager'), '127.0.0.1:5000')).not.toThrow();
  });
});

describe('describeTargets', () => {
  it('names the nodes in the order they take supernodes and fleets', () => {
    expect(describeTargets(placementTargets([mgr, w2, w1], 'm1', 'spread'))).toBe(
      'toxiproxy, login, offline-messages on mgr; supernodes and fleets round robin over worker-1, worker-2, mgr',
    );
    expect(describeTargets(placementTargets([mgr], 'm1', 'spread'))).toBe('every service on mgr');
  });
});

describe('placementFromEnv', () => {
  it('is manager when unset or empty, and the value when it is a placement', () => {
    expect(placementFromEnv({})).toBe('manager');
    expect(placementFromEnv({ CHAOS_PLACE: '' })).toBe('manager');
    expect(placementFromEnv({ CHAOS_PLACE: 'spread' })).toBe('spread');
  });

  it('refuses anything else, naming CHAOS_PLACE and the values it takes', () => {
    const error = chaosRefusal(() => placementFromEnv({ CHAOS_PLACE: 'everywhere' }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('CHAOS_PLACE "everywhere" is not a placement: allowed are manager and spread');
    expect(error.hint).toContain('e.g. CHAOS_PLACE=spread');
  });
});

describe('swarmNodeInfo', () => {
  it('reads a listed node as plain values', () => {
    const listed = { ID: 'w1', Description: { Hostname: 'worker-1' }, Spec: { Role: 'worker', Availability: 'active' }, Status: { State: 'ready', Addr: '192.168.1.20' } };
    expect(swarmNodeInfo(listed)).toEqual({ id: 'w1', hostname: 'worker-1', role: 'worker', availability: 'active', state: 'ready', addr: '192.168.1.20' });
  });

  it("takes a manager's address from its manager status when its status reads 0.0.0.0", () => {
    const listed = { ID: 'm1', Description: { Hostname: 'mgr' }, Spec: { Role: 'manager', Availability: 'active' }, Status: { State: 'ready', Addr: '0.0.0.0' }, ManagerStatus: { Addr: '192.168.1.10:2377' } };
    expect(swarmNodeInfo(listed).addr).toBe('192.168.1.10');
    expect(swarmNodeInfo({ ID: 'x', Status: { Addr: '0.0.0.0' } })).toMatchObject({ hostname: 'x', role: 'worker', availability: 'unknown', state: 'unknown', addr: '' });
  });
});
