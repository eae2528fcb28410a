import { ChaosError } from '../../../harness/errors.js';
import type { ResourceOwner } from '../../../harness/lifecycle/owner.js';
import type { FaultableLink, LinkMaker, LinkSpec } from '../../../harness/network/link-types.js';
import type { NodeHandle, NodeRuntimeState, NodeSpec, Platform } from '../../../harness/platform/platform.js';
import type { RunEnvironment } from '../../../harness/runner/run-environment.js';
import type { HistoryRecord } from '../../../harness/observe/history-types.js';
import { ActionExecutor } from '../../../harness/runner/action-executor.js';
import type { Distribution, ToxicSpec } from '../../../harness/scenario/types.js';
import { DeployedTopology } from '../../../harness/topology/deploy-topology.js';
import type { PlannedNode, TopologyPlan } from '../../../harness/topology/plan-types.js';
import { supernodeLinks } from '../../../harness/topology/plan-topology.js';
import { parseDuration } from '../../../harness/scenario/duration.js';

/**
 * An in-memory network for the executor and the run session: links that keep their toxics, nodes
 * that die and freeze, a platform that starts them, and one journal of everything done, in order.
 */

export interface FakeOptions {
  /** Toxiproxy refuses toxics on these links (409, as when a toxic already exists). */
  readonly refuseToxicOn?: (link: string) => boolean;
  /** Toxiproxy fails to remove toxics from these links. */
  readonly failRemoveOn?: (link: string) => boolean;
  /** These nodes will not die. */
  readonly refuseKill?: (node: string) => boolean;
  /** Starting these nodes fails. */
  readonly failStart?: (node: string) => boolean;
  /** Runs before a node dies: a slow engine (a Docker kill on a loaded host). */
  readonly beforeKill?: (node: string) => Promise<void>;
  /** The platform's engine-lost signal (a Docker engine that stopped answering). */
  readonly engineLost?: AbortSignal;
  /** The network deployed instead of `smallPlan()`. */
  readonly plan?: TopologyPlan;
  /** These nodes refuse control-port commands. */
  readonly refuseCommand?: (node: string) => boolean;
}

export class FakeLink implements FaultableLink {
  readonly toxics = new Map<string, ToxicSpec>();
  up_ = true;
  private counter = 0;

  constructor(
    readonly name: string,
    private readonly journal: string[],
    private readonly options: FakeOptions,
  ) {}

  get dialAddress(): string {
    return `toxiproxy:${this.name}`;
  }

  async addToxic(spec: ToxicSpec): Promise<string> {
    await Promise.resolve();
    if (this.options.refuseToxicOn?.(this.name) === true) {
      this.journal.push(`refuse ${spec.type} on ${this.name}`);
      throw new ChaosError('TOXIPROXY_UNAVAILABLE', `Toxiproxy failed to add a ${spec.type} toxic to ${this.name}: Request failed with status code 409`, { hint: 'fake' });
    }
    this.counter += 1;
    const name = `${spec.type}_${this.counter}`;
    this.toxics.set(name, spec);
    this.journal.push(`add ${name} on ${this.name}`);
    return name;
  }

  async removeToxic(name: string): Promise<void> {
    await Promise.resolve();
    if (this.options.failRemoveOn?.(this.name) === true) throw new Error(`cannot remove ${name} from ${this.name}`);
    this.toxics.delete(name);
    this.journal.push(`remove ${name} on ${this.name}`);
  }

  async down(): Promise<void> {
    await Promise.resolve();
    this.up_ = false;
    this.journal.push(`down ${this.name}`);
  }

  async up(): Promise<void> {
    await Promise.resolve();
    this.up_ = true;
    this.journal.push(`up ${this.name}`);
  }
}

export class FakeNode implements NodeHandle {
  state: NodeRuntimeState = { state: 'running' };
  readonly upstream;

  constructor(
    readonly name: string,
    readonly role: NodeHandle['role'],
    port: number,
    private readonly journal: string[],
    private readonly options: FakeOptions,
  ) {
    this.upstream = { host: '127.0.0.1', port };
  }

  controlUrl(): string {
    return `fake://${this.name}`;
  }

  async kill(): Promise<void> {
    await (this.options.beforeKill?.(this.name) ?? Promise.resolve());
    if (this.options.refuseKill?.(this.name) === true) throw new Error(`${this.name} would not die`);
    this.state = { state: 'exited', exitCode: 137 };
    this.journal.push(`kill ${this.name}`);
  }

