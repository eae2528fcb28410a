import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { errorMessage, isChaosError } from '../../harness/errors.js';
import type { FaultLatencyResult } from './fault-latency.js';
import type { FleetCapacityResult } from './fleet-capacity.js';
import type { HarnessCpuResult } from './harness-cpu.js';
import type { HopOverheadResult } from './hop-overhead.js';
import type { MachineFacts } from './machine-facts.js';
import type { TopologyCell } from './topology-timing.js';
import { rounded } from './stats.js';

/** A measurement as data: its figures, or why there are none. Never a throw. */
export type Outcome<T> =
  | { readonly status: 'measured'; readonly seconds: number; readonly loadAverageBefore?: number; readonly result: T }
  | { readonly status: 'failed' | 'skipped'; readonly seconds: number; readonly loadAverageBefore?: number; readonly reason: string };

/** Runs one measurement; its failure becomes the outcome's reason. Notes the 1-minute load average it started under. */
export async function attempt<T>(what: string, measure: () => Promise<T>): Promise<Outcome<T>> {
  const began = performance.now();
  const loadAverageBefore = rounded(loadavg()[0] ?? 0);
  console.log(`\n${what} (load average ${loadAverageBefore}) ...`);
  try {
    const result = await measure();
    return { status: 'measured', seconds: rounded((performance.now() - began) / 1_000, 1), loadAverageBefore, result };
  } catch (error) {
    const reason = isChaosError(error) ? error.describe() : errorMessage(error);
    console.log(`  failed: ${reason}`);
    return { status: 'failed', seconds: rounded((performance.now() - began) / 1_000, 1), loadAverageBefore, reason };
  }
}

export const skipped = <T>(reason: string): Outcome<T> => ({ status: 'skipped', seconds: 0, reason });

const notChosenReason = 'not chosen with --only';
export const notChosen = <T>(): Outcome<T> => skipped(notChosenReason);

export interface BenchLimit {
  readonly measurement: string;
  readonly limit: string;
  readonly why: string;
}

export interface BenchResults {
  readonly command: string;
  readonly machine: MachineFacts;
  readonly loadAverageAtEnd: readonly number[];
  /** Set when the machine was busy with other work at the start (1-minute load average above the cores). */
  readonly busyMachineNote?: string;
  readonly durationSeconds: number;
  /** The bench's own knobs: budgets, sizes, repetitions. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly dockerImages: readonly string[];
  readonly fleetCapacity: Outcome<FleetCapacityResult>;
  readonly topology: { readonly shape: string; readonly local: Outcome<TopologyCell[]>; readonly docker: Outcome<TopologyCell[]> };
  readonly faultLatency: { readonly local: Outcome<FaultLatencyResult>; readonly docker: Outcome<FaultLatencyResult> };
  readonly hopOverhead: Outcome<HopOverheadResult>;
  readonly harnessCpu: Outcome<HarnessCpuResult>;
  /** Every limit the bench ran into, and why. */
  readonly limits: readonly BenchLimit[];
}

type Measurements = Omit<BenchResults, 'limits'>;

/** Every limit and gap in the figures, in words, from the measurements themselves. */
export function limitsOf(results: Measurements): BenchLimit[] {
  const limits: BenchLimit[] = [];
  const unmeasured = (measurement: string, outcome: Outcome<unknown>): void => {
    if (outcome.status !== 'measured' && outcome.reason !== notChosenReason) limits.push({ measurement, limit: `not measured (${outcome.status})`, why: outcome.reason });
  };
  unmeasured('fleet capacity', results.fleetCapacity);
  if (results.fleetCapacity.status === 'measured') {
    const fleet = results.fleetCapacity.result;
    limits.push({
      measurement: 'fleet capacity',
      limit: fleet.largestHeld === undefined ? 'no fleet size held' : `${fleet.largestHeld} clients in one fleet process with heartbeat p99 under ${fleet.heartbeatP99LimitMs} ms`,
      why: fleet.stoppedBecause,
    });
  }
  for (const kind of ['local', 'docker'] as const) {
    const outcome = results.topology[kind];
    unmeasured(`topology start/teardown (${kind})`, outcome);
    if (outcome.status !== 'measured') continue;
    for (const cell of outcome.result) {
      const measurement = `topology start/teardown (${kind}, ${cell.supernodes} supernodes)`;
      for (const failure of cell.failures) limits.push({ measurement, limit: 'did not start', why: failure });
      for (const failure of cell.teardownFailures) limits.push({ measurement, limit: 'teardown failed to release something', why: failure });
      if (cell.skipped !== undefined) limits.push({ measurement, limit: 'not measured', why: cell.skipped });
      if (cell.leftBehind > 0) limits.push({ measurement, limit: `${cell.leftBehind} objects left behind after teardown`, why: 'teardown did not remove everything the run created' });
    }
    unmeasured(`fault latency (${kind})`, results.faultLatency[kind]);
    const faults = results.faultLatency[kind];
    if (faults.status === 'measured') {
      for (const row of faults.result.rows.filter((r) => r.noEffect > 0)) {
        limits.push({ measurement: `fault latency (${kind})`, limit: `${row.fault}: no effect seen in ${row.noEffect} of ${faults.result.repetitions}`, why: `nothing matched "${row.effect}" within 5 s` });
      }
    }
  }
  unmeasured('Toxiproxy hop overhead', results.hopOverhead);
  limits.push({ measurement: 'Toxiproxy hop overhead', limit: 'local platform only', why: 'on Docker a supernode\'s service port is not published to the host, so there is no direct path to compare with' });
  unmeasured('harness CPU share', results.harnessCpu);
  if (results.harnessCpu.status === 'measured' && results.harnessCpu.result.saturated === true) {
    limits.push({ measurement: 'harness CPU share', limit: 'the run was judged "harness saturated"', why: results.harnessCpu.result.saturationReasons.join('; ') });
  }
  if (results.busyMachineNote !== undefined) limits.push({ measurement: 'all', limit: 'busy machine', why: results.busyMachineNote });
  return limits;
}
