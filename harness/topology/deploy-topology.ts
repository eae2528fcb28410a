import pLimit from 'p-limit';
import { ChaosError } from '../errors.js';
import type { DialableLink, LinkMaker } from '../network/link-types.js';
import type { NodeHandle, Platform } from '../platform/platform.js';
import type { LinkGroup, NodeGroup } from '../scenario/types.js';
import type { PlannedLink, PlannedNode, TopologyPlan } from './plan-types.js';
import { linkName } from './plan-types.js';
import { fetchNodeStatus } from '../runner/fetch-status.js';
import { exitCauseOf, type NodeExitCause } from '../../services/protocol/exit-codes.js';

/** Where a node dials another node: always a Toxiproxy listener, never the node itself. */
export interface AddressBook {
  dial(from: LinkGroup, to: string): string;
}

export type NodeConfigBuilder = (node: PlannedNode, addresses: AddressBook, topology: TopologyView) => Record<string, unknown>;

export interface TopologyView {
  readonly plan: TopologyPlan;
  planned(group: NodeGroup): readonly PlannedNode[];
}

export interface DeployedNode {
  readonly planned: PlannedNode;
  readonly handle: NodeHandle;
}

export interface DeployOptions<L extends DialableLink> {
  readonly plan: TopologyPlan;
  readonly platform: Platform;
  readonly links: LinkMaker<L>;
  readonly configFor: NodeConfigBuilder;
  /** Nodes started at once (bounded: a 2-core box and a Docker engine share the work). */
  readonly concurrency?: number;
  /** How long each wave may take to report `ready` on `/status` (default 60 s). */
  readonly readyTimeoutMs?: number;
  /** Whether a node says it serves (default: `ready: true` on its `/status`). */
  readonly reportsReady?: (node: NodeHandle) => Promise<boolean>;
  /** How many supernodes the directory (login) hands out to clients (default: `liveSupernodes` on its `/status`). */
  readonly supernodesHandedOut?: (login: NodeHandle) => Promise<number>;
  /** Told when a node exits while the network starts, and when the deployment starts it again. */
  readonly onStartupExit?: (event: StartupExit) => void;
  /** How long a node may stay not ready before, and between, asking the platform whether it exited (default 5 s). */
  readonly exitCheckEveryMs?: number;
  /**
   * Runs on each supernode of the deployment as soon as it has started, before it can serve a client
   * (e.g. warming its start-up cache); not on a supernode started again, nor on one a remedy adds.
   */
  readonly onSupernodeStarted?: (supernode: DeployedNode) => Promise<void>;
}

/** A node that exited before the network was up, and what the deployment did about it. */
export interface StartupExit {
  readonly node: NodeHandle;
  readonly exitCode: number | undefined;
  readonly cause: NodeExitCause;
  readonly restarted: boolean;
}

/**
 * Exits a supernode's own software makes (its overload guard, its client's crash) are restarted at
 * once while the network starts, as its user would: how long a slow host takes to start forty
 * supernodes must not decide whether the run begins. Any other exit fails the deployment at once.
 */
const RESTARTED_AT_STARTUP: ReadonlySet<NodeExitCause> = new Set(['self-protection', 'client-bug']);
const MAX_STARTUP_RESTARTS = 3;
/** Forty supernodes in their rejoin delay must not flood the engine with questions about their state. */
const EXIT_CHECK_MS = 5_000;

/** The running network: its nodes and links, and the way to grow it (a remedy adds supernodes). */
export class DeployedTopology<L extends DialableLink> implements TopologyView {
  private readonly nodeByName = new Map<string, DeployedNode>();
  private readonly linkByName = new Map<string, L>();
  private readonly plannedNodes: PlannedNode[];
  private readonly plannedLinks: PlannedLink[];

  private constructor(private readonly options: DeployOptions<L>) {
    this.plannedNodes = [...options.plan.nodes];
    this.plannedLinks = [...options.plan.links];
  }

  static async deploy<L extends DialableLink>(options: DeployOptions<L>): Promise<DeployedTopology<L>> {
    const topology = new DeployedTopology(options);
    await topology.createLinks(options.plan.links);
    const waves: NodeGroup[][] = [['login', 'offline-messages'], ['supernodes'], ['fleets']];
    for (const wave of waves) {
      const started = await topology.startNodes(
        options.plan.nodes.filter((node) => wave.includes(node.group)),
        wave.includes('supernodes') ? options.onSupernodeStarted : undefined,
      );
      const serving = started.filter((node) => node.planned.supernodeKind !== 'standby-peer' && node.planned.group !== 'fleets');
      await waitUntilServing(serving, options.readyTimeoutMs ?? 60_000, options.reportsReady ?? reportsReady, new StartupExits(options.onStartupExit, options.exitCheckEveryMs ?? EXIT_CHECK_MS));
      const login = topology.nodes('login')[0];
      if (wave.includes('supernodes') && login !== undefined) {
        await waitUntilHandedOut(login.handle, serving.length, options.readyTimeoutMs ?? 60_000, options.supernodesHandedOut ?? liveSupernodesOf);
      }
    }
    return topology;
  }

