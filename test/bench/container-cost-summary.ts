import type { PhaseCosts, RoleCosts } from '../../harness/docs/container-costs-data.js';
import type { PhaseSpan } from './cpu-accounting.js';
import type { MachineTicks } from './proc-stat.js';
import { percentile, rounded } from './stats.js';

/** Per phase and role, what one container cost, from samples of every container's cumulative CPU time and its memory. */

export interface ContainerReading {
  readonly id: string;
  readonly role: string;
  readonly cpuNs: number;
  readonly memoryBytes: number;
}

export interface CostSample {
  readonly atMs: number;
  readonly machine: MachineTicks;
  readonly containers: readonly ContainerReading[];
}

export interface CpuInterval {
  readonly fromMs: number;
  readonly toMs: number;
  readonly machineTicks: number;
  readonly busyTicks: number;
  /** Cores each container used over the interval; only containers seen at both ends with a counter that did not go back (a restarted container starts from 0). */
  readonly containers: readonly { readonly id: string; readonly role: string; readonly cores: number }[];
}

const MIB = 2 ** 20;

/** The intervals between consecutive samples. */
export function cpuIntervals(samples: readonly CostSample[]): CpuInterval[] {
  return samples.slice(1).flatMap((after, i) => {
    const before = samples[i]!;
    const seconds = (after.atMs - before.atMs) / 1_000;
    if (seconds <= 0) return [];
    const earlier = new Map(before.containers.map((reading) => [reading.id, reading]));
    const containers = after.containers.flatMap((reading) => {
      const previous = earlier.get(reading.id);
      if (previous === undefined || reading.cpuNs < previous.cpuNs) return [];
      return [{ id: reading.id, role: reading.role, cores: (reading.cpuNs - previous.cpuNs) / 1e9 / seconds }];
    });
    const machineTicks = after.machine.total - before.machine.total;
    return [{ fromMs: before.atMs, toMs: after.atMs, machineTicks, busyTicks: machineTicks - (after.machine.idle - before.machine.idle), containers }];
  });
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
const within = (atMs: number, span: PhaseSpan): boolean => atMs >= span.fromMs && atMs < span.toMs;

/**
 * Each phase's costs: an interval counts in the phase its middle falls in, a memory sample in the
 * phase it was taken in. Phases with no interval are left out.
 */
export function phaseCosts(samples: readonly CostSample[], spans: readonly PhaseSpan[]): PhaseCosts[] {
  const intervals = cpuIntervals(samples);
  return spans.flatMap((span) => {
    const inPhase = intervals.filter((interval) => within((interval.fromMs + interval.toMs) / 2, span));
    if (inPhase.length === 0) return [];
    const sampled = samples.filter((sample) => within(sample.atMs, span));
    const roles = [...new Set([...inPhase.flatMap((interval) => interval.containers), ...sampled.flatMap((sample) => sample.containers)].map((reading) => reading.role))].sort();
    const machineTicks = inPhase.reduce((sum, interval) => sum + interval.machineTicks, 0);
    const busyTicks = inPhase.reduce((sum, interval) => sum + interval.busyTicks, 0);
    return [
      {
        phase: span.phase,
        seconds: rounded((span.toMs - span.fromMs) / 1_000, 1),
        intervals: inPhase.length,
        machineBusy: machineTicks > 0 ? rounded(busyTicks / machineTicks, 3) : null,
        roles: roles.map((role) => roleCosts(role, inPhase, sampled)),
      },
    ];
  });
}

function roleCosts(role: string, intervals: readonly CpuInterval[], samples: readonly CostSample[]): RoleCosts {
  const perInterval = intervals.map((interval) => interval.containers.filter((reading) => reading.role === role)).filter((readings) => readings.length > 0);
  const cores = perInterval.flat().map((reading) => reading.cores);
  const perSample = samples.map((sample) => sample.containers.filter((reading) => reading.role === role));
  const memory = perSample.flat().map((reading) => reading.memoryBytes / MIB);
  return {
    role,
    containers: Math.max(0, ...perSample.map((readings) => readings.length), ...perInterval.map((readings) => readings.length)),
    cpuCoresPerContainer: cores.length === 0 ? null : { mean: rounded(mean(cores), 3), p95: rounded(percentile(cores, 0.95), 3), n: cores.length },
    cpuCoresAllContainers: perInterval.length === 0 ? null : rounded(mean(perInterval.map((readings) => readings.reduce((sum, reading) => sum + reading.cores, 0))), 3),
    memoryMiBPerContainer: memory.length === 0 ? null : { mean: rounded(mean(memory), 1), max: rounded(Math.max(...memory), 1), n: memory.length },
  };
}
