import type { ClusterTotals, HistoryEvent, NodeObservation, RunPhase } from '../../../harness/observe/history-types.js';
import type { Architecture, ArchitectureRun, ScenarioDefinition } from '../../../harness/scenario/types.js';
import type { NodeExitCause } from '../../../services/protocol/exit-codes.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';

interface Tick {
  readonly online: number;
  /** Lookups in the interval ending at this sample. */
  readonly ok?: number;
  readonly failed?: number;
  readonly serving?: number;
  readonly supernodes?: number;
  readonly accepted?: number;
  readonly received?: number;
  readonly pending?: number;
  readonly duplicates?: number;
  /** What the sampler saw of single nodes (see `supernodeAt`). */
  readonly nodes?: Readonly<Record<string, NodeObservation>>;
  /** How late the sampler's tick started (real ms); absent unless given. */
  readonly lagMs?: number;
  /** Fleets the sampler could not read for too long (the online count is unknown). */
  readonly unread?: number;
  /** Clients crashed and not yet restarted. */
  readonly crashed?: number;
  /** Clients that lost their supernode and have not found another, as the fleets count them. */
  readonly rehoming?: number;
}

/** A supernode answering its status at this load (fraction of capacity). */
export const supernodeAt = (load: number, mode: 'peer' | 'dedicated' = 'peer'): NodeObservation => ({
  role: 'supernode',
  up: true,
  ready: true,
  state: 'serving',
  mode,
  load,
});

/** A client fleet answering its status: cumulative attempts scheduled and made, and its event-loop delay p99. */
export const fleetAt = (attemptsScheduled: number, attemptsMade: number, eventLoopLagP99Seconds = 0.01): NodeObservation => ({
  role: 'client-fleet',
  up: true,
  ready: true,
  attemptsScheduled,
  attemptsMade,
  eventLoopLagP99Seconds,
});

/** A node whose control port did not answer this tick. */
export const silent = (role: NodeObservation['role']): NodeObservation => ({ role, up: false, ready: false });

/** Builds synthetic histories: one scenario hour = 1 s real, 1000 clients, 10 supernodes. */
export class HistoryBuilder {
  private readonly events: HistoryEvent[] = [];
  private lookupsOk = 0;
  private lookupsFailed = 0;
  private accepted = 0;
  private received = 0;

  constructor(
    readonly architecture: Architecture,
    run: Partial<ArchitectureRun> = {},
  ) {
    const base = validScenarioDefinition();
    const current = base.architectures[architecture] as ArchitectureRun;
    const definition: ScenarioDefinition = { ...base, architectures: { ...base.architectures, [architecture]: { ...current, ...run } } };
    this.events.push({
      t: 0,
      type: 'run-start',
      scenario: definition.name,
      architecture,
      expectation: definition.architectures[architecture]?.expectation ?? 'meets-targets',
      seed: 99,
      platform: 'local',
      msPerScenarioHour: 1_000,
      definition,
      startedAt: '2026-01-01T00:00:00.000Z',
    });
  }

  phase(t: number, phase: RunPhase): this {
    this.events.push({ t, type: 'phase', phase });
    return this;
  }

  sample(t: number, tick: Tick): this {
    this.lookupsOk += tick.ok ?? 100;
    this.lookupsFailed += tick.failed ?? 0;
    this.accepted += tick.accepted ?? 0;
    this.received += tick.received ?? 0;
    const totals: ClusterTotals = {
      clientsTotal: 1_000,
      clientsOnline: tick.online,
      supernodesTotal: tick.supernodes ?? 10,
      supernodesServing: tick.serving ?? 10,
      sessions: tick.online,
      capacitySessions: 1_500,
      loadMean: 0.6,
      loadMax: 0.7,
      lookupsOk: this.lookupsOk,
      lookupsFailed: this.lookupsFailed,
      imsAccepted: this.accepted,
      imsReceived: this.received,
      imsDuplicate: tick.duplicates ?? 0,
      offlinePending: tick.pending ?? 0,
      clientCrashes: 0,
      clientRestarts: 0,
      ...(tick.crashed === undefined ? {} : { clientsCrashed: tick.crashed }),
      ...(tick.rehoming === undefined ? {} : { clientsRehoming: tick.rehoming }),
      ...(tick.unread === undefined ? {} : { fleetsUnread: tick.unread }),
    };
    this.events.push({ t, type: 'sample', totals, nodes: tick.nodes ?? {}, ...(tick.lagMs === undefined ? {} : { lagMs: tick.lagMs }) });
    return this;
  }

  /** Samples every 500 ms in [from, to). */
  samples(from: number, to: number, tick: Tick | ((t: number) => Tick), everyMs = 500): this {
    for (let t = from; t < to; t += everyMs) this.sample(t, typeof tick === 'function' ? tick(t) : tick);
    return this;
  }

  fault(t: number, id: string, action: 'inject' | 'heal'): this {
    this.events.push({ t, type: 'fault', id, action, kind: 'latency', targets: ['any->om-0'] });
    return this;
  }

  /** The timeline kills these nodes (a `crash` step, begun at `t`, done 200 ms later). */
  crash(t: number, id: string, nodes: readonly string[]): this {
    this.events.push({ t: t + 200, startedT: t, type: 'fault', id, action: 'inject', kind: 'crash', targets: nodes });
    return this;
  }

  /** A node restarted by its user (the supervisor). */
  restarted(t: number, node: string): this {
    this.events.push({ t, type: 'node', node, role: 'supernode', change: 'restarted', cause: 'user-restart' });
    return this;
  }

