import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ChaosError } from '../../harness/errors.js';
import { ResourceOwner } from '../../harness/lifecycle/owner.js';
import { createLinkLayer } from '../../harness/network/link-layer.js';
import type { Link, LinkMaker } from '../../harness/network/link-types.js';
import { validateToxic } from '../../harness/network/toxic-schema.js';
import { createPlatform } from '../../harness/platform/create-platform.js';
import { dockerApi } from '../../harness/platform/docker-engine.js';
import { RUN_LABEL, type Endpoint, type NodeHandle, type Platform } from '../../harness/platform/platform.js';
import { pidAlive } from '../../harness/platform/process-identity.js';
import { registryDir } from '../../harness/platform/run-registry.js';
import type { ToxicSpec } from '../../harness/scenario/types.js';
import { closedWithin } from './helpers/socket-closed.js';

const pings = 7;

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

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Median echo round trip over a fresh connection through the link, after one warm-up echo. */
async function medianRtt(endpoint: Endpoint): Promise<number> {
  const socket = await connect(endpoint);
  try {
    await echo(socket, 'warm-up');
    const samples: number[] = [];
    for (let i = 0; i < pings; i += 1) samples.push(await echo(socket, `ping-${i}`));
    return median(samples);
  } finally {
    socket.terminate();
  }
}

async function proxyToxics(platform: Platform, link: Link): Promise<unknown[]> {
  const response = await fetch(`${platform.toxiproxy.apiUrl}/proxies/${encodeURIComponent(link.name)}/toxics`);
  return (await response.json()) as unknown[];
}

async function proxyEnabled(platform: Platform, link: Link): Promise<boolean> {
  const response = await fetch(`${platform.toxiproxy.apiUrl}/proxies/${encodeURIComponent(link.name)}`);
  return ((await response.json()) as { enabled: boolean }).enabled;
}

