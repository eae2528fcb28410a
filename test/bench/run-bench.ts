import { performance } from 'node:perf_hooks';
import Table from 'cli-table3';
import WebSocket from 'ws';
import { ResourceOwner } from '../../harness/lifecycle/owner.js';
import type { Endpoint, NodeHandle } from '../../harness/platform/platform.js';
import type { PlannedNode } from '../../harness/topology/plan-types.js';
import { authToken } from '../../services/protocol/auth-token.js';
import { StatusFields } from '../../services/protocol/status.js';
import { addressBookOf, deployServiceNetwork, gauge, readStatus, sleep, testScenario, waitUntil, type ServiceNetwork } from '../integration/helpers/service-network.js';

/** Fleet sizes stepped through; stops at the first whose heartbeat-lag p99 exceeds the limit. */
const fleetSteps = [500, 1_000, 2_000, 3_000, 4_000, 6_000, 8_000];
const heartbeatP99LimitMs = 100;
const settleMs = 5_000;
const lookups = 400;

const scenario = testScenario(
  'dedicated',
  {
    supernodes: 3,
    fleets: 0,
    clientsPerFleet: 1,
    // Roomy supernodes: the fleet process, not supernode capacity, is what is measured.
    supernode: { capacity: { sessions: 10_000, requestsPerSecond: 50_000 }, overloadThreshold: 1, overloadGraceMs: 3_000, rejoinDelayMs: 1_000 },
  },
  { versionMix: { '5.0.0.156': 1 } },
);

interface FleetStep {
  readonly size: number;
  readonly onlineAfterMs: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

async function measureFleet(net: ServiceNetwork, size: number): Promise<FleetStep> {
  const planned: PlannedNode = { name: `bench-fleet-${size}`, role: 'client-fleet', group: 'fleets', fleetIndex: 0 };
  const base = net.configFor(planned, addressBookOf(net.topology), net.topology);
  const users = { first: 0, count: size };
  const started = Date.now();
  const handle = await net.platform.startNode({
    name: planned.name,
    role: 'client-fleet',
    config: { ...base, users, contacts: [users], startSpreadMs: Math.max(1_000, size) },
  });
  try {
    await waitUntil(`${size} clients online`, 60_000, async () => gauge(await readStatus(handle), StatusFields.fleet.clientsOnline) === size, 500);
    const onlineAfterMs = Date.now() - started;
    await sleep(settleMs);
    const rtt = (await readStatus(handle)).histograms?.['heartbeatRtt'];
    if (rtt === undefined) throw new Error('fleet /status has no heartbeatRtt histogram');
    return { size, onlineAfterMs, p50: rtt.p50, p99: rtt.p99, max: rtt.max };
  } finally {
    await stopQuietly(handle);
  }
}

async function stopQuietly(handle: NodeHandle): Promise<void> {
  try {
    await handle.stop();
  } catch {
    await handle.kill();
  }
}

function open(endpoint: Endpoint): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${endpoint.host}:${endpoint.port}/`, { handshakeTimeout: 3_000 });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function reply(socket: WebSocket, type: string, timeoutMs = 3_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      reject(new Error(`no ${type} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      if (frame['type'] === 'error') {
        clearTimeout(timer);
        socket.off('message', onMessage);
        reject(new Error(`error frame: ${JSON.stringify(frame)}`));
      } else if (frame['type'] === type) {
        clearTimeout(timer);
        socket.off('message', onMessage);
        resolve(frame);
      }
    };
    socket.on('message', onMessage);
  });
}

/** Registers a raw client, then times `lookups` sequential lookups of itself (found locally: one hop). */
async function lookupRtts(endpoint: Endpoint, secret: string, userId: string): Promise<number[]> {
  const socket = await open(endpoint);
  try {
    const registered = reply(socket, 'registered');
    socket.send(JSON.stringify({ v: 1, type: 'register', userId, token: authToken(secret, userId), clientVersion: '5.0.0.156' }));
    await registered;
    const samples: number[] = [];
    for (let i = 0; i < lookups + 20; i += 1) {
      const started = performance.now();
      const result = reply(socket, 'lookup-result');
      socket.send(JSON.stringify({ v: 1, type: 'lookup', requestId: `b${i}`, userId }));
      const frame = await result;
      if (frame['found'] !== true) throw new Error(`lookup ${i} did not find ${userId}`);
      if (i >= 20) samples.push(performance.now() - started);
    }
    return samples;
  } finally {
    socket.terminate();
  }
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
};
const ms = (value: number): string => value.toFixed(value < 10 ? 2 : 1);

