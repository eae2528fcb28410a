import type { ControlsSection } from '../controls/control-types.js';
import { ExitCode } from '../errors.js';
import type { Architecture, Expectation } from '../scenario/types.js';
import { fidelityStats, type FidelityStats } from './repeat-fidelity.js';
import { figureStats, numericLeaves, type FigureStats } from './repeat-figures.js';
import type { ArchitectureVerdict, CheckOutcome, RunReport } from './verdict-types.js';
import { wilsonInterval, type Interval } from './wilson-interval.js';

export type { FidelityStats } from './repeat-fidelity.js';
export type { FigureStats } from './repeat-figures.js';

/** One finished run of a repeat: its seed, its directory (relative to the repeat's), its report. */
export interface RepeatInput {
  readonly seed: number;
  readonly dir: string;
  readonly report: RunReport;
}

export interface RepeatRunEntry {
  readonly seed: number;
  readonly verdict: CheckOutcome;
  /** The harness did not deliver the stated load: the run says nothing (reported as unknown). */
  readonly saturated: boolean;
  readonly dir: string;
}

/**
 * A pass rate over repeated runs. Saturated runs, and runs where the target was unknown (not
 * measurable), are left out of the denominator and counted apart: `runs = passes + fails`.
 */
export interface PassTally {
  readonly name: string;
  readonly passes: number;
  readonly fails: number;
  readonly runs: number;
  readonly saturated: number;
  readonly unknown: number;
  /** passes / runs; null when no run was judged. */
  readonly rate: number | null;
  readonly wilson95: Interval;
  readonly failingSeeds: readonly number[];
}

export interface ArchitectureRepeat {
  readonly architecture: Architecture;
  readonly expectation: Expectation;
  readonly runs: readonly RepeatRunEntry[];
  /** The expectation as a whole (`verdict === 'pass'`) over the runs. */
  readonly met: PassTally;
  readonly targets: readonly PassTally[];
  readonly figures: readonly FigureStats[];
  /** The scenario's post-mortem figures beside what the runs measured; none when it states none. */
  readonly fidelity: readonly FidelityStats[];
}

/** The aggregate `report.json` of `chaos run --repeat K`. */
export interface RepeatDocument {
  readonly scenario: string;
  readonly description: string;
  readonly platform: string;
  readonly generatedAt: string;
  readonly repeat: {
    /** Runs that finished. */
    readonly count: number;
    /** Runs asked for (`--repeat K`). */
    readonly requested: number;
    readonly baseSeed: number;
    readonly seeds: readonly number[];
    /** Stopped early (Ctrl-C, or an error); the aggregate covers the runs that finished. */
    readonly stoppedEarly: boolean;
    readonly architectures: readonly ArchitectureRepeat[];
  };
  /** `chaos run --repeat K --controls`: the negative controls, K runs each on the same seeds. */
  readonly controls?: ControlsSection;
}

export interface RepeatSummaryOptions {
  readonly scenario: string;
  readonly description?: string;
  readonly requested: number;
  readonly baseSeed: number;
  readonly stoppedEarly?: boolean;
  readonly now?: Date;
}

/** Aggregates the reports of repeated runs, per architecture and per target. Pure. */
export function summarizeRepeat(inputs: readonly RepeatInput[], options: RepeatSummaryOptions): RepeatDocument {
  const architectures: Architecture[] = [];
  for (const input of inputs) {
    for (const run of input.report.runs) if (!architectures.includes(run.architecture)) architectures.push(run.architecture);
  }
  return {
    scenario: options.scenario,
    description: options.description ?? inputs[0]?.report.description ?? '',
    platform: [...new Set(inputs.map((input) => input.report.platform))].join(', ') || 'none',
    generatedAt: (options.now ?? new Date()).toISOString(),
    repeat: {
      count: inputs.length,
      requested: options.requested,
      baseSeed: options.baseSeed,
      seeds: inputs.map((input) => input.seed),
      stoppedEarly: options.stoppedEarly ?? inputs.length < options.requested,
      architectures: architectures.map((architecture) => summarizeArchitecture(architecture, inputs)),
    },
  };
}

