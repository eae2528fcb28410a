import { ChaosError } from '../errors.js';
import type { NodePlacement, ServiceRole } from './platform.js';

/**
 * Where a swarm run's services go (`--place`, CHAOS_PLACE). `manager`: all of them on the manager the
 * harness talks to. `spread`: Toxiproxy, login and offline-messages there, supernodes and fleets round
 * robin over every ready, active node (see docs/platforms.md, where a run's work is placed).
 */
export type PlacementPolicy = 'manager' | 'spread';

export const PLACEMENT_POLICIES: readonly PlacementPolicy[] = ['manager', 'spread'];
export const PLACE_ENV = 'CHAOS_PLACE';

/** A swarm node as `GET /nodes` describes it, in plain values. */
export interface SwarmNodeInfo {
  readonly id: string;
  readonly hostname: string;
  readonly role: 'manager' | 'worker';
  /** `active`, `pause` or `drain`. */
  readonly availability: string;
  /** `ready`, `down`, `unknown` or `disconnected`. */
  readonly state: string;
  /** The node's address as the swarm knows it; empty when it reports none. */
  readonly addr: string;
}

/** The nodes a run's services can go to. */
export interface PlacementTargets {
  /** The policy asked for (a `spread` with no other node places as `manager` would). */
  readonly policy: PlacementPolicy;
  /** The manager the harness talks to: Toxiproxy, login and offline-messages always run here. */
  readonly manager: SwarmNodeInfo;
  /** The nodes supernodes and fleets go to, round robin in this order: the other nodes, then the manager. */
  readonly spread: readonly SwarmNodeInfo[];
  /** Said, not thrown: `spread` found no other node to use. */
  readonly notice?: string;
}

/** A role that stays on the manager under every policy. */
export type PlacedRole = ServiceRole | 'toxiproxy';
const managerRoles: ReadonlySet<PlacedRole> = new Set(['toxiproxy', 'login', 'offline-messages']);

/** A service to place: its name in the run (`toxiproxy`, `login`, `sn-01`, `fleet-2`) and its role. */
export interface PlacementRequest {
  readonly name: string;
  readonly role: PlacedRole;
}

export interface PlacementPlan extends NodePlacement {
  /** The node id each service (by its name in the run) is placed on. */
  readonly nodeOf: ReadonlyMap<string, string>;
  readonly notice?: string;
}

/** CHAOS_PLACE, parsed; `manager` when unset or empty; INVALID_CONFIG (exit 2) otherwise. */
export function placementFromEnv(env: NodeJS.ProcessEnv = process.env): PlacementPolicy {
  const value = env[PLACE_ENV];
  if (value === undefined || value === '') return 'manager';
  return parsePlacementPolicy(value, PLACE_ENV);
}

export function parsePlacementPolicy(value: string, source: string): PlacementPolicy {
  const policy = PLACEMENT_POLICIES.find((known) => known === value);
  if (policy !== undefined) return policy;
  const example = source.startsWith('--') ? `${source} spread` : `${source}=spread`;
  throw new ChaosError('INVALID_CONFIG', `${source} "${value}" is not a placement: allowed are ${PLACEMENT_POLICIES.join(' and ')}`, {
    hint: `give manager (every service on the manager the harness talks to; the default) or spread (supernodes and fleets over every ready node), e.g. ${example}`,
  });
}

const usable = (node: SwarmNodeInfo): boolean => node.state === 'ready' && node.availability === 'active' && node.addr !== '';