  async stop(): Promise<void> {
    this.state = { state: 'exited', exitCode: 0 };
  }

  async pause(): Promise<void> {
    await Promise.resolve();
    this.state = { state: 'paused' };
    this.journal.push(`pause ${this.name}`);
  }

  async resume(): Promise<void> {
    await Promise.resolve();
    this.state = { state: 'running' };
    this.journal.push(`resume ${this.name}`);
  }

  async restart(): Promise<void> {
    this.state = { state: 'running' };
    this.journal.push(`restart ${this.name}`);
  }

  async inspect(): Promise<NodeRuntimeState> {
    return this.state;
  }

  async logs(): Promise<string> {
    return '';
  }

  /** What the node's `/status` says; undefined while it is dead or frozen. */
  status(): unknown {
    if (this.state.state !== 'running') return undefined;
    switch (this.role) {
      case 'client-fleet':
        return { ready: true, gauges: { clientsTotal: 100, clientsOnline: 100 }, counters: {} };
      case 'supernode':
        return { ready: true, state: 'serving', mode: 'dedicated', gauges: { sessions: 10, capacitySessions: 500, load: 0.02 }, counters: {} };
      default:
        return { ready: true, gauges: {}, counters: {} };
    }
  }
}

export class FakePlatform implements Platform {
  readonly kind = 'local' as const;
  readonly runId = 'fake-run';
  readonly toxiproxy = { apiUrl: 'fake://toxiproxy', listenHost: '127.0.0.1', dialHost: '127.0.0.1', version: '2.12.0' };
  readonly started = new Map<string, FakeNode>();
  readonly engineLost?: AbortSignal;
  private port = 20_000;

  constructor(
    private readonly journal: string[],
    private readonly options: FakeOptions = {},
  ) {
    if (options.engineLost !== undefined) this.engineLost = options.engineLost;
  }

  async reserveNode(): Promise<{ host: string; port: number }> {
    this.port += 1;
    return { host: '127.0.0.1', port: this.port };
  }

  async reserveProxyPort(): Promise<{ listenPort: number }> {
    this.port += 1;
    return { listenPort: this.port };
  }

  async startNode(spec: NodeSpec): Promise<FakeNode> {
    await Promise.resolve();
    if (this.options.failStart?.(spec.name) === true) {
      throw new ChaosError('NODE_START_FAILED', `${spec.name} exited with code 78 before it was healthy`, { hint: 'fake' });
    }
    const node = new FakeNode(spec.name, spec.role, this.port++, this.journal, this.options);
    this.started.set(spec.name, node);
    return node;
  }

  nodes(): readonly NodeHandle[] {
    return [...this.started.values()];
  }

  async dispose(): Promise<void> {
    this.journal.push('dispose platform');
  }
}

/** Links keyed by `<from>-><to>`, as the topology names them. */
export class FakeLinks implements LinkMaker<FakeLink> {
  readonly made = new Map<string, FakeLink>();

  constructor(
    private readonly journal: string[],
    private readonly options: FakeOptions = {},
  ) {}

  async link(spec: LinkSpec): Promise<FakeLink> {
    const link = new FakeLink(`${spec.from}->${spec.to.name}`, this.journal, this.options);
    this.made.set(link.name, link);
    return link;
  }
}

/** A small p2p network: login, one offline-messages server, three peer supernodes, a dedicated box a remedy added, a standby peer, two fleets. */
export function peerPlan(): TopologyPlan {
  const nodes: PlannedNode[] = [
    { name: 'login', role: 'login', group: 'login' },
    { name: 'offline-1', role: 'offline-messages', group: 'offline-messages' },
    ...['sn-01', 'sn-02', 'sn-03'].map((name): PlannedNode => ({ name, role: 'supernode', group: 'supernodes', supernodeKind: 'peer' })),
    { name: 'mega-00', role: 'supernode', group: 'supernodes', supernodeKind: 'mega' },
    { name: 'peer-01', role: 'supernode', group: 'supernodes', supernodeKind: 'standby-peer' },
    { name: 'fleet-1', role: 'client-fleet', group: 'fleets', fleetIndex: 0 },
    { name: 'fleet-2', role: 'client-fleet', group: 'fleets', fleetIndex: 1 },
  ];
  return { architecture: 'p2p', nodes, links: ['sn-01', 'sn-02', 'sn-03', 'mega-00', 'peer-01'].flatMap((name) => supernodeLinks(name)) };
}