  /** A supernode seen down, with its exit code when given. */
  down(t: number, node: string, cause: NodeExitCause | 'fault', exitCode?: number): this {
    this.events.push({ t, type: 'node', node, role: 'supernode', change: 'down', cause, ...(exitCode === undefined ? {} : { exitCode }) });
    return this;
  }

  /** An error the run recorded (a step or a restart that failed, a timeout). */
  error(t: number, message: string, code?: string): this {
    this.events.push({ t, type: 'error', message, ...(code === undefined ? {} : { code }) });
    return this;
  }

  /** One pull of a node's message ledger (ids accepted from its clients, received, received again, pending). */
  ledger(t: number, node: string, ids: { readonly accepted?: readonly string[]; readonly received?: readonly string[]; readonly duplicates?: readonly string[] }): this {
    this.events.push({ t, type: 'ledger', node, accepted: ids.accepted ?? [], received: ids.received ?? [], duplicates: ids.duplicates ?? [] });
    return this;
  }

  /** A remedy that added these supernodes (recorded as `added` nodes too, as the runner does). */
  remedy(t: number, label: string, added: readonly string[]): this {
    for (const node of added) this.events.push({ t, type: 'node', node, role: 'supernode', change: 'added' });
    this.events.push({ t, type: 'remedy', label, added });
    return this;
  }

  /** SIGINT/SIGTERM reached the run in this phase. */
  interrupt(t: number, phase: RunPhase): this {
    this.events.push({ t, type: 'interrupt', phase });
    return this;
  }

  end(t: number, outcome: 'completed' | 'aborted' | 'interrupted' | 'failed' = 'completed', reason?: string): this {
    this.events.push(reason === undefined ? { t, type: 'run-end', outcome } : { t, type: 'run-end', outcome, reason });
    return this;
  }

  /** Deploying until 1 s, steady state 1-10 s (1000 online), timeline from 10 s. */
  steady(): this {
    return this.phase(0, 'deploying').phase(1_000, 'steady-state').samples(1_000, 10_000, { online: 1_000 }).phase(10_000, 'timeline');
  }

  build(): HistoryEvent[] {
    return [...this.events].sort((a, b) => a.t - b.t);
  }
}

/**
 * The 2010 cascade: the trigger at 10 s crashes 3 of 10 supernodes (client bug), the trigger is
 * healed at 12 s, 6 more shut themselves off (self-protection), online falls to 10%, and comes
 * back after the remedy at 20 s.
 */
export function p2pOutageHistory(): HistoryEvent[] {
  const b = new HistoryBuilder('p2p').steady().fault(10_000, 'trigger', 'inject');
  b.down(11_000, 'sn-0', 'client-bug').down(11_000, 'sn-1', 'client-bug').down(11_500, 'sn-2', 'client-bug');
  b.fault(12_000, 'trigger', 'heal');
  ['sn-3', 'sn-4', 'sn-5', 'sn-6', 'sn-7', 'sn-8'].forEach((node, i) => b.down(13_000 + i * 500, node, 'self-protection'));
  b.samples(10_000, 20_000, (t) => ({ online: t < 11_000 ? 1_000 : t < 15_000 ? 500 : 100, ok: 20, failed: 80, serving: t < 13_000 ? 7 : 1 }));
  b.samples(20_000, 25_000, { online: 600, ok: 80, failed: 20, serving: 4 });
  b.samples(25_000, 30_000, { online: 980, ok: 100, serving: 6, accepted: 10, received: 10 });
  b.ledger(25_000, 'fleet-1', { accepted: ['m-1'] }).ledger(25_500, 'fleet-2', { received: ['m-1'] });
  return b.phase(30_000, 'rollback').phase(30_500, 'teardown').down(30_600, 'sn-9', 'clean').end(31_000).build();
}

/** Dedicated supernodes: 20% of clients crash and drop for a few seconds, no supernode is lost. */
export function dedicatedHistory(): HistoryEvent[] {
  return dedicatedTimeline().phase(30_000, 'teardown').end(30_500).build();
}

/** The dedicated run's steady state and timeline, to 30 s. */
function dedicatedTimeline(): HistoryBuilder {
  const b = new HistoryBuilder('dedicated').steady().fault(10_000, 'trigger', 'inject').fault(12_000, 'trigger', 'heal');
  b.samples(10_000, 30_000, (t) => ({ online: t < 10_500 ? 1_000 : t < 14_500 ? 800 : 1_000, ok: 99, failed: 1, accepted: 10, received: 10 }));
  return b.ledger(20_000, 'fleet-1', { accepted: ['m-1'] }).ledger(20_500, 'fleet-2', { received: ['m-1'] });
}

/**
 * The dedicated fixture run (every target met) as the run session writes it: rollback, run-end,
 * teardown, done; the signal in `phase`, or none.
 */
export function dedicatedRunHistory(interruptIn?: 'timeline' | 'rollback' | 'teardown'): HistoryEvent[] {
  const b = dedicatedTimeline();
  if (interruptIn === 'timeline') return b.interrupt(25_000, 'timeline').phase(25_010, 'rollback').end(25_100, 'interrupted', 'interrupted').phase(25_200, 'teardown').phase(26_000, 'done').build();
  b.phase(30_000, 'rollback');
  if (interruptIn === 'rollback') b.interrupt(30_050, 'rollback');
  b.end(30_100).phase(30_200, 'teardown');
  if (interruptIn === 'teardown') b.interrupt(30_300, 'teardown');
  return b.phase(31_000, 'done').build();
}