  get plan(): TopologyPlan {
    return { architecture: this.options.plan.architecture, nodes: this.plannedNodes, links: this.plannedLinks };
  }

  planned(group: NodeGroup): readonly PlannedNode[] {
    return this.plannedNodes.filter((node) => node.group === group);
  }

  /** In plan order, not the order they happened to start in: a seeded choice of victims draws from the same list every run. */
  nodes(group?: NodeGroup): readonly DeployedNode[] {
    return this.plannedNodes.flatMap((planned) => {
      const node = group === undefined || planned.group === group ? this.nodeByName.get(planned.name) : undefined;
      return node === undefined ? [] : [node];
    });
  }

  node(name: string): DeployedNode | undefined {
    return this.nodeByName.get(name);
  }

  links(): readonly L[] {
    return [...this.linkByName.values()];
  }

  /** Links into the given nodes, from one group or from any. */
  linksTo(nodeNames: readonly string[], from: LinkGroup | 'any'): L[] {
    const targets = new Set(nodeNames);
    return this.plannedLinks
      .filter((link) => targets.has(link.to) && (from === 'any' || link.from === from))
      .map((link) => this.linkByName.get(linkName(link)))
      .filter((link): link is L => link !== undefined);
  }

  /** Adds nodes (and their links) to the running network, e.g. mega-supernodes. */
  async add(nodes: readonly PlannedNode[], links: readonly PlannedLink[]): Promise<DeployedNode[]> {
    this.plannedNodes.push(...nodes);
    this.plannedLinks.push(...links);
    await this.createLinks(links);
    return this.startNodes(nodes);
  }

  private async createLinks(links: readonly PlannedLink[]): Promise<void> {
    const limit = pLimit(this.options.concurrency ?? 8);
    await Promise.all(
      links.map((link) =>
        limit(async () => {
          const upstream = await this.reserve(link.to);
          const made = await this.options.links.link({ from: link.from, to: { name: link.to, upstream } });
          this.linkByName.set(linkName(link), made);
        }),
      ),
    );
  }

  private readonly reservations = new Map<string, Promise<{ host: string; port: number }>>();

  /** Reserves each node's address once, however many links lead to it. */
  private reserve(name: string): Promise<{ host: string; port: number }> {
    let reservation = this.reservations.get(name);
    if (reservation === undefined) {
      reservation = this.options.platform.reserveNode(name);
      this.reservations.set(name, reservation);
    }
    return reservation;
  }

  private addressBook(): AddressBook {
    return {
      dial: (from, to) => {
        const link = this.linkByName.get(linkName({ from, to }));
        if (link === undefined) throw new Error(`no link ${from}->${to} in the topology`);
        return link.dialAddress;
      },
    };
  }

  private async startNodes(nodes: readonly PlannedNode[], afterStart?: (node: DeployedNode) => Promise<void>): Promise<DeployedNode[]> {
    const limit = pLimit(this.options.concurrency ?? 4);
    const addresses = this.addressBook();
    return Promise.all(
      nodes.map((planned) =>
        limit(async () => {
          const handle = await this.options.platform.startNode({
            name: planned.name,
            role: planned.role,
            config: this.options.configFor(planned, addresses, this),
            labels: { 'org.supernode-chaos.group': planned.group },
          });
          const deployed = { planned, handle };
          this.nodeByName.set(planned.name, deployed);
          await afterStart?.(deployed);
          return deployed;
        }),
      ),
    );
  }
}

/** Probes every `intervalMs` until `settled` holds; past `timeoutMs`, throws what `timedOut` makes of the last probe. */
async function pollUntil<T>(probe: () => Promise<T>, settled: (value: T) => boolean, timing: { timeoutMs: number; intervalMs: number }, timedOut: (last: T) => Promise<Error>): Promise<void> {
  const deadline = Date.now() + timing.timeoutMs;
  for (;;) {
    const value = await probe();
    if (settled(value)) return;
    if (Date.now() > deadline) throw await timedOut(value);
    await new Promise((resolve) => setTimeout(resolve, timing.intervalMs));
  }
}

/** Watches the nodes not yet ready for an exit: restarts what a user would restart, refuses the rest. */
class StartupExits {
  private readonly restarts = new Map<string, number>();
  private readonly checkedAt = new Map<string, number>();

  constructor(
    private readonly tell: ((event: StartupExit) => void) | undefined,
    private readonly everyMs: number,
  ) {}

