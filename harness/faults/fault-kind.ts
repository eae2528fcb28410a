import { z } from 'zod';
import type { LinkRelease } from '../network/link-holds.js';
import type { FaultableLink } from '../network/link-types.js';
import type { EventOf, HistoryRecord } from '../observe/history-types.js';
import type { NodeHandle } from '../platform/platform.js';
import type { Distribution, Duration, LinkTarget, NodeSelector } from '../scenario/types.js';
import type { DeployedNode } from '../topology/deploy-topology.js';
import type { PlannedLink, PlannedNode, SupernodeKind } from '../topology/plan-types.js';
import type { OperatorCommandSpec } from './operator-syntax.js';

/**
 * A fault is a value that carries its heal (Jepsen's nemesis shape): one kind per file, each with
 * the schema of its step, an `inject` that puts it in place and returns its heal, and the records
 * it leaves in the history. The executor finds a kind by its step's `do` in the registry.
 */

/** A timeline or rollback step's action, named by `do`. */
export interface StepAction {
  readonly do: string;
}

/** A fault's entry in the history (`type: 'fault'`), without the run's clock. */
export type FaultRecord = Omit<EventOf<'fault'>, 't'>;

/** Undoes one fault and says what it undid. */
export type Heal = () => Promise<FaultRecord>;

export interface Injection {
  /** What the step did, in order; recorded once the fault is in place. */
  readonly records: readonly HistoryRecord[];
  /** Undoes the fault; undefined when it has none. The executor keeps it under the step's `id`. */
  readonly heal?: Heal;
}

/** The node side of the harness a fault may tell about what it does. */
export interface NodeWatch {
  /** The harness is about to kill this node itself: its loss is the fault's. */
  expectKill(name: string): void;
  /** Watch a node the fault added (users restart it when it dies). */
  watch(node: NodeHandle): void;
}

/** What a fault may use of the running network, for one step. */
export interface FaultContext {
  /** The step's seeded victims in a group (standby peers are never chosen); `kinds` limits supernodes to those kinds. */
  chooseNodes(selector: NodeSelector, kinds?: readonly SupernodeKind[]): string[];
  /** The links into the step's seeded victims, from one group or from any. */
  chooseLinks(target: LinkTarget['links']): FaultableLink[];
  /** Every link into these nodes, from any group. */
  linksInto(nodeNames: readonly string[]): FaultableLink[];
  /** Takes the links down until the release; a link another fault also holds stays down until both let go. */
  holdDown(links: readonly FaultableLink[]): Promise<LinkRelease>;
  node(name: string): NodeHandle | undefined;
  readonly nodes: NodeWatch;
  /** A crash step may say when its victims come back, overriding the users' restart delay. */
  overrideRestart(name: string, after: Distribution): void;
  /** Plans a supernode a remedy adds. */
  planAddedSupernode(name: string, tuning: 'mega' | 'default'): PlannedNode;
  /** Starts planned nodes, with their links, in the running network. */
  addNodes(nodes: readonly PlannedNode[], links: readonly PlannedLink[]): Promise<readonly DeployedNode[]>;
  /** 0, 1, 2, ... for each call with the same series, over the whole run. */
  nextNumber(series: string): number;
  /** A scenario duration in real ms, at the run's time scale. */
  realMs(duration: Duration): number;
  /** The step's own seeded stream of uniform draws in [0, 1). */
  draws(): () => number;
  /** Posts a command to a node's control port (e.g. a fleet's `/reboot-wave`); rejects when the node does not take it. */
  command(name: string, path: string, body: unknown): Promise<unknown>;
}

/** A step's shape: a zod object whose `do` literal names its kind, so the scenario schema can tell the kinds apart. */
export type StepSchema<A extends StepAction> = z.ZodType<A> & z.core.$ZodTypeDiscriminable;

export interface FaultKind<A extends StepAction> {
  /** The step's `do`. */
  readonly name: A['do'];
  /** The step's shape, in scenario files and checked again before it runs. */
  readonly schema: StepSchema<A>;
  /**
   * `healable`: the step has an `id` and a `heal` step may name it; `rollback-only`: it has an `id`
   * but only the rollback closes it (a crash); `none`: the step makes no fault (a mark, a remedy).
   */
  readonly heals: 'healable' | 'rollback-only' | 'none';
  /** The same step as an operator types it in `chaos rehearse`. */
  readonly command: OperatorCommandSpec;
  inject(action: A, context: FaultContext): Promise<Injection>;
}

/** A fault that failed part-way: `heal` undoes what landed before `cause` stopped it. */
export class PartlyInjected extends Error {
  constructor(
    cause: unknown,
    readonly heal: Heal,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'PartlyInjected';
  }
}

/** Runs `effect`; when it fails, throws with the heal that undoes whatever part of it landed. */
export async function injectOrHeal(effect: () => Promise<unknown>, heal: Heal): Promise<void> {
  try {
    await effect();
  } catch (error) {
    throw new PartlyInjected(error, heal);
  }
}