async function main(): Promise<void> {
  const owner = new ResourceOwner();
  const benchStarted = Date.now();
  try {
    const net = await deployServiceNetwork({ kind: 'local', owner, scenario, architecture: 'dedicated' });
    console.log(`local platform: login, offline-messages, 3 dedicated supernodes up in ${Date.now() - benchStarted} ms (every link through Toxiproxy)\n`);

    const steps: FleetStep[] = [];
    for (const size of fleetSteps) {
      const step = await measureFleet(net, size);
      steps.push(step);
      console.log(`  fleet ${size}: heartbeat p99 ${ms(step.p99)} ms`);
      if (step.p99 > heartbeatP99LimitMs) break;
    }
    const fleetTable = new Table({ head: ['clients in one fleet', 'all online after', 'heartbeat p50', 'heartbeat p99', 'heartbeat max', `p99 < ${heartbeatP99LimitMs} ms`] });
    for (const step of steps) {
      fleetTable.push([step.size, `${(step.onlineAfterMs / 1_000).toFixed(1)} s`, `${ms(step.p50)} ms`, `${ms(step.p99)} ms`, `${ms(step.max)} ms`, step.p99 < heartbeatP99LimitMs ? 'yes' : 'NO']);
    }
    const held = steps.filter((step) => step.p99 < heartbeatP99LimitMs).at(-1);
    console.log('\n(a) virtual clients one fleet process holds (local platform, 2 cores shared with 3 supernodes, login, Toxiproxy)');
    console.log(fleetTable.toString());
    console.log(
      held === undefined
        ? 'no step stayed under the limit'
        : `largest fleet with heartbeat p99 under ${heartbeatP99LimitMs} ms: ${held.size}${held === steps.at(-1) && held.size === fleetSteps.at(-1) ? ' (the cap; more may fit)' : ''}`,
    );

    const supernode = net.topology.node('sn-01');
    if (supernode === undefined) throw new Error('no sn-01');
    const secret = String(net.configFor(supernode.planned, addressBookOf(net.topology), net.topology)['secret']);
    const proxied = await net.layer.link({ from: 'harness', to: supernode.handle, hostReachable: true });
    if (proxied.hostEndpoint === undefined) throw new Error('the harness link has no host endpoint');
    const direct = await lookupRtts(supernode.handle.upstream, secret, 'bench-direct');
    const through = await lookupRtts(proxied.hostEndpoint, secret, 'bench-proxied');
    const rttTable = new Table({ head: [`${lookups} lookups`, 'p50', 'p90', 'p99', 'max'] });
    const row = (label: string, values: number[]): (string | number)[] => [label, ...[0.5, 0.9, 0.99].map((p) => `${ms(percentile(values, p))} ms`), `${ms(Math.max(...values))} ms`];
    rttTable.push(row('direct to the supernode', direct), row('through Toxiproxy', through));
    rttTable.push(['ratio (Toxiproxy / direct)', ...[0.5, 0.9, 0.99].map((p) => `${(percentile(through, p) / percentile(direct, p)).toFixed(2)}x`), `${(Math.max(...through) / Math.max(...direct)).toFixed(2)}x`]);
    console.log('\n(b) lookup round trip, raw ws client (register, then sequential lookups of itself), local platform');
    console.log(rttTable.toString());
    console.log(`added by Toxiproxy at the median: ${ms(percentile(through, 0.5) - percentile(direct, 0.5))} ms`);
  } finally {
    const failures = await owner.releaseAll();
    if (failures.length > 0) console.error(`cleanup failures:\n${failures.join('\n')}`);
    console.log(`\nbench took ${((Date.now() - benchStarted) / 1_000).toFixed(0)} s`);
  }
}

await main();