/** A small dedicated network: login, one offline-messages server, three supernodes, one fleet. */
export function smallPlan(): TopologyPlan {
  const nodes: PlannedNode[] = [
    { name: 'login', role: 'login', group: 'login' },
    { name: 'offline-1', role: 'offline-messages', group: 'offline-messages' },
    ...['sn-01', 'sn-02', 'sn-03'].map((name): PlannedNode => ({ name, role: 'supernode', group: 'supernodes', supernodeKind: 'dedicated' })),
    { name: 'peer-01', role: 'supernode', group: 'supernodes', supernodeKind: 'standby-peer' },
    { name: 'fleet-1', role: 'client-fleet', group: 'fleets', fleetIndex: 0 },
  ];
  return {
    architecture: 'dedicated',
    nodes,
    links: [
      { from: 'clients', to: 'offline-1' },
      { from: 'supernodes', to: 'offline-1' },
      ...['sn-01', 'sn-02', 'sn-03', 'peer-01'].flatMap((name) => supernodeLinks(name)),
    ],
  };
}

export async function deploySmall(journal: string[], options: FakeOptions = {}): Promise<{ topology: DeployedTopology<FakeLink>; platform: FakePlatform; links: FakeLinks }> {
  const platform = new FakePlatform(journal, options);
  const links = new FakeLinks(journal, options);
  const topology = await DeployedTopology.deploy({ plan: options.plan ?? smallPlan(), platform, links, configFor: () => ({}), reportsReady: async () => true, supernodesHandedOut: async () => Number.POSITIVE_INFINITY });
  return { topology, platform, links };
}

/** The run session's environment on fakes; every platform and link is kept for the test to look at. */
export function fakeEnvironment(journal: string[], options: FakeOptions = {}): RunEnvironment & { platform?: FakePlatform; links?: FakeLinks } {
  const environment: RunEnvironment & { platform?: FakePlatform; links?: FakeLinks } = {
    createPlatform: async ({ owner }: { owner: ResourceOwner }) => {
      const platform = new FakePlatform(journal, options);
      owner.register('platform', () => platform.dispose());
      environment.platform = platform;
      return platform;
    },
    createLinks: (_platform, owner) => {
      const links = new FakeLinks(journal, options);
      owner.register('proxies', () => {
        journal.push('delete proxies');
      });
      environment.links = links;
      return links;
    },
    fetchStatus: async (node, _signal, path) => (path === undefined && node instanceof FakeNode ? node.status() : undefined),
    reportsReady: async () => true, supernodesHandedOut: async () => Number.POSITIVE_INFINITY,
  };
  return environment;
}

/**
 * An executor on a small deployed fake network; its supervisor and records write to the journal too.
 * Its clock (the history's `t`) stands at `clock.t` until a test moves it.
 */
export async function executorOnFakes(options: FakeOptions = {}, clock: { t: number } = { t: 0 }) {
  const journal: string[] = [];
  const records: HistoryRecord[] = [];
  const restarts: [string, Distribution][] = [];
  const { topology, links } = await deploySmall(journal, options);
  journal.length = 0;
  const executor = new ActionExecutor({
    topology,
    supervisor: {
      expectKill: (name) => journal.push(`expect kill ${name}`),
      watch: (node) => journal.push(`watch ${node.name}`),
    },
    record: (event) => {
      records.push(event);
      journal.push(`record ${event.type}${event.type === 'fault' ? ` ${event.action} ${event.id}` : ''}`);
    },
    now: () => clock.t,
    // The first `count` (or all) in order: the executor's part is which names it offers, not the draw.
    choose: (names, selector) => names.slice(0, selector.count ?? names.length),
    planAddedSupernode: (name) => ({ name, role: 'supernode', group: 'supernodes', supernodeKind: 'mega' }),
    overrideRestart: (name, after) => restarts.push([name, after]),
    // One scenario hour is a real second.
    realMs: (duration) => parseDuration(duration) / 3_600,
    // 0.1, 0.3, 0.5, ...: each victim's moment is plain to see.
    draws: () => {
      let next = -0.1;
      return () => (next = (next + 0.2) % 1);
    },
    command: async (node, path, body) => {
      await Promise.resolve();
      if (options.refuseCommand?.(node.name) === true) throw new Error(`${node.name} answered 400 to ${path}`);
      journal.push(`command ${node.name} ${path} ${JSON.stringify(body)}`);
      return {};
    },
  });
  return { executor, journal, records, restarts, links, topology, clock };
}
