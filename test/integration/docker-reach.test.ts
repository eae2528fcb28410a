import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ChaosError } from '../../harness/errors.js';
import { ResourceOwner } from '../../harness/lifecycle/owner.js';
import { createLinkLayer } from '../../harness/network/link-layer.js';
import { createPlatform } from '../../harness/platform/create-platform.js';
import { dockerApi } from '../../harness/platform/docker-engine.js';
import { DOCKER_REACH_ENV, hostAddresses, networkGateways, reachFromGateways, runNetworkName } from '../../harness/platform/docker-reach.js';
import { RUN_LABEL, type Endpoint, type Platform } from '../../harness/platform/platform.js';
import { systemKillSwitchWorld } from '../../harness/rehearsal/kill-switch.js';

/*
 * How the harness reaches a Docker run's containers: by address on an internal network (`ip`) when it
 * shares the engine's network namespace, else through ports published on 127.0.0.1 (`ports`); the
 * environment can force either.
 */

async function withReachEnv<T>(value: string | undefined, action: () => Promise<T>): Promise<T> {
  const before = process.env[DOCKER_REACH_ENV];
  if (value === undefined) delete process.env[DOCKER_REACH_ENV];
  else process.env[DOCKER_REACH_ENV] = value;
  try {
    return await action();
  } finally {
    if (before === undefined) delete process.env[DOCKER_REACH_ENV];
    else process.env[DOCKER_REACH_ENV] = before;
  }
}

function echoOnce(endpoint: Endpoint, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${endpoint.host}:${endpoint.port}`, { handshakeTimeout: 3_000 });
    const timer = setTimeout(() => reject(new Error(`no echo from ${endpoint.host}:${endpoint.port}`)), 3_000);
    socket.once('open', () => socket.send(payload));
    socket.once('message', (data) => {
      clearTimeout(timer);
      socket.terminate();
      resolve(data.toString());
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe.each([
  { mode: 'by default (auto: decided by the network)', forced: undefined },
  { mode: 'forced to ip', forced: 'ip' },
  { mode: 'forced to ports', forced: 'ports' },
] as const)('docker reach $mode', ({ forced }) => {
  const owner = new ResourceOwner();
  let platform: Platform;

  beforeAll(async () => {
    platform = await withReachEnv(forced, () => createPlatform({ kind: 'docker', owner }));
  });
  afterAll(async () => {
    expect(await owner.releaseAll()).toEqual([]);
  });

  it('dials nodes, Toxiproxy and host-reachable links as the mode says, also after a restart, and chaos heal finds the Toxiproxy', async () => {
    const api = await dockerApi();
    const network = await api.getNetwork(runNetworkName(platform.runId)).inspect();
    const reach = forced ?? reachFromGateways(networkGateways(network), hostAddresses());
    console.log(`[docker reach] ${reach} (Toxiproxy API ${platform.toxiproxy.apiUrl})`);
    expect(network.Internal).toBe(reach === 'ip');

    const node = await platform.startNode({ name: 'echo-1', role: 'echo', config: {} });
    const containers = await api.listContainers({ filters: { label: [`${RUN_LABEL}=${platform.runId}`] } });
    const published = containers.flatMap((c) => c.Ports.filter((p) => p.PublicPort !== undefined));
    if (reach === 'ip') {
      expect(published).toEqual([]);
      expect(new URL(platform.toxiproxy.apiUrl).hostname).toBe(platform.toxiproxy.dialHost);
      expect(new URL(node.controlUrl()).hostname).not.toBe('127.0.0.1');
    } else {
      expect(published.length).toBeGreaterThan(0);
      expect(new Set(published.map((p) => p.IP))).toEqual(new Set(['127.0.0.1']));
      expect(new URL(platform.toxiproxy.apiUrl).hostname).toBe('127.0.0.1');
    }

    // By address every proxy listener is reachable; through published ports only the pool of 2 is.
    const layer = createLinkLayer(platform, owner);
    const count = reach === 'ip' ? 3 : 2;
    for (let i = 1; i <= count; i += 1) {
      const link = await layer.link({ from: `harness-${i}`, to: node, hostReachable: true });
      if (link.hostEndpoint === undefined) throw new Error(`link ${link.name} has no host endpoint`);
      expect(await echoOnce(link.hostEndpoint, `via ${i}`)).toBe(`via ${i}`);
    }
    if (reach === 'ports') {
      await expect(layer.link({ from: 'harness-3', to: node, hostReachable: true })).rejects.toMatchObject({ code: 'INVALID_LINK' });
    }

    await node.kill();
    await node.restart();
    expect((await fetch(`${node.controlUrl()}/healthz`)).status).toBe(200);

    const targets = await systemKillSwitchWorld().toxiproxies();
    expect(targets).toContainEqual({ api: platform.toxiproxy.apiUrl, runId: platform.runId });
  });
});

describe('docker reach override', () => {
  it('an unknown value is INVALID_CONFIG naming the variable and the allowed values, and nothing is created', async () => {
    const owner = new ResourceOwner();
    const runId = 'rbadreach';
    const error = await withReachEnv('bridge', () => createPlatform({ kind: 'docker', owner, runId })).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).code).toBe('INVALID_CONFIG');
    expect((error as ChaosError).message).toContain(DOCKER_REACH_ENV);
    expect((error as ChaosError).message).toContain('auto, ip and ports');
    expect(owner.size).toBe(0);
    const api = await dockerApi();
    expect(await api.listNetworks({ filters: { label: [`${RUN_LABEL}=${runId}`] } })).toEqual([]);
  });
});