const byHostname = (a: SwarmNodeInfo, b: SwarmNodeInfo): number => (a.hostname !== b.hostname ? (a.hostname < b.hostname ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Workers before managers, then by hostname, then by id: the same list always gives the same order. */
function byPlacementOrder(a: SwarmNodeInfo, b: SwarmNodeInfo): number {
  if (a.role !== b.role) return a.role === 'worker' ? -1 : 1;
  return byHostname(a, b);
}

/**
 * The nodes a run uses under `policy`. Only ready, active nodes with an address take supernodes and
 * fleets. The manager must take tasks (not drained or paused): Toxiproxy always runs there.
 */
export function placementTargets(nodes: readonly SwarmNodeInfo[], managerId: string, policy: PlacementPolicy): PlacementTargets {
  const manager = nodes.find((node) => node.id === managerId) ?? { id: managerId, hostname: managerId, role: 'manager', availability: 'active', state: 'ready', addr: '' };
  if (manager.availability !== 'active') {
    throw new ChaosError('INVALID_CONFIG', `the swarm node the harness talks to (${manager.hostname}) has availability ${manager.availability}: the swarm places no task on it, and Toxiproxy must run there`, {
      hint: `make it take tasks again (\`docker node update --availability active ${manager.id}\`), or run the harness against another manager`,
    });
  }
  if (policy === 'manager') return { policy, manager, spread: [manager] };
  const others = nodes.filter((node) => node.id !== managerId && usable(node)).sort(byPlacementOrder);
  if (others.length > 0) return { policy, manager, spread: [...others, manager] };
  const ignored = nodes.filter((node) => node.id !== managerId);
  const why = ignored.length === 0 ? 'the swarm has no other node' : `no other node is ready and active (${ignored.map((node) => `${node.hostname} ${node.state}, ${node.availability}${node.addr === '' ? ', no address' : ''}`).join('; ')})`;
  return { policy, manager, spread: [manager], notice: `--place spread: ${why}, so every service runs on ${manager.hostname}, as with --place manager` };
}

/** Whether any service may run on a node other than the manager. */
export function spreadsBeyondManager(targets: PlacementTargets): boolean {
  return targets.spread.some((node) => node.id !== targets.manager.id);
}

const loopbackHost = (registry: string): boolean => {
  const host = registry.slice(0, registry.lastIndexOf(':')).replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
};

/**
 * A node other than the manager runs only images it can pull: by local ID they exist on the manager
 * alone, and a loopback registry is, on every other node, that node's own. INVALID_CONFIG (exit 2).
 */
export function requirePullableImages(targets: PlacementTargets, registry: string | undefined): void {
  if (!spreadsBeyondManager(targets)) return;
  const others = targets.spread.filter((node) => node.id !== targets.manager.id).map((node) => node.hostname).join(', ');
  if (registry === undefined) {
    throw new ChaosError('INVALID_CONFIG', `--place spread puts tasks on other nodes (${others}), which can only pull images from a registry`, {
      hint: 'add --registry HOST:PORT (chaos registry start), or use --place manager',
    });
  }
  if (loopbackHost(registry)) {
    throw new ChaosError('INVALID_CONFIG', `--place spread puts tasks on other nodes (${others}), and the registry ${registry} is on loopback: each of them would pull from itself`, {
      hint: 'give a registry at an address every node reaches (listed under insecure-registries on each node unless it has TLS), or use --place manager',
    });
  }
}

/** One line on the nodes a policy uses, before anything is placed. */
export function describeTargets(targets: PlacementTargets): string {
  if (!spreadsBeyondManager(targets)) return `every service on ${targets.manager.hostname}`;
  return `toxiproxy, login, offline-messages on ${targets.manager.hostname}; supernodes and fleets round robin over ${labels(targets.spread).join(', ')}`;
}

/**
 * Places services one at a time, in the order they are asked for: a manager role on the manager, any
 * other role on the next of the spread nodes for that role (each role is spread evenly on its own).
 * A name asked for again keeps its node.
 */
export class Placer {
  private readonly placed = new Map<string, { readonly role: PlacedRole; readonly node: SwarmNodeInfo }>();
  private readonly nextByRole = new Map<PlacedRole, number>();

  constructor(readonly targets: PlacementTargets) {}

  place(request: PlacementRequest): SwarmNodeInfo {
    const known = this.placed.get(request.name);
    if (known !== undefined) return known.node;
    const node = managerRoles.has(request.role) ? this.targets.manager : this.nextFor(request.role);
    this.placed.set(request.name, { role: request.role, node });
    return node;
  }

  plan(): PlacementPlan {
    const nodeOf = new Map([...this.placed].map(([name, { node }]) => [name, node.id]));
    const byHost: Record<string, string[]> = {};
    for (const [name, { node }] of this.placed) (byHost[labelOf(node, this.targets.spread)] ??= []).push(name);
    const notice = this.targets.notice;
    return { nodeOf, byHost, summary: this.summary(), ...(notice === undefined ? {} : { notice }) };
  }

  private nextFor(role: PlacedRole): SwarmNodeInfo {
    const spread = this.targets.spread;
    const index = this.nextByRole.get(role) ?? 0;
    this.nextByRole.set(role, index + 1);
    return spread[index % spread.length] ?? this.targets.manager;
  }

  /** e.g. `toxiproxy, login, offline-messages on mgr; 20 supernodes and 3 fleets over 2 nodes: mgr 11, worker-1 12`. */
  private summary(): string {
    const entries = [...this.placed.values()];
    const managerHost = labelOf(this.targets.manager, this.targets.spread);
    if (entries.length === 0) return `nothing placed yet on ${managerHost}`;
    if (!spreadsBeyondManager(this.targets)) return `${roleCounts(entries.map((e) => e.role))} on ${managerHost}`;
    const pinned = entries.filter((entry) => managerRoles.has(entry.role));
    const spread = entries.filter((entry) => !managerRoles.has(entry.role));
    const parts: string[] = [];
    if (pinned.length > 0) parts.push(`${roleCounts(pinned.map((e) => e.role))} on ${managerHost}`);
    if (spread.length > 0) {
      const nodes = [...this.targets.spread].sort(byHostname);
      const counts = nodes.map((node) => `${labelOf(node, nodes)} ${spread.filter((entry) => entry.node.id === node.id).length}`);
      parts.push(`${roleCounts(spread.map((e) => e.role))} over ${nodes.length} nodes: ${counts.join(', ')}`);
    }
    return parts.join('; ');
  }
}

/** The whole plan for services asked for in this order (the order the run starts them). */
export function planPlacement(targets: PlacementTargets, requests: readonly PlacementRequest[]): PlacementPlan {
  const placer = new Placer(targets);
  for (const request of requests) placer.place(request);
  return placer.plan();
}

const roleWords: Record<PlacedRole, readonly [string, string]> = {
  toxiproxy: ['toxiproxy', 'toxiproxy'],
  login: ['login', 'login'],
  'offline-messages': ['offline-messages', 'offline-messages'],
  supernode: ['supernode', 'supernodes'],
  'client-fleet': ['fleet', 'fleets'],
  echo: ['echo node', 'echo nodes'],
};

/** `toxiproxy, login, 2 offline-messages, 20 supernodes and 3 fleets`: roles in the order first seen, a manager role uncounted when one. */
function roleCounts(roles: readonly PlacedRole[]): string {
  const counts = new Map<PlacedRole, number>();
  for (const role of roles) counts.set(role, (counts.get(role) ?? 0) + 1);
  const pinned: string[] = [];
  const counted: string[] = [];
  for (const [role, count] of counts) {
    const [one, many] = roleWords[role];
    if (managerRoles.has(role)) pinned.push(count === 1 ? one : `${count} ${many}`);
    else counted.push(`${count} ${count === 1 ? one : many}`);
  }
  const joined = counted.length > 1 ? `${counted.slice(0, -1).join(', ')} and ${counted.at(-1) ?? ''}` : (counted[0] ?? '');
  return [...pinned, joined].filter((part) => part !== '').join(', ');
}

/** A node's hostname, with its id's first 12 characters when another node of `among` has the same hostname. */
function labelOf(node: SwarmNodeInfo, among: readonly SwarmNodeInfo[]): string {
  const shared = among.some((other) => other.id !== node.id && other.hostname === node.hostname);
  return shared ? `${node.hostname}/${node.id.slice(0, 12)}` : node.hostname;
}

function labels(nodes: readonly SwarmNodeInfo[]): string[] {
  return nodes.map((node) => labelOf(node, nodes));
}
