import type { HistoryEvent } from '../observe/history-types.js';
import type { Distribution, LinkGroup, NodeSelector, TimelineAction, ToxicSpec } from '../scenario/types.js';
import type { DeployedTopology, TopologyLink } from '../topology/deploy-topology.js';
import type { PlannedNode } from '../topology/plan-types.js';
import { NodeNames, supernodeLinks } from '../topology/plan-topology.js';
import type { NodeSupervisor } from './node-supervisor.js';

/** What the executor needs of a Toxiproxy link (the network layer's `Link` satisfies it). */
export interface FaultableLink extends TopologyLink {
  addToxic(spec: ToxicSpec): Promise<string>;
  removeToxic(name: string): Promise<void>;
  down(): Promise<void>;
  up(): Promise<void>;
}

type Recordable = HistoryEvent extends infer E ? (E extends { t: number } ? Omit<E, 't'> : never) : never;

export interface ActionExecutorOptions<L extends FaultableLink> {
  readonly topology: DeployedTopology<L>;
  readonly supervisor: NodeSupervisor;
  readonly record: (event: Recordable) => void;
  /** Seeded choice of victims; `key` keeps each step's draw independent of the others. */
  readonly choose: (names: readonly string[], selector: NodeSelector, key: string) => string[];
  /** Plans the supernodes a remedy adds. */
  readonly planAddedSupernode: (name: string, tuning: 'mega' | 'default') => PlannedNode;
  /** A crash step may say when its victims come back, overriding the users' restart delay. */
  readonly overrideRestart: (name: string, after: Distribution) => void;
}

type ActiveFault =
  | { readonly kind: 'toxic'; readonly entries: readonly { link: FaultableLink; toxic: string }[] }
  | { readonly kind: 'cut'; readonly links: readonly FaultableLink[] }
  | { readonly kind: 'pause'; readonly nodes: readonly string[] }
  | { readonly kind: 'crash'; readonly nodes: readonly string[] };

/** Carries out timeline actions on the running network and records each as it lands. */
export class ActionExecutor<L extends FaultableLink> {
  private readonly active = new Map<string, ActiveFault>();
  private addedSupernodes = 0;

  constructor(private readonly options: ActionExecutorOptions<L>) {}

  async execute(action: TimelineAction, stepKey: string): Promise<void> {
    switch (action.do) {
      case 'mark':
        this.options.record({ type: 'mark', label: action.label });
        return;
      case 'inject':
        return this.inject(action.id, this.linksFor(action.target.links, stepKey), action.toxic);
      case 'cut':
        return this.cut(action.id, this.linksFor(action.target.links, stepKey));
      case 'heal':
        return this.heal(action.id);
      case 'crash':
        return this.crash(action.id, this.nodesFor(action.target.nodes, stepKey), action.restartAfter);
      case 'pause':
        return this.pause(action.id, this.nodesFor(action.target.nodes, stepKey));
      case 'add-supernodes':
        return this.addSupernodes(action.label, action.count, action.tuning);
    }
  }

  /** Heals every fault still active (rollback). Idempotent. */
  async healAll(): Promise<void> {
    for (const id of [...this.active.keys()]) await this.heal(id);
  }

  activeFaults(): readonly string[] {
    return [...this.active.keys()];
  }

  private nodesFor(selector: NodeSelector, stepKey: string): string[] {
    const candidates = this.options.topology
      .nodes(selector.group)
      .filter((node) => node.planned.supernodeKind !== 'standby-peer')
      .map((node) => node.handle.name);
    return this.options.choose(candidates, selector, stepKey);
  }

  private linksFor(target: { from: LinkGroup | 'any'; to: NodeSelector }, stepKey: string): L[] {
    return this.options.topology.linksTo(this.nodesFor(target.to, stepKey), target.from);
  }

  private async inject(id: string, links: readonly L[], toxic: ToxicSpec): Promise<void> {
    const entries: { link: FaultableLink; toxic: string }[] = [];
    try {
      for (const link of links) entries.push({ link, toxic: await link.addToxic(toxic) });
    } finally {
      this.active.set(id, { kind: 'toxic', entries });
    }
    this.options.record({
      type: 'fault',
      id,
      action: 'inject',
      kind: toxic.type,
      targets: links.map((link) => link.name),
      detail: { ...toxic.attributes, ...(toxic.stream ? { stream: toxic.stream } : {}), ...(toxic.toxicity === undefined ? {} : { toxicity: toxic.toxicity }) },
    });
  }

  private async cut(id: string, links: readonly L[]): Promise<void> {
    this.active.set(id, { kind: 'cut', links });
    await Promise.all(links.map((link) => link.down()));
    this.options.record({ type: 'fault', id, action: 'inject', kind: 'down', targets: links.map((link) => link.name) });
  }

  private async crash(id: string, names: readonly string[], restartAfter: Distribution | undefined): Promise<void> {
    this.active.set(id, { kind: 'crash', nodes: names });
    for (const name of names) {
      this.options.supervisor.expectKill(name);
      if (restartAfter !== undefined) this.options.overrideRestart(name, restartAfter);
    }
    await Promise.all(names.map((name) => this.options.topology.node(name)?.handle.kill()));
    this.options.record({ type: 'fault', id, action: 'inject', kind: 'crash', targets: names });
  }

  private async pause(id: string, names: readonly string[]): Promise<void> {
    this.active.set(id, { kind: 'pause', nodes: names });
    await Promise.all(names.map((name) => this.options.topology.node(name)?.handle.pause()));
    this.options.record({ type: 'fault', id, action: 'inject', kind: 'pause', targets: names });
  }

  private async heal(id: string): Promise<void> {
    const fault = this.active.get(id);
    if (fault === undefined) return;
    this.active.delete(id);
    let targets: string[];
    switch (fault.kind) {
      case 'toxic':
        await Promise.all(fault.entries.map(({ link, toxic }) => link.removeToxic(toxic)));
        targets = fault.entries.map(({ link }) => link.name);
        break;
      case 'cut':
        await Promise.all(fault.links.map((link) => link.up()));
        targets = fault.links.map((link) => link.name);
        break;
      case 'pause':
        await Promise.all(fault.nodes.map((name) => this.options.topology.node(name)?.handle.resume()));
        targets = [...fault.nodes];
        break;
      case 'crash':
        // A crash is not undone by the harness: users restart their machines (the supervisor).
        targets = [...fault.nodes];
        break;
    }
    this.options.record({ type: 'fault', id, action: 'heal', kind: fault.kind, targets });
  }

  private async addSupernodes(label: string, count: number, tuning: 'mega' | 'default'): Promise<void> {
    const startedAt = Date.now();
    const planned = Array.from({ length: count }, () => {
      const name = NodeNames.mega(this.addedSupernodes);
      this.addedSupernodes += 1;
      return this.options.planAddedSupernode(name, tuning);
    });
    const added = await this.options.topology.add(
      planned,
      planned.flatMap((node) => supernodeLinks(node.name)),
    );
    for (const node of added) {
      this.options.supervisor.watch(node.handle);
      this.options.record({ type: 'node', node: node.handle.name, role: node.handle.role, change: 'added' });
    }
    this.options.record({ type: 'remedy', label, added: added.map((node) => node.handle.name), tookMs: Date.now() - startedAt });
  }
}
