import type { MachineTicks } from './proc-stat.js';

/** Who spent the CPU during a run: the harness process and the kinds of node it started. */
export const cpuGroups = ['harness', 'fleets', 'supernodes', 'login-and-offline', 'toxiproxy'] as const;
export type CpuGroup = (typeof cpuGroups)[number];

/** Which group a process below the harness belongs to, from its command line. */
export function groupOf(commandLine: readonly string[]): CpuGroup {
  const node = commandLine.find((arg) => arg.startsWith('--chaos-node='))?.slice('--chaos-node='.length);
  if (node !== undefined) {
    if (node.startsWith('fleet-')) return 'fleets';
    if (/^(sn|peer|mega)-/.test(node)) return 'supernodes';
    return 'login-and-offline';
  }
  if (commandLine.some((arg) => /(^|\/)toxiproxy-server$/.test(arg))) return 'toxiproxy';
  // The harness's own helpers (tsx's esbuild service): its work.
  return 'harness';
}

const zeroTicks = (): Record<CpuGroup, number> => ({ harness: 0, fleets: 0, supernodes: 0, 'login-and-offline': 0, toxiproxy: 0 });

export interface CpuSnapshot {
  readonly atMs: number;
  readonly machine: MachineTicks;
  /** Ticks each group spent since the ledger began. */
  readonly groups: Readonly<Record<CpuGroup, number>>;
}

export interface ObservedProcess {
  readonly pid: number;
  readonly group: CpuGroup;
  readonly ticks: number;
}

/**
 * Cumulative CPU per group from repeated looks at the processes: each process counts with the
 * last ticks seen, so one that exits keeps what it spent up to the last look (at most one
 * sampling period of its work is missed).
 */
export class CpuLedger {
  private readonly lastTicks = new Map<number, { readonly group: CpuGroup; readonly ticks: number }>();
  /** Ticks of processes whose pid was taken by a later process. */
  private readonly retired = zeroTicks();
  private readonly taken: CpuSnapshot[] = [];

  observe(atMs: number, machine: MachineTicks, processes: readonly ObservedProcess[]): CpuSnapshot {
    for (const process of processes) {
      const known = this.lastTicks.get(process.pid);
      // Fewer ticks than before under the same pid: a new process took the pid of one that exited.
      if (known !== undefined && process.ticks < known.ticks) this.retired[known.group] += known.ticks;
      this.lastTicks.set(process.pid, { group: process.group, ticks: process.ticks });
    }
    const groups = { ...this.retired };
    for (const { group, ticks } of this.lastTicks.values()) groups[group] += ticks;
    const snapshot = { atMs, machine, groups };
    this.taken.push(snapshot);
    return snapshot;
  }

  snapshots(): readonly CpuSnapshot[] {
    return this.taken;
  }
}

export interface CpuWindow {
  readonly seconds: number;
  /** Every core's ticks over the window (capacity), and the busy part. */
  readonly machineTicks: number;
  readonly busyTicks: number;
  readonly groupTicks: Readonly<Record<CpuGroup, number>>;
  /** Busy ticks of processes that are not this run's: other work on the machine. */
  readonly otherTicks: number;
}

export function cpuWindow(first: CpuSnapshot, last: CpuSnapshot): CpuWindow {
  const machineTicks = last.machine.total - first.machine.total;
  const busyTicks = machineTicks - (last.machine.idle - first.machine.idle);
  const groupTicks = Object.fromEntries(cpuGroups.map((group) => [group, last.groups[group] - first.groups[group]])) as Record<CpuGroup, number>;
  const ours = cpuGroups.reduce((sum, group) => sum + groupTicks[group], 0);
  return { seconds: (last.atMs - first.atMs) / 1_000, machineTicks, busyTicks, groupTicks, otherTicks: Math.max(0, busyTicks - ours) };
}

export interface PhaseSpan {
  readonly phase: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/** The window of each phase, between the snapshots nearest its start and end; phases shorter than two snapshots are left out. */
export function phaseWindows(snapshots: readonly CpuSnapshot[], phases: readonly PhaseSpan[]): { readonly phase: string; readonly window: CpuWindow }[] {
  const nearest = (atMs: number): CpuSnapshot | undefined =>
    snapshots.reduce<CpuSnapshot | undefined>((best, snapshot) => (best === undefined || Math.abs(snapshot.atMs - atMs) < Math.abs(best.atMs - atMs) ? snapshot : best), undefined);
  return phases.flatMap((span) => {
    const first = nearest(span.fromMs);
    const last = nearest(span.toMs);
    return first === undefined || last === undefined || last.atMs <= first.atMs ? [] : [{ phase: span.phase, window: cpuWindow(first, last) }];
  });
}
