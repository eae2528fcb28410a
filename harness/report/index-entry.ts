import { relative } from 'node:path';
import type { ControlsSection } from '../controls/control-types.js';
import { ExitCode } from '../errors.js';
import type { CheckOutcome } from '../verdict/verdict-types.js';
import type { ArchitectureRepeat } from '../verdict/repeat-summary.js';
import type { IndexArchitecture, IndexControls, IndexScenarioEntry, LibraryVerdict, ScenarioResults } from './index-report-types.js';
import type { WrittenReports } from './report-paths.js';

const verdictByExitCode: Record<ExitCode, LibraryVerdict> = {
  [ExitCode.ok]: 'pass',
  [ExitCode.targetMissed]: 'fail',
  [ExitCode.invalidInput]: 'error',
  [ExitCode.infrastructure]: 'unknown',
  [ExitCode.interrupted]: 'interrupted',
};

export function verdictOfExitCode(code: ExitCode | null): LibraryVerdict {
  return code === null ? 'not-run' : verdictByExitCode[code];
}

export interface FinishedScenario {
  readonly scenario: string;
  readonly results: ScenarioResults;
  readonly exitCode: ExitCode;
  readonly interrupted: boolean;
  readonly wallSeconds: number;
  /** The paths its writer returned. */
  readonly files: WrittenReports;
  /** The index's directory: the entry's report paths are relative to it. */
  readonly indexDir: string;
}

/** A scenario that wrote its reports (interrupted or not). */
export function finishedEntry(finished: FinishedScenario): IndexScenarioEntry {
  const { results } = finished;
  const controls = results.kind === 'run' ? results.report.controls : results.document.controls;
  const near = (file: string): string => relative(finished.indexDir, file).split('\\').join('/');
  return {
    scenario: finished.scenario,
    status: finished.interrupted ? 'interrupted' : 'finished',
    verdict: verdictOfExitCode(finished.exitCode),
    exitCode: finished.exitCode,
    ...(finished.interrupted ? { reason: 'interrupted by SIGINT or SIGTERM while it ran' } : {}),
    mode: results.kind,
    seed: results.kind === 'run' ? results.report.seed : results.kind === 'repeat' ? results.document.repeat.baseSeed : results.document.baseSeed,
    architectures: architecturesOf(results),
    controls: controls === undefined ? null : controlsOf(controls),
    wallSeconds: finished.wallSeconds,
    reports: { html: near(finished.files.html), json: near(finished.files.json), junit: near(finished.files.junit[0] ?? '') },
  };
}

/** A scenario that stopped with an error before it wrote its reports. */
export function errorEntry(scenario: string, exitCode: ExitCode, reason: string, wallSeconds: number): IndexScenarioEntry {
  return { ...emptyEntry(scenario, reason), status: 'error', verdict: verdictOfExitCode(exitCode), exitCode, wallSeconds };
}

/** A scenario that never started: `--arch` or `--control` left it nothing, or the library stopped before it. */
export function notRunEntry(scenario: string, reason: string): IndexScenarioEntry {
  return emptyEntry(scenario, reason);
}

function emptyEntry(scenario: string, reason: string): IndexScenarioEntry {
  return { scenario, status: 'not-run', verdict: 'not-run', exitCode: null, reason, mode: null, seed: null, architectures: [], controls: null, wallSeconds: null, reports: null };
}

function architecturesOf(results: ScenarioResults): IndexArchitecture[] {
  if (results.kind === 'only-controls') return [];
  if (results.kind === 'repeat') return results.document.repeat.architectures.map(repeatArchitecture);
  return results.report.runs.map((run) => ({ architecture: run.architecture, expectation: run.expectation, verdict: run.verdict, runs: 1, passed: run.verdict === 'pass' ? 1 : 0 }));
}

/** A repeat's architecture fails when a judged run missed, is unknown when none missed but one could not be judged. */
function repeatArchitecture(arch: ArchitectureRepeat): IndexArchitecture {
  const { met } = arch;
  const verdict: CheckOutcome = met.fails > 0 ? 'fail' : met.saturated + met.unknown > 0 || arch.runs.length === 0 ? 'unknown' : 'pass';
  return { architecture: arch.architecture, expectation: arch.expectation, verdict, runs: arch.runs.length, passed: met.passes };
}

function controlsOf(section: ControlsSection): IndexControls {
  const count = (outcome: string): number => section.controls.filter((control) => control.outcome === outcome).length;
  return { total: section.controls.length, caught: count('caught'), missed: count('missed'), unknown: count('unknown'), notRun: section.skipped.length };
}
