import { ExitCode } from '../errors.js';
import type { Architecture, ScenarioDefinition } from '../scenario/types.js';
import type { ControlOutcome, ControlRunEntry, ControlsSection, ControlSummary, SkippedControl } from './control-types.js';
import { aggregateControlRuns, judgeControlRun } from './judge-control.js';
import type { ControlRuns } from './run-controls.js';

export interface SummarizeControlsOptions {
  /** Runs asked of each control (`--repeat K`). */
  readonly requested: number;
  readonly seeds: readonly number[];
  readonly stoppedEarly: boolean;
  readonly skipped?: readonly SkippedControl[];
}

/** The `controls` section of the reports: each control judged over its runs. Pure. */
export function summarizeControls(controls: readonly ControlRuns[], options: SummarizeControlsOptions): ControlsSection {
  return {
    requested: options.requested,
    seeds: options.seeds,
    stoppedEarly: options.stoppedEarly,
    controls: controls.map((entry) => summarizeControl(entry, options.requested)),
    skipped: options.skipped ?? [],
  };
}

function summarizeControl({ prepared, runs }: ControlRuns, requested: number): ControlSummary {
  const { control } = prepared;
  const judged: ControlRunEntry[] = runs.map((run) => ({ seed: run.seed, dir: run.dir, ...judgeControlRun(run.verdict, control.mustBreak) }));
  const { outcome, caught } = aggregateControlRuns(judged, requested);
  return {
    name: control.name,
    architecture: control.architecture,
    sabotages: control.sabotages,
    set: control.set,
    mustBreak: control.mustBreak,
    outcome,
    caught,
    requested,
    runs: judged,
  };
}

/** The controls of the scenario that run on no architecture selected with --arch. */
export function skippedControls(scenario: ScenarioDefinition, architectures: readonly Architecture[]): SkippedControl[] {
  return (scenario.controls ?? [])
    .filter((control) => !architectures.includes(control.architecture))
    .map((control) => ({ name: control.name, architecture: control.architecture, reason: `${control.architecture} not selected with --arch` }));
}

/** The worst outcome over the controls run: missed, then unknown, then caught (caught when none ran). */
export function controlsOutcome(section: ControlsSection): ControlOutcome {
  if (section.controls.some((control) => control.outcome === 'missed')) return 'missed';
  return section.controls.some((control) => control.outcome === 'unknown') ? 'unknown' : 'caught';
}

/** A missed control: 1 (the gate passes a broken system); else an unknown one: 3; else 0. */
export function controlsExitCode(section: ControlsSection): ExitCode {
  const outcome = controlsOutcome(section);
  return outcome === 'missed' ? ExitCode.targetMissed : outcome === 'unknown' ? ExitCode.infrastructure : ExitCode.ok;
}