describe.each(['docker', 'local'] as const)('%s platform: echo nodes behind Toxiproxy links', (kind) => {
  const owner = new ResourceOwner();
  let platform: Platform;
  let layer: LinkMaker<Link>;
  let node: NodeHandle;
  let link: Link;
  let endpoint: Endpoint;
  const proxiesLeftBeforeToxiproxyRelease: string[] = [];

  beforeAll(async () => {
    const started = performance.now();
    platform = await createPlatform({ kind, owner });
    const platformMs = performance.now() - started;
    owner.register('probe: proxies left just before Toxiproxy goes', async () => {
      const response = await fetch(`${platform.toxiproxy.apiUrl}/proxies`);
      const names = Object.keys((await response.json()) as Record<string, unknown>);
      proxiesLeftBeforeToxiproxyRelease.push(...names.filter((n) => n.startsWith(`${platform.runId}.`)));
    });
    layer = createLinkLayer(platform, owner);
    const nodeStarted = performance.now();
    node = await platform.startNode({ name: 'echo-1', role: 'echo', config: {} });
    const nodeMs = performance.now() - nodeStarted;
    link = await layer.link({ from: 'harness', to: node, hostReachable: true });
    if (link.hostEndpoint === undefined) throw new Error('a hostReachable link has no host endpoint');
    endpoint = link.hostEndpoint;
    console.log(`[${kind}] platform up in ${platformMs.toFixed(0)} ms (Toxiproxy ${platform.toxiproxy.version}), echo node in ${nodeMs.toFixed(0)} ms`);
  });

  afterAll(async () => {
    await owner.releaseAll();
  });

  it('a 200 ms latency toxic raises the echo round trip by 180-260 ms; removing it restores it', async () => {
    const baseline = await medianRtt(endpoint);
    const toxic = await link.addToxic({ type: 'latency', attributes: { latency: 200 } });
    const slowed = await medianRtt(endpoint);
    await link.removeToxic(toxic);
    await link.removeToxic(toxic);
    const restored = await medianRtt(endpoint);
    console.log(`[${kind}] echo RTT median: baseline ${baseline.toFixed(1)} ms, with 200 ms latency ${slowed.toFixed(1)} ms (+${(slowed - baseline).toFixed(1)}), after removal ${restored.toFixed(1)} ms`);
    expect(slowed - baseline).toBeGreaterThanOrEqual(180);
    expect(slowed - baseline).toBeLessThanOrEqual(260);
    expect(Math.abs(restored - baseline)).toBeLessThan(50);
    expect(await proxyToxics(platform, link)).toEqual([]);
  });

  it('refuses a bad toxic before sending anything, naming field, value and range', async () => {
    const bad: ToxicSpec = { type: 'latency', toxicity: 2, attributes: { latency: -5 } };
    const error = await link.addToxic(bad).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ChaosError);
    const chaos = error as ChaosError;
    expect(chaos.code).toBe('INVALID_TOXIC');
    expect(chaos.message).toContain('attributes.latency: -5 is out of range');
    expect(chaos.message).toContain('from 0 to 3600000');
    expect(chaos.message).toContain('toxicity: 2 is out of range');
    expect(chaos.message).toContain('from 0 to 1');
    expect(await proxyToxics(platform, link)).toEqual([]);
  });

  it('the real Toxiproxy accepts every toxic type with the attributes the harness sends', async () => {
    const specs: ToxicSpec[] = [
      { type: 'latency', stream: 'upstream', toxicity: 0.5, attributes: { latency: 10, jitter: 5 } },
      { type: 'bandwidth', attributes: { rate: 1_000 } },
      { type: 'slow_close', attributes: { delay: 100 } },
      { type: 'timeout', attributes: { timeout: 5_000 } },
      { type: 'reset_peer', attributes: { timeout: 5_000 } },
      { type: 'slicer', attributes: { average_size: 64, size_variation: 16, delay: 10 } },
      { type: 'limit_data', attributes: { bytes: 1_000_000 } },
    ];
    const names: string[] = [];
    for (const spec of specs) names.push(await link.addToxic(spec));
    const onServer = (await proxyToxics(platform, link)) as { type: string; stream: string; toxicity: number; attributes: Record<string, number> }[];
    expect(onServer.map((t) => t.type).sort()).toEqual(specs.map((s) => s.type).sort());
    for (const sent of specs.map((spec) => validateToxic(spec))) {
      const server = onServer.find((t) => t.type === sent.type);
      expect(server?.attributes).toEqual(sent.attributes);
      expect(server?.stream).toBe(sent.stream);
      expect(server?.toxicity).toBeCloseTo(sent.toxicity);
    }
    for (const name of names) await link.removeToxic(name);
    expect(await proxyToxics(platform, link)).toEqual([]);
  });

  it('down() fails new connections and closes open ones; up() restores them', async () => {
    const open = await connect(endpoint);
    await echo(open, 'before');
    await link.down();
    await link.down();
    expect(await proxyEnabled(platform, link)).toBe(false);
    expect(await closedWithin(open, 3_000)).toBe(true);
    await expect(connect(endpoint, 1_500)).rejects.toThrow();
    await link.up();
    await link.up();
    expect(await proxyEnabled(platform, link)).toBe(true);
    const again = await connect(endpoint);
    expect(await echo(again, 'after')).toBeGreaterThan(0);
    again.terminate();
  });

  it('kill() makes the node unreachable; restart() brings it back', async () => {
    await node.kill();
    const state = await node.inspect();
    expect(state.state).toBe('exited');
    expect(state.exitCode).toBe(137);
    await expect(connect(endpoint, 1_500).then((s) => echo(s, 'dead?', 1_000))).rejects.toThrow();
    const started = performance.now();
    await node.restart();
    console.log(`[${kind}] restart after kill healthy in ${(performance.now() - started).toFixed(0)} ms`);
    expect((await node.inspect()).state).toBe('running');
    const socket = await connect(endpoint);
    expect(await echo(socket, 'alive')).toBeGreaterThan(0);
    socket.terminate();
    const status = (await (await fetch(`${node.controlUrl()}/status`)).json()) as { name: string };
    expect(status.name).toBe('echo-1');
  });

  it('pause() freezes the node and resume() thaws it; stop() exits it with code 0', async () => {
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
  });

  it('after owner.releaseAll() nothing of the run remains (asked of Docker, the OS and Toxiproxy)', async () => {
    const runId = platform.runId;
    const record = kind === 'local' ? (JSON.parse(await readFile(join(registryDir(), `${runId}.json`), 'utf8')) as { processes: { pid: number }[] }) : undefined;
    const pids = record?.processes.map((p) => p.pid) ?? [];
    if (kind === 'local') expect(pids.length).toBe(2);
    const started = performance.now();
    expect(await owner.releaseAll()).toEqual([]);
    console.log(`[${kind}] released everything in ${(performance.now() - started).toFixed(0)} ms`);

    // The run owns its Toxiproxy: the proxies end with it, not one delete at a time before it.
    expect(platform.toxiproxy.ownedByRun).toBe(true);
    expect(proxiesLeftBeforeToxiproxyRelease).toContain(link.name);
    // Reached by address, the Toxiproxy's container and network are asked of Docker below: the address of
    // a removed network routes off the host, so it is not dialled.
    if (new URL(platform.toxiproxy.apiUrl).hostname === '127.0.0.1') {
      await expect(fetch(`${platform.toxiproxy.apiUrl}/proxies`, { signal: AbortSignal.timeout(1_000) })).rejects.toThrow();
    }
    const api = await dockerApi();
    const filters = { label: [`${RUN_LABEL}=${runId}`] };
    expect(await api.listContainers({ all: true, filters })).toEqual([]);
    expect(await api.listNetworks({ filters })).toEqual([]);
    expect(pids.filter((pid) => pidAlive(pid))).toEqual([]);
    await expect(readFile(join(registryDir(), `${runId}.json`))).rejects.toThrow();
  });
});
