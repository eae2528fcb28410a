import { join } from 'node:path';
import { ChaosError } from '../errors.js';
import type { ResourceOwner } from '../lifecycle/owner.js';
import type { PlatformKind } from '../platform/platform.js';
import { writeRepeatReports } from '../report/write-repeat-reports.js';
import { repeatRuns } from '../runner/repeat-runs.js';
import { runScenario, type RunScenarioOptions, type RunScenarioResult } from '../runner/run-scenario.js';
import { summarizeRepeat, type PassTally } from '../verdict/repeat-summary.js';
import { wilsonInterval } from '../verdict/wilson-interval.js';
import { scenarioAt, type SweepSpec } from './sweep-input.js';
import type { RunPoint } from './sweep-point.js';

export interface SweepPointRunnerOptions {
  readonly spec: SweepSpec;
  readonly platform: PlatformKind | 'auto';
  readonly baseSeed: number;
  /** The sweep's directory; point i writes into `<outDir>/point-<i>-value-<value>/`. */
  readonly outDir: string;
  readonly signal: AbortSignal;
  readonly owners?: Set<ResourceOwner>;
  readonly onRunStart?: (point: number, index: number, seed: number, dir: string) => void;
  readonly onRunDone?: (point: number, index: number, seed: number, result: RunScenarioResult) => void;
  /** One run (the command adds its progress display); `runScenario` by default. */
  readonly run?: (options: RunScenarioOptions) => Promise<RunScenarioResult>;
}

/** `point-<i>-value-<value>`: where point i writes its runs and its repeat reports. */
export function sweepPointDir(index: number, value: number): string {
  return `point-${index}-value-${String(value).replace(/[^0-9.eE+-]/g, '_')}`;
}

const noRuns: PassTally = { name: 'expectation', passes: 0, fails: 0, runs: 0, saturated: 0, unknown: 0, rate: null, wilson95: wilsonInterval(0, 0), failingSeeds: [] };

/**
 * The real point: the scenario with the field at the point's value and each `--scale-with` field at
 * its scaled value, run K times on the one architecture by `repeatRuns` (the seeds of `chaos run
 * --repeat K --seed N`, the same at every point), judged by `summarizeRepeat`, its repeat reports
 * written into the point's directory.
 */
export function sweepPointRunner(options: SweepPointRunnerOptions): RunPoint {
  const { spec } = options;
  return async ({ index, value }) => {
    // No point starts after Ctrl-C: it would leave an empty directory and a point of no runs.
    if (options.signal.aborted) throw new ChaosError('INTERRUPTED', `point ${index} (${spec.param.path} = ${value}) not started: interrupted`, { hint: 'run the sweep again to finish it' });
    const scenario = scenarioAt(spec.scenario, spec.param, value, spec.scaleWith);
    const dir = sweepPointDir(index, value);
    const pointDir = join(options.outDir, dir);
    const result = await repeatRuns({
      scenario,
      architectures: [spec.architecture],
      platform: options.platform,
      signal: options.signal,
      ...(options.owners === undefined ? {} : { owners: options.owners }),
      count: spec.repeat,
      baseSeed: options.baseSeed,
      outDir: pointDir,
      onRunStart: (run, seed, runDir) => options.onRunStart?.(index, run, seed, join(pointDir, runDir)),
      onRunDone: (run, seed, done) => options.onRunDone?.(index, run, seed, done),
      ...(options.run === undefined ? { run: runScenario } : { run: options.run }),
    });
    if (result.inputs.length === 0 && result.error !== undefined) throw result.error;
    const stoppedEarly = result.interrupted || result.error !== undefined || result.inputs.length < spec.repeat;
    const document = summarizeRepeat(result.inputs, { scenario: scenario.name, description: scenario.description, requested: spec.repeat, baseSeed: options.baseSeed, stoppedEarly });
    await writeRepeatReports(pointDir, document);
    if (result.error !== undefined) throw result.error;
    const architecture = document.repeat.architectures.find((arch) => arch.architecture === spec.architecture);
    return {
      met: architecture?.met ?? noRuns,
      runs: (architecture?.runs ?? []).map((run) => ({ ...run, dir: `${dir}/${run.dir}` })),
      dir,
      stoppedEarly,
    };
  };
}
