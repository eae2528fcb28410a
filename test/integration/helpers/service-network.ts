import type { ResourceOwner } from '../../../harness/lifecycle/owner.js';
import { createLinkLayer } from '../../../harness/network/link-layer.js';
import type { Link, LinkMaker } from '../../../harness/network/link-types.js';
import { createPlatform } from '../../../harness/platform/create-platform.js';
import type { NodeHandle, Platform, PlatformKind } from '../../../harness/platform/platform.js';
import { createRandom } from '../../../harness/engine/random.js';
import { createTimeScale } from '../../../harness/scenario/time-scale.js';
import type { Architecture, ScenarioDefinition, TopologySpec } from '../../../harness/scenario/types.js';
import { DeployedTopology, type AddressBook, type NodeConfigBuilder } from '../../../harness/topology/deploy-topology.js';
import { nodeConfigBuilder } from '../../../harness/topology/node-configs.js';
import { planTopology } from '../../../harness/topology/plan-topology.js';
import type { NodeStatusBase } from '../../../services/protocol/status.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';

export interface ServiceNetwork {
  readonly platform: Platform;
  readonly layer: LinkMaker<Link>;
  readonly topology: DeployedTopology<Link>;
  readonly configFor: NodeConfigBuilder;
  readonly scenario: ScenarioDefinition;
}

/** The skype-2010 scenario with one architecture's topology and load replaced, for a small test network. */
export function testScenario(
  architecture: Architecture,
  topology: Partial<TopologySpec>,
  load: Partial<ScenarioDefinition['load']> = {},
): ScenarioDefinition {
  const base = skype2010.architectures[architecture];
  if (base === undefined) throw new Error(`skype-2010 has no ${architecture}`);
  const tuning = architecture === 'p2p' ? serviceTestPeer : serviceTestDedicated;
  return {
    ...skype2010,
    controls: [],
    load: { ...skype2010.load, ...serviceTestLoad, ...load },
    architectures: { [architecture]: { ...base, topology: { ...base.topology, supernode: tuning, ...topology } } },
  };
}

/**
 * These tests are about the services working, not about skype-2010's storm: a busy, quick network
 * (heartbeats every second, logins over 4 s) and supernodes far from their limits, whatever the
 * scenario's own tuning is.
 */
const serviceTestLoad = {
  reconnect: { policy: 'naive', intervalMs: 100 },
  heartbeatIntervalMs: 1_000,
  lookupsPerClientPerMinute: 2,
  imsPerClientPerMinute: 1,
  rampUpMs: 4_000,
} as const satisfies Partial<ScenarioDefinition['load']>;
const serviceTestPeer = { capacity: { sessions: 65, requestsPerSecond: 120 }, overloadThreshold: 1, overloadGraceMs: 3_000, rejoinDelayMs: 8_000 };
const serviceTestDedicated = { capacity: { sessions: 1_200, requestsPerSecond: 2_400 }, overloadThreshold: 1, overloadGraceMs: 3_000, rejoinDelayMs: 2_000 };

/** Platform, links and the scenario's topology, every link through Toxiproxy, all owned by `owner`. */
export async function deployServiceNetwork(options: {
  readonly kind: PlatformKind;
  readonly owner: ResourceOwner;
  readonly scenario: ScenarioDefinition;
  readonly architecture: Architecture;
  /** Called once the platform (Toxiproxy, network) is up, before links and nodes: the bench times the parts. */
  readonly onPlatformUp?: (platform: Platform) => void;
}): Promise<ServiceNetwork> {
  const { scenario, architecture } = options;
  const run = scenario.architectures[architecture];
  if (run === undefined) throw new Error(`no ${architecture} in ${scenario.name}`);
  const platform = await createPlatform({ kind: options.kind, owner: options.owner });
  options.onPlatformUp?.(platform);
  const layer = createLinkLayer(platform, options.owner);
  const random = createRandom(scenario.seed);
  const plan = planTopology(architecture, run.topology, () => random.next(), {
    buggyVersion: scenario.load.buggyVersion,
    crashProbability: scenario.load.crashProbability,
  });
  const configFor = nodeConfigBuilder({ scenario, architecture, scale: createTimeScale(scenario.timeScale), seed: scenario.seed });
  const topology = await DeployedTopology.deploy({ plan, platform, links: layer, configFor });
  return { platform, layer, topology, configFor, scenario };
}

/** Where nodes dial each other in a deployed topology (for nodes started outside it). */
export function addressBookOf(topology: DeployedTopology<Link>): AddressBook {
  return {
    dial: (from, to) => {
      const link = topology.linksTo([to], from)[0];
      if (link === undefined) throw new Error(`no link ${from}->${to}`);
      return link.dialAddress;
    },
  };
}

export async function readStatus(handle: NodeHandle): Promise<NodeStatusBase> {
  const response = await fetch(`${handle.controlUrl()}/status`, { signal: AbortSignal.timeout(3_000) });
  if (!response.ok) throw new Error(`${handle.name} /status answered ${response.status}`);
  return (await response.json()) as NodeStatusBase;
}

export const counter = (status: NodeStatusBase, name: string): number => status.counters[name] ?? 0;
export const gauge = (status: NodeStatusBase, name: string): number => status.gauges[name] ?? 0;

/** A fleet's states and the counters that explain them, for a failed wait's message. */
export function describeFleet(status: NodeStatusBase): string {
  const gauges = ['clientsOnline', 'clientsResyncing', 'clientsRehoming', 'clientsCrashed'].map((name) => `${name}=${gauge(status, name)}`);
  const counters = ['logins', 'loginFailures', 'registrations', 'registrationsRejected', 'sessionsLost', 'heartbeatTimeouts', 'offlineFetchFailures', 'inboxResyncs', 'crashes'].map(
    (name) => `${name}=${counter(status, name)}`,
  );
  return [...gauges, ...counters, `lagP99=${gauge(status, 'eventLoopLagP99Seconds')}s`].join(' ');
}

export async function readAll(handles: readonly NodeHandle[]): Promise<NodeStatusBase[]> {
  return Promise.all(handles.map((handle) => readStatus(handle)));
}

export const sum = (statuses: readonly NodeStatusBase[], read: (status: NodeStatusBase) => number): number =>
  statuses.reduce((total, status) => total + read(status), 0);

/** Polls `check` until it holds; returns the milliseconds it took, or throws with the last observation. */
export async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean | string>, everyMs = 250): Promise<number> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result === true) return Date.now() - started;
      last = result;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
