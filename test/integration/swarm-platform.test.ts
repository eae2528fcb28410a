import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ResourceOwner } from '../../harness/lifecycle/owner.js';
import { createLinkLayer } from '../../harness/network/link-layer.js';
import type { Link, LinkMaker } from '../../harness/network/link-types.js';
import { createPlatform } from '../../harness/platform/create-platform.js';
import { dockerApi, type DockerApi } from '../../harness/platform/docker-engine.js';
import { RUN_LABEL, type Endpoint, type NodeHandle, type Platform } from '../../harness/platform/platform.js';
import { readSwarmMembership } from '../../harness/platform/swarm-engine.js';
import { runCli } from './helpers/run-cli.js';
import { singleNodeSwarm, swarmTestsWanted, type SwarmForTest } from './helpers/single-node-swarm.js';
import { closedWithin } from './helpers/socket-closed.js';

/**
 * The swarm platform on this engine as a single-node swarm: made here when the engine is in none (and
 * left again at the end), used as it is otherwise.
 */

function connect(endpoint: Endpoint, timeoutMs = 3_000): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${endpoint.host}:${endpoint.port}`, { handshakeTimeout: timeoutMs });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`closed before open (${code})`)));
  });
}

function echo(socket: WebSocket, payload: string, timeoutMs = 3_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const timer = setTimeout(() => reject(new Error('no echo')), timeoutMs);
    socket.once('message', (data) => {
      clearTimeout(timer);
      if (data.toString() === payload) resolve(performance.now() - started);
      else reject(new Error(`echoed ${data.toString()}`));
    });
    socket.send(payload);
  });
}

async function echoOnce(endpoint: Endpoint, payload: string): Promise<number> {
  const socket = await connect(endpoint);
  try {
    return await echo(socket, payload);
  } finally {
    socket.terminate();
  }
}

/** Echo round trips over one connection, after a warm-up: their median. */
async function medianRtt(endpoint: Endpoint): Promise<number> {
  const socket = await connect(endpoint);
  try {
    await echo(socket, 'warm-up');
    const samples: number[] = [];
    for (let i = 0; i < 5; i += 1) samples.push(await echo(socket, `ping-${i}`));
    return samples.sort((a, b) => a - b)[2] ?? Number.NaN;
  } finally {
    socket.terminate();
  }
}

describe.skipIf(!swarmTestsWanted)('swarm platform: an echo node behind a Toxiproxy link', () => {
  const owner = new ResourceOwner();
  let api: DockerApi;
  let swarm: SwarmForTest | undefined;
  let refusedOutsideSwarm: { code: number | null; stderr: string; outDirEntries: string[] } | undefined;
  let platform: Platform;
  let layer: LinkMaker<Link>;
  let node: NodeHandle;
  let link: Link;
  let endpoint: Endpoint;

  beforeAll(async () => {
    api = await dockerApi();
    const membership = await readSwarmMembership(api);
    if (!membership.inSwarm) {
      const out = await mkdtemp(join(tmpdir(), 'swarm-refused-'));
      const result = await runCli(['run', 'skype-2010', '--platform', 'swarm', '--out', join(out, 'reports')], { timeoutMs: 60_000 });
      refusedOutsideSwarm = { code: result.code, stderr: result.stderr, outDirEntries: await readdir(out) };
      await rm(out, { recursive: true, force: true });
    }
    swarm = await singleNodeSwarm(api);
    const started = performance.now();
    platform = await createPlatform({ kind: 'swarm', owner });
    const platformMs = performance.now() - started;
    layer = createLinkLayer(platform, owner);
    const nodeStarted = performance.now();
    node = await platform.startNode({ name: 'echo-1', role: 'echo', config: {} });
    const nodeMs = performance.now() - nodeStarted;
    link = await layer.link({ from: 'harness', to: node, hostReachable: true });
    if (link.hostEndpoint === undefined) throw new Error('a hostReachable link has no host endpoint');
    endpoint = link.hostEndpoint;
    console.log(`[swarm] platform up in ${platformMs.toFixed(0)} ms (Toxiproxy ${platform.toxiproxy.version}), echo node in ${nodeMs.toFixed(0)} ms`);
  });

  afterAll(async () => {
    await owner.releaseAll();
    await swarm?.leave();
  });

  it('refused a run outside a swarm with exit 2, the fix, and nothing written (when the engine was in none)', () => {
    if (refusedOutsideSwarm === undefined) return;
    expect(refusedOutsideSwarm.code).toBe(2);
    expect(refusedOutsideSwarm.stderr).toContain('the Docker engine is not in a swarm');
    expect(refusedOutsideSwarm.stderr).toContain('docker swarm init');
    expect(refusedOutsideSwarm.outDirEntries).toEqual([]);
  });

  it('runs each of them as a service of its run, on an overlay network of its own', async () => {
    const services = await api.listServices({ filters: { label: [`${RUN_LABEL}=${platform.runId}`] } });
    expect(services.map((s) => s.Spec?.Name).sort()).toEqual([`sc-${platform.runId}-echo-1`, `sc-${platform.runId}-toxiproxy`]);
    const networks = await api.listNetworks({ filters: { label: [`${RUN_LABEL}=${platform.runId}`] } });
    expect(networks.map((n) => [n.Name, n.Driver, n.Attachable])).toEqual([[`sc-${platform.runId}`, 'overlay', true]]);
    expect(node.upstream).toEqual({ host: `sc-${platform.runId}-echo-1`, port: 7000 });
  });

  it('carries data through the link; a cut closes open connections and refuses new ones until healed', async () => {
    expect(await echoOnce(endpoint, 'hello')).toBeGreaterThan(0);
    const open = await connect(endpoint);
    await echo(open, 'before');
    await link.down();
    expect(await closedWithin(open, 3_000)).toBe(true);
    await expect(connect(endpoint, 1_500)).rejects.toThrow();
    await link.up();
    expect(await echoOnce(endpoint, 'after')).toBeGreaterThan(0);
  });

  it('a 200 ms latency toxic raises the echo round trip by 180-260 ms', async () => {
    const baseline = await medianRtt(endpoint);
    const toxic = await link.addToxic({ type: 'latency', attributes: { latency: 200 } });
    const slowed = await medianRtt(endpoint);
    await link.removeToxic(toxic);
    console.log(`[swarm] echo RTT median: baseline ${baseline.toFixed(1)} ms, with 200 ms latency ${slowed.toFixed(1)} ms`);
    expect(slowed - baseline).toBeGreaterThanOrEqual(180);
    expect(slowed - baseline).toBeLessThanOrEqual(260);
  });

  it('crash kills the task container (137); restart starts a new task behind the same upstream', async () => {
    const controlBefore = node.controlUrl();
    await node.kill();
    expect(await node.inspect()).toEqual({ state: 'exited', exitCode: 137 });
    await expect(connect(endpoint, 1_500).then((s) => echo(s, 'dead?', 1_000))).rejects.toThrow();
    const started = performance.now();
    await node.restart();
    console.log(`[swarm] restart after kill healthy in ${(performance.now() - started).toFixed(0)} ms (control ${controlBefore} -> ${node.controlUrl()})`);
    expect((await node.inspect()).state).toBe('running');
    expect(node.upstream).toEqual({ host: `sc-${platform.runId}-echo-1`, port: 7000 });
    expect(await echoOnce(endpoint, 'alive')).toBeGreaterThan(0);
    const status = (await (await fetch(`${node.controlUrl()}/status`)).json()) as { name: string };
    expect(status.name).toBe('echo-1');
  });

  it('pause freezes the task container and resume thaws it; stop exits 0 and restart brings it back', async () => {
    const socket = await connect(endpoint);
    await node.pause();
    expect((await node.inspect()).state).toBe('paused');
    const pending = echo(socket, 'frozen', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await node.resume();
    expect((await node.inspect()).state).toBe('running');
    expect(await pending).toBeGreaterThanOrEqual(500);
    socket.terminate();
    await node.stop();
    expect(await node.inspect()).toEqual({ state: 'exited', exitCode: 0 });
    expect(await node.logs()).toContain('SIGTERM: shutting down');
    await node.restart();
    expect(await echoOnce(endpoint, 'back')).toBeGreaterThan(0);
  });

  it('after owner.releaseAll() no service, network or container of the run is left', async () => {
    const runId = platform.runId;
    const started = performance.now();
    expect(await owner.releaseAll()).toEqual([]);
    console.log(`[swarm] released everything in ${(performance.now() - started).toFixed(0)} ms`);
    const filters = { label: [`${RUN_LABEL}=${runId}`] };
    expect(await api.listServices({ filters })).toEqual([]);
    expect(await api.listNetworks({ filters })).toEqual([]);
    expect(await api.listContainers({ all: true, filters })).toEqual([]);
  });
});
