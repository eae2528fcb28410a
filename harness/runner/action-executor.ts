import { LinkHolds } from '../network/link-holds.js';
import type { FaultableLink } from '../network/link-types.js';
import type { HistoryRecord } from '../observe/history-types.js';
import type { NodeHandle } from '../platform/platform.js';
import type { Distribution, Duration, NodeSelector } from '../scenario/types.js';
import type { DeployedTopology } from '../topology/deploy-topology.js';
import type { PlannedNode, SupernodeKind } from '../topology/plan-types.js';
import { type FaultContext, type Heal, type NodeWatch, PartlyInjected } from '../faults/fault-kind.js';
import { checkAction, type ExecutableAction, faultKindNamed, healStep } from '../faults/registry.js';

export interface ActionExecutorOptions<L extends FaultableLink> {
  readonly topology: DeployedTopology<L>;
  readonly supervisor: NodeWatch;
  readonly record: (event: HistoryRecord) => void;
  /** The run's clock as the history's `t` (real ms since the run started): a step's records carry when it began (`startedT`). */
  readonly now: () => number;
  /** Seeded choice of victims; `key` keeps each step's draw independent of the others. */
  readonly choose: (names: readonly string[], selector: NodeSelector, key: string) => string[];
  /** Plans the supernodes a remedy adds. */
  readonly planAddedSupernode: (name: string, tuning: 'mega' | 'default') => PlannedNode;
  /** A crash step may say when its victims come back, overriding the users' restart delay. */
  readonly overrideRestart: (name: string, after: Distribution) => void;
  /** A scenario duration in real ms. */
  readonly realMs: (duration: Duration) => number;
  /** A seeded stream of uniform draws of its own for each step (by `key`). */
  readonly draws: (key: string) => () => number;
  /** Posts a command to a node's control port; rejects when it is not taken. */
  readonly command: (node: NodeHandle, path: string, body: unknown) => Promise<unknown>;
}

/**
 * Carries out timeline and rollback steps on the running network: finds the step's kind in the
 * registry, injects it, records what it did, and keeps its heal under the step's id until a `heal`
 * step or the rollback runs it.
 */
export class ActionExecutor<L extends FaultableLink> {
  private readonly heals = new Map<string, Heal>();
  private readonly numbers = new Map<string, number>();
  private readonly linkHolds = new LinkHolds();

  constructor(private readonly options: ActionExecutorOptions<L>) {}

  async execute(action: ExecutableAction, stepKey: string): Promise<void> {
    const startedT = this.options.now();
    if (action.do === 'heal') return this.heal(checkAction(healStep, action).id, startedT);
    const kind = faultKindNamed(action.do);
    const checked = checkAction(kind, action);
    const id = 'id' in checked && typeof checked.id === 'string' ? checked.id : undefined;
    let injection;
    try {
      injection = await kind.inject(checked, this.contextFor(stepKey));
    } catch (error) {
      // What landed before the failure is still undone at rollback; the step fails with the cause.
      if (!(error instanceof PartlyInjected)) throw error;
      if (id !== undefined) this.heals.set(id, error.heal);
      throw error.cause;
    }
    if (id !== undefined && injection.heal !== undefined) this.heals.set(id, injection.heal);
    for (const record of injection.records) this.options.record(withStart(record, startedT));
  }

  /**
   * Heals every fault still in place, oldest first (rollback): one heal that fails does not stop
   * the others. Returns the failures. Idempotent.
   */
  async healAll(): Promise<unknown[]> {
    const failures: unknown[] = [];
    for (const id of [...this.heals.keys()]) await this.heal(id).catch((error: unknown) => failures.push(error));
    return failures;
  }

  activeFaults(): readonly string[] {
    return [...this.heals.keys()];
  }

  /** Runs the fault's heal once; a fault already healed (or never made) is no error. */
  private async heal(id: string, startedT = this.options.now()): Promise<void> {
    const heal = this.heals.get(id);
    if (heal === undefined) return;
    this.heals.delete(id);
    this.options.record({ ...(await heal()), startedT });
  }

  private contextFor(stepKey: string): FaultContext {
    const { topology } = this.options;
    const chooseNodes = (selector: NodeSelector, kinds?: readonly SupernodeKind[]): string[] => {
      const candidates = topology
        .nodes(selector.group)
        .filter((node) => node.planned.supernodeKind !== 'standby-peer')
        .filter((node) => kinds === undefined || (node.planned.supernodeKind !== undefined && kinds.includes(node.planned.supernodeKind)))
        .map((node) => node.handle.name);
      return this.options.choose(candidates, selector, stepKey);
    };
    return {
      chooseNodes,
      chooseLinks: (target) => topology.linksTo(chooseNodes(target.to), target.from),
      linksInto: (nodeNames) => topology.linksTo(nodeNames, 'any'),
      holdDown: (links) => this.linkHolds.holdDown(links),
      realMs: this.options.realMs,
      draws: () => this.options.draws(stepKey),
      command: (name, path, body) => {
        const node = topology.node(name);
        return node === undefined ? Promise.reject(new Error(`no node ${name} to take ${path}`)) : this.options.command(node.handle, path, body);
      },
      node: (name) => topology.node(name)?.handle,
      nodes: this.options.supervisor,
      overrideRestart: this.options.overrideRestart,
      planAddedSupernode: this.options.planAddedSupernode,
      addNodes: (nodes, links) => topology.add(nodes, links),
      nextNumber: (series) => {
        const next = this.numbers.get(series) ?? 0;
        this.numbers.set(series, next + 1);
        return next;
      },
    };
  }
}

/** A step's fault, remedy and mark records say when the step began; its node records do not. */
function withStart(record: HistoryRecord, startedT: number): HistoryRecord {
  return record.type === 'fault' || record.type === 'remedy' || record.type === 'mark' ? { ...record, startedT } : record;
}
