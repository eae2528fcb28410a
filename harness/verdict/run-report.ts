import { ExitCode } from '../errors.js';
import type { HistoryEvent } from '../observe/history-types.js';
import type { ScenarioDefinition } from '../scenario/types.js';
import { runStartOf } from './history-series.js';
import { judgeRun } from './judge-run.js';
import type { CheckOutcome, RunReport } from './verdict-types.js';

/** report.json: every architecture's history judged, side by side. */
export function buildRunReport(
  scenario: ScenarioDefinition,
  platform: string,
  histories: readonly (readonly HistoryEvent[])[],
  options: { readonly now?: Date } = {},
): RunReport {
  const seed = histories.map((events) => runStartOf(events)?.seed).find((value) => value !== undefined) ?? scenario.seed;
  return {
    scenario: scenario.name,
    description: scenario.description,
    seed,
    platform,
    generatedAt: (options.now ?? new Date()).toISOString(),
    runs: histories.map((events) => judgeRun(events)),
  };
}

/** pass only when every architecture passed. */
export function reportOutcome(report: RunReport): CheckOutcome {
  if (report.runs.length === 0) return 'unknown';
  if (report.runs.some((run) => run.verdict === 'fail')) return 'fail';
  return report.runs.every((run) => run.verdict === 'pass') ? 'pass' : 'unknown';
}

/**
 * The exit code of `chaos run` and `chaos report`: interrupted first, then the report's outcome. A
 * report that did not fail but could not be judged whole (harness saturated, a step failed, a run
 * cut short, no run at all) makes no claim either way: exit 3.
 */
export function exitCodeOf(report: RunReport, interrupted: boolean): ExitCode {
  if (interrupted || report.runs.some((run) => run.outcome === 'interrupted')) return ExitCode.interrupted;
  return exitCodeByOutcome[reportOutcome(report)];
}

const exitCodeByOutcome = { pass: ExitCode.ok, fail: ExitCode.targetMissed, unknown: ExitCode.infrastructure } as const satisfies Record<CheckOutcome, ExitCode>;