interface SeededRun {
  readonly seed: number;
  readonly dir: string;
  readonly run: ArchitectureVerdict;
}

export const isSaturated = (run: ArchitectureVerdict): boolean => run.saturation?.saturated === true;

function summarizeArchitecture(architecture: Architecture, inputs: readonly RepeatInput[]): ArchitectureRepeat {
  const seeded: SeededRun[] = inputs.flatMap((input) =>
    input.report.runs.filter((run) => run.architecture === architecture).map((run) => ({ seed: input.seed, dir: input.dir, run })),
  );
  const targetNames = [...new Set(seeded.flatMap(({ run }) => run.targets.map((t) => t.name)))];
  const excluded = seeded.map(({ run }) => isSaturated(run));
  return {
    architecture,
    expectation: seeded[0]?.run.expectation ?? 'meets-targets',
    runs: seeded.map(({ seed, dir, run }) => ({ seed, verdict: run.verdict, saturated: isSaturated(run), dir })),
    met: tally('expectation', seeded, ({ run }) => run.verdict),
    targets: targetNames.map((name) => tally(name, seeded, ({ run }) => run.targets.find((t) => t.name === name)?.outcome ?? 'unknown')),
    figures: [
      ...figureStats({ perRun: seeded.map(({ run }) => numericLeaves(run.summary, 'summary')), keepAllNull: true, excluded }),
      ...figureStats({ perRun: seeded.map(({ run }) => targetLeaves(run, targetNames)), keepAllNull: true, excluded }),
      ...figureStats({ perRun: seeded.map(({ run }) => numericLeaves(run.load, 'load')), keepAllNull: false, excluded }),
    ],
    fidelity: fidelityStats(seeded.map(({ run }) => run), excluded),
  };
}

function targetLeaves(run: ArchitectureVerdict, names: readonly string[]): ReturnType<typeof numericLeaves> {
  const leaves: ReturnType<typeof numericLeaves> = new Map();
  for (const name of names) numericLeaves(run.targets.find((t) => t.name === name)?.measured, `target.${name}`, leaves);
  return leaves;
}

function tally(name: string, runs: readonly SeededRun[], outcomeOf: (run: SeededRun) => CheckOutcome): PassTally {
  let passes = 0;
  let saturated = 0;
  let unknown = 0;
  const failingSeeds: number[] = [];
  for (const seeded of runs) {
    if (isSaturated(seeded.run)) {
      saturated += 1;
      continue;
    }
    const outcome = outcomeOf(seeded);
    if (outcome === 'pass') passes += 1;
    else if (outcome === 'fail') failingSeeds.push(seeded.seed);
    else unknown += 1;
  }
  const judged = passes + failingSeeds.length;
  return {
    name,
    passes,
    fails: failingSeeds.length,
    runs: judged,
    saturated,
    unknown,
    rate: judged === 0 ? null : passes / judged,
    wilson95: wilsonInterval(passes, judged),
    failingSeeds,
  };
}

/**
 * The exit code of a repeat: 130 when interrupted, 1 when a (non-saturated) run missed its
 * expectation, 3 when none missed but some were unknown (saturated, or not judged), 0 only
 * when every run of every architecture passed.
 */
export function repeatExitCode(inputs: readonly RepeatInput[], interrupted: boolean): ExitCode {
  const runs = inputs.flatMap((input) => input.report.runs);
  if (interrupted || runs.some((run) => run.outcome === 'interrupted')) return ExitCode.interrupted;
  if (runs.some((run) => run.verdict === 'fail' && !isSaturated(run))) return ExitCode.targetMissed;
  const everyPass = inputs.length > 0 && inputs.every((input) => input.report.runs.length > 0) && runs.every((run) => run.verdict === 'pass' && !isSaturated(run));
  return everyPass ? ExitCode.ok : ExitCode.infrastructure;
}
