import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ResourceOwner } from '../../harness/lifecycle/owner.js';
import { errorMessage } from '../../harness/errors.js';
import type { NodeHandle } from '../../harness/platform/platform.js';
import type { PlannedNode } from '../../harness/topology/plan-types.js';
import { StatusFields, type LatencySummary, type NodeStatusBase } from '../../services/protocol/status.js';
import { addressBookOf, deployServiceNetwork, gauge, readStatus, sleep, type ServiceNetwork } from '../integration/helpers/service-network.js';
import { roomyDedicatedScenario } from './bench-scenario.js';
import { bracketOf, nextFleetSize, type FleetSearchRule, type SearchStop } from './fleet-search.js';
import { readProcessTicks, TICKS_PER_SECOND } from './proc-stat.js';
import { rounded } from './stats.js';

export const heartbeatP99LimitMs = 100;
const rule: FleetSearchRule = { start: 1_000, min: 250, max: 20_000, granularity: 250, resolution: 0.1, maxSteps: 9 };
const settleMs = 5_000;
const readings = 3;
const readingGapMs = 2_000;
/** Logins are spread at one per millisecond; a fleet gets that long plus this to be all online. */
const onlineSlackMs = 30_000;
/** How long the supernodes get to drop the last fleet's sessions before the next size. */
const idleTimeoutMs = 60_000;

/** Three supernodes with room for the largest fleet the search tries. */
const scenario = roomyDedicatedScenario({ supernodes: 3, fleets: 0, clientsPerFleet: 1, sessions: 10_000 });

export type FleetStepOutcome =
  | 'held'
  | 'heartbeat-p99-over-limit'
  | 'not-online-in-time'
  | 'status-unanswered'
  | 'process-died'
  | 'could-not-start'
  | 'network-not-idle';

export interface FleetStep {
  readonly size: number;
  readonly outcome: FleetStepOutcome;
  readonly detail: string;
  readonly tookMs: number;
  readonly onlineAfterMs?: number;
  readonly heartbeatMs?: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly fleetEventLoopLagP99Ms?: number;
  readonly supernodeEventLoopLagP99Ms?: number;
  /** CPU the fleet process used while measured, in cores (1 = one core busy). */
  readonly fleetCpuCores?: number;
}

export interface FleetCapacityResult {
  readonly heartbeatP99LimitMs: number;
  readonly load: string;
  readonly rule: FleetSearchRule;
  readonly steps: readonly FleetStep[];
  readonly largestHeld: number | undefined;
  readonly smallestFailed: number | undefined;
  readonly stop: SearchStop | 'network-not-idle';
  /** Where and why the search stopped, in words. */
  readonly stoppedBecause: string;
  /** Why the network was deployed afresh between sizes (what the last fleet had left broken). */
  readonly redeployedBecause: readonly string[];
}

/** The largest fleet one process holds with heartbeat p99 under the limit, local platform. */
export async function measureFleetCapacity(owner: ResourceOwner, budgetMs: number): Promise<FleetCapacityResult> {
  const deadline = performance.now() + budgetMs;
  const deploy = async (): Promise<{ scope: ResourceOwner; net: ServiceNetwork }> => {
    const scope = owner.scope('fleet capacity network');
    return { scope, net: await deployServiceNetwork({ kind: 'local', owner: scope, scenario, architecture: 'dedicated' }) };
  };
  let { scope, net } = await deploy();
  const steps: FleetStep[] = [];
  const redeployedBecause: string[] = [];
  for (;;) {
    const decision = nextFleetSize(steps.map((step) => ({ size: step.size, held: step.outcome === 'held', tookMs: step.tookMs })), rule, deadline - performance.now());
    const last = steps.at(-1);
    let notIdle = 'stop' in decision || last === undefined ? undefined : await waitNetworkIdle(net, idleTimeoutMs);
    const lastFailed = last !== undefined && last.outcome !== 'held';
    if ('next' in decision && (notIdle !== undefined || lastFailed)) {
      // A fleet too large can break the network itself, not always visibly (Toxiproxy out of file descriptors
      // closes a proxy's listener for good, and its connections linger after the fleet is gone): the size
      // after a failed one, or after one that left the network not idle, starts on a fresh network.
      const why = notIdle ?? `the size failed (${last?.outcome ?? ''}), which can leave Toxiproxy short of file descriptors`;
      console.log(`  after ${last?.size ?? 0} clients: deploying a fresh network (${why})`);
      redeployedBecause.push(`after ${last?.size ?? 0} clients: ${why}`);
      await scope.releaseAll();
      ({ scope, net } = await deploy());
      notIdle = await waitNetworkIdle(net, idleTimeoutMs);
    }
    if (notIdle !== undefined && 'next' in decision) {
      // What the last fleet left on the supernodes would count against the next one: no size is judged then.
      steps.push({ size: decision.next, outcome: 'network-not-idle', detail: notIdle, tookMs: idleTimeoutMs });
      console.log(`  fleet of ${decision.next}: not tried (${notIdle})`);
    }
    if ('stop' in decision || notIdle !== undefined) {
      const stop = 'stop' in decision ? decision.stop : 'network-not-idle';
      const judged = steps.filter((step) => step.outcome !== 'network-not-idle');
      const { held, failed } = bracketOf(judged.map((step) => ({ size: step.size, held: step.outcome === 'held' })));
      return {
        heartbeatP99LimitMs,
        load: `heartbeat every ${scenario.load.heartbeatIntervalMs / 1_000} s, ${scenario.load.lookupsPerClientPerMinute} lookups and ${scenario.load.imsPerClientPerMinute} IM per client per minute; 3 dedicated supernodes, login, offline-messages and Toxiproxy on the same machine`,
        rule,
        steps,
        largestHeld: held,
        smallestFailed: failed,
        stop,
        stoppedBecause: describeStop(stop, steps, failed),
        redeployedBecause,
      };
    }
    const step = await probeFleet(net, decision.next);
    steps.push(step);
    console.log(`  fleet of ${step.size}: ${step.outcome} (${step.detail})`);
  }
}

