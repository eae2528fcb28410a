import { join } from 'node:path';
import { prepareControls, type PreparedControl } from '../controls/apply-control.js';
import type { ControlsSection, SkippedControl } from '../controls/control-types.js';
import { judgeControlRun } from '../controls/judge-control.js';
import { runControls, type RunControlsOptions } from '../controls/run-controls.js';
import { controlsExitCode, skippedControls, summarizeControls } from '../controls/summarize-controls.js';
import { ChaosError, type ExitCode } from '../errors.js';
import type { ResourceOwner } from '../lifecycle/owner.js';
import type { PlatformKind } from '../platform/platform.js';
import { repeatSeeds } from '../runner/repeat-runs.js';
import type { Architecture, ScenarioDefinition } from '../scenario/types.js';

/** What `--controls` runs for one scenario, prepared (and checked) before anything starts. */
export interface ControlsPlan {
  readonly prepared: readonly PreparedControl[];
  readonly skipped: readonly SkippedControl[];
}

/** The controls `--controls` runs for a scenario (those of the architectures selected), each applied and validated now. */
export function controlsPlanFor(scenario: ScenarioDefinition, architectures: readonly Architecture[]): ControlsPlan {
  return { prepared: prepareControls(scenario, architectures), skipped: skippedControls(scenario, architectures) };
}

/**
 * `--only-controls` refuses (exit 2) a scenario that leaves it nothing to run: one that declares no
 * control, or one whose controls all run on architectures `--arch` left out.
 */
export function requireControlsToRun(scenario: string, plan: ControlsPlan): void {
  if (plan.prepared.length > 0) return;
  if (plan.skipped.length === 0) {
    throw new ChaosError('INVALID_CONFIG', `${scenario} declares no negative controls`, {
      hint: 'add `controls` to the scenario (docs/scenarios.md#negative-controls) or drop --only-controls',
    });
  }
  const architectures = [...new Set(plan.skipped.map((control) => control.architecture))].join(' and ');
  throw new ChaosError('INVALID_CONFIG', `--arch leaves none of the negative controls of ${scenario} to run: they run on ${architectures}`, {
    hint: `add ${architectures} to --arch, or drop --arch`,
  });
}

export interface ControlsStepOptions {
  readonly plan: ControlsPlan;
  readonly platform: PlatformKind | 'auto';
  readonly signal: AbortSignal;
  readonly owners: Set<ResourceOwner>;
  /** The real runs' count and base seed (run or not, with --only-controls): the controls run on the same seeds. */
  readonly count: number;
  readonly baseSeed: number;
  readonly outDir: string;
  /** One control run at a time (`--one-at-a-time`) instead of two side by side. */
  readonly oneAtATime: boolean;
  /** Why no control may start: the real runs left the platform unfit (the controls are then unknown). */
  readonly unfitPlatform?: string;
  readonly say: (line: string) => void;
  /** The single run (tests replace it). */
  readonly run?: RunControlsOptions['run'];
}

export interface ControlsStepResult {
  readonly section: ControlsSection;
  readonly exitCode: ExitCode;
  /** What stopped the controls early, to throw once their reports are written. */
  readonly error?: unknown;
}

/** Runs a scenario's controls (after its real runs, or alone with `--only-controls`), saying each run's start and outcome, and judges them. */
export async function runControlsStep(options: ControlsStepOptions): Promise<ControlsStepResult> {
  const { plan, count, say } = options;
  if (options.unfitPlatform !== undefined && plan.prepared.length > 0) say(`negative controls not run: ${options.unfitPlatform}`);
  const result =
    options.unfitPlatform === undefined
      ? await runControls({
          controls: plan.prepared,
          platform: options.platform,
          signal: options.signal,
          owners: options.owners,
          count,
          baseSeed: options.baseSeed,
          outDir: options.outDir,
          sideBySide: options.oneAtATime ? 1 : 2,
          onRunStart: (prepared, index, seed, dir) => say(`control ${prepared.control.name} (${prepared.control.architecture}) run ${index + 1}/${count} seed ${seed}: ${join(options.outDir, dir)}`),
          onRunDone: (prepared, index, seed, done) => {
            const verdict = done.report.runs.find((run) => run.architecture === prepared.control.architecture);
            const judged = judgeControlRun(verdict, prepared.control.mustBreak);
            say(`control ${prepared.control.name} run ${index + 1}/${count} seed ${seed}: ${judged.outcome} (${judged.reason})`);
          },
          ...(options.run === undefined ? {} : { run: options.run }),
        })
      : { seeds: repeatSeeds(options.baseSeed, count), controls: plan.prepared.map((prepared) => ({ prepared, runs: [] })), interrupted: options.signal.aborted };
  const finished = result.controls.reduce((sum, control) => sum + control.runs.length, 0);
  const section = summarizeControls(result.controls, {
    requested: count,
    seeds: result.seeds,
    stoppedEarly: finished < plan.prepared.length * count,
    skipped: plan.skipped,
  });
  return { section, exitCode: controlsExitCode(section), ...('error' in result && result.error !== undefined ? { error: result.error } : {}) };
}