  async check(node: NodeHandle): Promise<void> {
    const now = Date.now();
    const last = this.checkedAt.get(node.name);
    if (last === undefined) this.checkedAt.set(node.name, now);
    if (last === undefined || now - last < this.everyMs) return;
    this.checkedAt.set(node.name, now);
    const state = await node.inspect().catch(() => undefined);
    if (state?.state !== 'exited') return;
    const cause = exitCauseOf(state.exitCode);
    const restarts = this.restarts.get(node.name) ?? 0;
    const restart = node.role === 'supernode' && RESTARTED_AT_STARTUP.has(cause) && restarts < MAX_STARTUP_RESTARTS;
    if (!restart) {
      this.tell?.({ node, exitCode: state.exitCode, cause, restarted: false });
      const why = RESTARTED_AT_STARTUP.has(cause) ? `, its ${MAX_STARTUP_RESTARTS + 1}th exit while the network started` : '';
      throw new ChaosError('NODE_NOT_READY', `${node.name} exited with code ${state.exitCode ?? 'unknown'} (${cause}) before the network was up${why}`, {
        hint: cause === 'config-error' ? 'its config was refused: read its log for the field and the fix' : "read the node's log for why it exited",
        details: await logTails([node]),
      });
    }
    this.restarts.set(node.name, restarts + 1);
    await node.restart();
    this.tell?.({ node, exitCode: state.exitCode, cause, restarted: true });
  }
}

/**
 * Waits until every node says it serves (`ready: true` on `/status`): a supernode in its rejoin
 * delay is up but not ready, and clients started before it would pile onto the first ones ready.
 */
async function waitUntilServing(nodes: readonly DeployedNode[], timeoutMs: number, isReady: (node: NodeHandle) => Promise<boolean>, exits: StartupExits): Promise<void> {
  let waiting = [...nodes];
  const stillWaiting = async (): Promise<DeployedNode[]> => {
    const states = await Promise.all(waiting.map(async (node) => ({ node, ready: await isReady(node.handle) })));
    waiting = states.filter((state) => !state.ready).map((state) => state.node);
    for (const node of waiting) await exits.check(node.handle);
    return waiting;
  };
  await pollUntil(stillWaiting, (left) => left.length === 0, { timeoutMs, intervalMs: 200 }, async (left) =>
    new ChaosError('NODE_NOT_READY', `${left.map((node) => node.handle.name).join(', ')} not ready after ${timeoutMs} ms`, {
      hint: 'read the nodes\' logs (a bad config exits 78); a supernode is ready after its rejoinDelayMs',
      details: await logTails(left.map((node) => node.handle)),
    }),
  );
}

/**
 * A supernode that says it serves reaches login's directory only with its next heartbeat: fleets
 * started before login hands out every one would pile onto those it heard of first, and the share
 * of clients a crashed supernode holds would depend on the host's timing.
 */
async function waitUntilHandedOut(login: NodeHandle, supernodes: number, timeoutMs: number, handedOut: (login: NodeHandle) => Promise<number>): Promise<void> {
  if (supernodes === 0) return;
  await pollUntil(() => handedOut(login), (listed) => listed >= supernodes, { timeoutMs, intervalMs: 100 }, async (listed) =>
    new ChaosError('NODE_NOT_READY', `login hands out ${listed} of the ${supernodes} serving supernodes after ${timeoutMs} ms`, {
      hint: 'read the supernodes\' and login\'s logs: a supernode registers with login over its link and heartbeats it',
      details: await logTails([login]),
    }),
  );
}

const TAILED_NODES = 3;
const TAIL_LINES = 12;

/** The last lines each node wrote (of the first few), so a node that never got ready says why where the error is read. */
async function logTails(nodes: readonly NodeHandle[]): Promise<string[]> {
  const tails = await Promise.all(
    nodes.slice(0, TAILED_NODES).map(async (node) => {
      const logs = await node.logs().catch((error: unknown) => `(its logs could not be read: ${String(error)})`);
      const lines = logs.trimEnd().split('\n').slice(-TAIL_LINES);
      return `${node.name}, last ${lines.length} lines of its log:\n${lines.map((line) => `      ${line}`).join('\n')}`;
    }),
  );
  return nodes.length > TAILED_NODES ? [...tails, `and ${nodes.length - TAILED_NODES} more not ready`] : tails;
}

async function liveSupernodesOf(login: NodeHandle): Promise<number> {
  const status = (await fetchNodeStatus(login.controlUrl(), AbortSignal.timeout(1_000))) as { gauges?: Record<string, unknown> } | undefined;
  const live = status?.gauges?.['liveSupernodes'];
  return typeof live === 'number' ? live : 0;
}

async function reportsReady(node: NodeHandle): Promise<boolean> {
  const status = await fetchNodeStatus(node.controlUrl(), AbortSignal.timeout(1_000));
  return typeof status === 'object' && status !== null && (status as { ready?: unknown }).ready === true;
}