function describeStop(stop: SearchStop | 'network-not-idle', steps: readonly FleetStep[], failed: number | undefined): string {
  const failure = steps.find((step) => step.size === failed);
  const why = failure === undefined ? '' : `; at ${failure.size}: ${failure.outcome} (${failure.detail})`;
  switch (stop) {
    case 'bracketed':
      return `bracketed within ${rule.resolution * 100}% (or ${rule.granularity} clients)${why}`;
    case 'held-at-maximum':
      return `held at ${rule.max}, the most clients one fleet process accepts (its config limit); more may fit`;
    case 'failed-at-minimum':
      return `failed even at ${rule.min} clients${why}`;
    case 'step-budget':
      return `stopped after ${rule.maxSteps} steps${why}`;
    case 'time-budget':
      return `stopped: the next step would not fit in the bench's time budget${why}`;
    case 'network-not-idle':
      return `stopped: the network did not return to idle after the last fleet (${steps.at(-1)?.detail ?? ''}), so a further size could not be judged${why}`;
  }
}

async function probeFleet(net: ServiceNetwork, size: number): Promise<FleetStep> {
  const started = performance.now();
  const planned: PlannedNode = { name: `bench-fleet-${size}-${Math.round(started)}`, role: 'client-fleet', group: 'fleets', fleetIndex: 0 };
  const base = net.configFor(planned, addressBookOf(net.topology), net.topology);
  const users = { first: 0, count: size };
  let handle: NodeHandle;
  try {
    handle = await net.platform.startNode({ name: planned.name, role: 'client-fleet', config: { ...base, users, contacts: [users], startSpreadMs: size } });
  } catch (error) {
    return { size, outcome: 'could-not-start', detail: errorMessage(error), tookMs: performance.now() - started };
  }
  try {
    const measured = await measureRunningFleet(net, handle, size, started);
    return { ...measured, tookMs: performance.now() - started };
  } finally {
    await handle.stop().catch(() => handle.kill());
  }
}

type MeasuredStep = Omit<FleetStep, 'tookMs'>;

