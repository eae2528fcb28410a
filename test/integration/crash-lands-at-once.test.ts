import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { crashFault } from '../../harness/faults/crash-fault.js';
import type { FaultContext } from '../../harness/faults/fault-kind.js';
import { ResourceOwner } from '../../harness/lifecycle/owner.js';
import { LinkHolds } from '../../harness/network/link-holds.js';
import { createLinkLayer } from '../../harness/network/link-layer.js';
import type { Link } from '../../harness/network/link-types.js';
import { createPlatform } from '../../harness/platform/create-platform.js';
import type { Endpoint, NodeHandle, Platform } from '../../harness/platform/platform.js';
import { closedWithin } from './helpers/socket-closed.js';

const victims = 3;

function connect(endpoint: Endpoint): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${endpoint.host}:${endpoint.port}`, { handshakeTimeout: 3_000 });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function notUsedByACrash(what: string): never {
  throw new Error(`a crash does not use ${what}`);
}

/**
 * The engine kills one container after another (Docker: about 0.5 s each on a quiet machine); a
 * crash of several nodes must still reach every victim's connections before the first kill, so no
 * client re-homes from one victim onto another that is about to die.
 */
describe.each(['docker', 'local'] as const)('%s platform: a crash of several nodes', (kind) => {
  const owner = new ResourceOwner();
  let platform: Platform;
  const nodes: NodeHandle[] = [];
  const links: Link[] = [];

  beforeAll(async () => {
    platform = await createPlatform({ kind, owner });
    const layer = createLinkLayer(platform, owner);
    for (let i = 1; i <= victims; i += 1) {
      const node = await platform.startNode({ name: `echo-${i}`, role: 'echo', config: {} });
      nodes.push(node);
      links.push(await layer.link({ from: 'harness', to: node, hostReachable: true }));
    }
  });

  afterAll(async () => {
    await owner.releaseAll();
  });

  it('cuts every victim\'s connections before the first kill, and leaves the links up (to dead nodes) once all are dead', async () => {
    const sockets = await Promise.all(links.map((link) => connect(link.hostEndpoint ?? notUsedByACrash('a link without a host endpoint'))));
    const allClosedAtEachKill: boolean[] = [];
    const watchedNodes = new Map(
      nodes.map((node) => [
        node.name,
        Object.assign(Object.create(node) as NodeHandle, {
          kill: async () => {
            const closed = await Promise.all(sockets.map((socket) => closedWithin(socket, 5_000)));
            allClosedAtEachKill.push(closed.every(Boolean));
            await node.kill();
          },
        }),
      ]),
    );
    const holds = new LinkHolds();
    const expectedKills: string[] = [];
    const context: FaultContext = {
      chooseNodes: () => nodes.map((node) => node.name),
      chooseLinks: () => notUsedByACrash('chooseLinks'),
      linksInto: (names) => links.filter((link) => names.includes(link.to)),
      holdDown: (held) => holds.holdDown(held),
      node: (name) => watchedNodes.get(name),
      nodes: { expectKill: (name) => void expectedKills.push(name), watch: () => notUsedByACrash('watch') },
      overrideRestart: () => notUsedByACrash('overrideRestart'),
      planAddedSupernode: () => notUsedByACrash('planAddedSupernode'),
      addNodes: () => notUsedByACrash('addNodes'),
      nextNumber: () => notUsedByACrash('nextNumber'),
      realMs: () => notUsedByACrash('realMs'),
      draws: () => notUsedByACrash('draws'),
      command: () => notUsedByACrash('command'),
    };

    const injection = await crashFault.inject({ do: 'crash', id: 'box', target: { nodes: { group: 'supernodes' } } }, context);

    expect(expectedKills).toEqual(nodes.map((node) => node.name));
    expect(allClosedAtEachKill).toEqual(nodes.map(() => true));
    for (const node of nodes) expect((await node.inspect()).state).toBe('exited');
    for (const link of links) {
      expect(holds.heldBy(link.name)).toBe(0);
      const proxy = (await (await fetch(`${platform.toxiproxy.apiUrl}/proxies/${encodeURIComponent(link.name)}`)).json()) as { enabled: boolean };
      expect(proxy.enabled).toBe(true);
    }
    expect(injection.records).toEqual([{ type: 'fault', id: 'box', action: 'inject', kind: 'crash', targets: nodes.map((node) => node.name) }]);
  });
});
