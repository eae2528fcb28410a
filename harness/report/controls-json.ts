import type { ControlRunEntry, ControlsSection, ControlSummary, MustBreakResult } from '../controls/control-types.js';

/**
 * The `controls` section of report.json with its keys in a fixed order, so two runs diff line by
 * line: `{ requested, seeds, stoppedEarly, controls: [{ name, architecture, sabotages, set, mustBreak,
 * outcome, caught, requested, runs: [{ seed, dir, outcome, verdict, saturated, targets, reason }] }], skipped }`.
 */
export function orderedControls(section: ControlsSection): ControlsSection {
  return {
    requested: section.requested,
    seeds: section.seeds,
    stoppedEarly: section.stoppedEarly,
    controls: section.controls.map(orderedControl),
    skipped: section.skipped.map((skipped) => ({ name: skipped.name, architecture: skipped.architecture, reason: skipped.reason })),
  };
}

function orderedControl(control: ControlSummary): ControlSummary {
  return {
    name: control.name,
    architecture: control.architecture,
    sabotages: control.sabotages,
    set: control.set,
    mustBreak: control.mustBreak,
    outcome: control.outcome,
    caught: control.caught,
    requested: control.requested,
    runs: control.runs.map(orderedRun),
  };
}

function orderedRun(run: ControlRunEntry): ControlRunEntry {
  return {
    seed: run.seed,
    dir: run.dir,
    outcome: run.outcome,
    verdict: run.verdict,
    saturated: run.saturated,
    targets: run.targets.map(orderedTarget),
    reason: run.reason,
  };
}

function orderedTarget(target: MustBreakResult): MustBreakResult {
  return { key: target.key, name: target.name, wanted: target.wanted, measured: target.measured, outcome: target.outcome };
}