async function measureRunningFleet(net: ServiceNetwork, handle: NodeHandle, size: number, started: number): Promise<MeasuredStep> {
  const online = await waitOnline(handle, size, size + onlineSlackMs);
  if (online.outcome !== 'held') return { size, ...online };
  const onlineAfterMs = Math.round(performance.now() - started);
  const pid = 'pid' in handle && typeof handle.pid === 'number' ? handle.pid : undefined;
  const ticksBefore = pid === undefined ? undefined : await readProcessTicks(pid);
  const cpuFrom = performance.now();
  await sleep(settleMs);
  const fleetReads: NodeStatusBase[] = [];
  const supernodeLags: number[] = [];
  for (let i = 0; i < readings; i += 1) {
    if (i > 0) await sleep(readingGapMs);
    const died = await exitOf(handle);
    if (died !== undefined) return { size, outcome: 'process-died', detail: `the fleet exited with code ${died} while measured`, onlineAfterMs };
    const status = await readStatus(handle).catch(() => undefined);
    if (status === undefined) return { size, outcome: 'status-unanswered', detail: 'the fleet did not answer /status within 3 s', onlineAfterMs };
    fleetReads.push(status);
    const supernodes = await Promise.all(net.topology.nodes('supernodes').map((node) => readStatus(node.handle).catch(() => undefined)));
    for (const supernode of supernodes) if (supernode !== undefined) supernodeLags.push(gauge(supernode, StatusFields.eventLoopLagP99Seconds) * 1_000);
  }
  const ticksAfter = pid === undefined ? undefined : await readProcessTicks(pid);
  const fleetCpuCores = ticksBefore === undefined || ticksAfter === undefined ? undefined : rounded((ticksAfter - ticksBefore) / TICKS_PER_SECOND / ((performance.now() - cpuFrom) / 1_000));
  const rtts = fleetReads.map((status) => status.histograms?.['heartbeatRtt']).filter((rtt): rtt is LatencySummary => rtt !== undefined && rtt.count > 0);
  if (rtts.length === 0) return { size, outcome: 'heartbeat-p99-over-limit', detail: 'no heartbeat was answered', onlineAfterMs };
  const heartbeatMs = { p50: Math.max(...rtts.map((r) => r.p50)), p99: Math.max(...rtts.map((r) => r.p99)), max: Math.max(...rtts.map((r) => r.max)) };
  const fleetEventLoopLagP99Ms = rounded(Math.max(...fleetReads.map((status) => gauge(status, StatusFields.eventLoopLagP99Seconds) * 1_000)), 1);
  const held = heartbeatMs.p99 < heartbeatP99LimitMs;
  return {
    size,
    outcome: held ? 'held' : 'heartbeat-p99-over-limit',
    detail: `heartbeat p99 ${heartbeatMs.p99} ms ${held ? '<' : '>='} ${heartbeatP99LimitMs} ms`,
    onlineAfterMs,
    heartbeatMs,
    fleetEventLoopLagP99Ms,
    ...(supernodeLags.length === 0 ? {} : { supernodeEventLoopLagP99Ms: rounded(Math.max(...supernodeLags), 1) }),
    ...(fleetCpuCores === undefined ? {} : { fleetCpuCores }),
  };
}

async function exitOf(handle: NodeHandle): Promise<number | string | undefined> {
  const state = await handle.inspect();
  return state.state === 'exited' ? (state.exitCode ?? 'unknown') : undefined;
}

/**
 * Polls the supernodes until each answers, serves, and holds no session, and every link from the
 * clients accepts connections: the state a fleet of any size starts from. Returns what is still off
 * when the time is up (at once for a link that refuses), undefined once idle.
 */
async function waitNetworkIdle(net: ServiceNetwork, timeoutMs: number): Promise<string | undefined> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const supernodes = net.topology.nodes('supernodes');
    const statuses = await Promise.all(supernodes.map((node) => readStatus(node.handle).catch(() => undefined)));
    const off = statuses.flatMap((status, i) => {
      const name = supernodes[i]?.planned.name ?? '?';
      if (status === undefined) return [`${name} does not answer /status`];
      if (!status.ready) return [`${name} is not serving`];
      const sessions = gauge(status, StatusFields.supernode.sessions);
      return sessions > 0 ? [`${name} still holds ${sessions} sessions`] : [];
    });
    // A Toxiproxy out of file descriptors stops accepting on a proxy for good: every later fleet would fail there.
    const links = net.topology.links().filter((link) => link.from === 'clients');
    const accepting = await Promise.all(links.map((link) => accepts(link.dialAddress)));
    const refused = links.filter((_, i) => !accepting[i]).map((link) => `link ${link.name} (${link.dialAddress}) refuses connections`);
    // A listener closed does not come back: no use waiting for it.
    if (refused.length > 0) return [...off, ...refused].join(', ');
    if (off.length === 0) return undefined;
    if (performance.now() > deadline) return `${off.join(', ')} after ${Math.round(timeoutMs / 1_000)} s`;
    await sleep(500);
  }
}

/** Whether a TCP connection to `address` (host:port) opens within 2 s. */
function accepts(address: string): Promise<boolean> {
  const separator = address.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = connect({ host: address.slice(0, separator), port: Number(address.slice(separator + 1)), timeout: 2_000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Polls until every client is online, the process exits, or the time is up (each an outcome, never a throw). */
async function waitOnline(handle: NodeHandle, size: number, timeoutMs: number): Promise<{ readonly outcome: FleetStepOutcome; readonly detail: string }> {
  const deadline = performance.now() + timeoutMs;
  let online = 0;
  for (;;) {
    const died = await exitOf(handle);
    if (died !== undefined) return { outcome: 'process-died', detail: `the fleet exited with code ${died} with ${online} of ${size} online` };
    online = await readStatus(handle).then((status) => gauge(status, StatusFields.fleet.clientsOnline), () => online);
    if (online === size) return { outcome: 'held', detail: 'all online' };
    if (performance.now() > deadline) return { outcome: 'not-online-in-time', detail: `${online} of ${size} online after ${Math.round(timeoutMs / 1_000)} s` };
    await sleep(500);
  }
}
