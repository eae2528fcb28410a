import { ExitCode, errorMessage, isChaosError } from '../errors.js';
import { errorEntry, finishedEntry, notRunEntry, verdictOfExitCode } from '../report/index-entry.js';
import { INDEX_SCHEMA_VERSION, type IndexDocument, type IndexScenarioEntry, type ScenarioResults } from '../report/index-report-types.js';
import { libraryProgressLine } from '../report/index-report-terminal.js';
import type { WrittenReports } from '../report/report-paths.js';
import { severest } from './command-options.js';
import type { LibraryItem, ScenarioPlan } from './library-plan.js';

/** What running one scenario gave: its exit code, its results and reports, and what stops the library after it. */
export interface ScenarioOutcome {
  readonly exitCode: ExitCode;
  readonly results: ScenarioResults;
  readonly files: WrittenReports;
  /** Why no further run may start on this platform. */
  readonly unfitPlatform?: string;
  /** What stopped it once its reports were written (its controls, or some of its repeated runs). */
  readonly error?: unknown;
}

export interface RunLibraryOptions {
  readonly items: readonly LibraryItem[];
  /** The index's directory: the entries' report paths are relative to it. */
  readonly indexDir: string;
  readonly signal: AbortSignal;
  /** Runs one scenario as `chaos run` does, its own output included. */
  readonly runPlan: (plan: ScenarioPlan) => Promise<ScenarioOutcome>;
  /** The line for each scenario as it is done. */
  readonly say: (line: string) => void;
  /** What stopped a scenario with an error, as the command would have printed it. */
  readonly warn: (line: string) => void;
  readonly now?: () => number;
}

export interface LibraryRun {
  readonly entries: readonly IndexScenarioEntry[];
  readonly results: ReadonlyMap<string, ScenarioResults>;
  readonly interrupted: boolean;
}

/**
 * `chaos run --all`: the scenarios one after the other. A scenario interrupted by SIGINT or SIGTERM is
 * marked so; one that stopped with an error, or left the platform unfit, ends the library there. The
 * scenarios after it are not run, and every scenario has its entry.
 */
export async function runLibrary(options: RunLibraryOptions): Promise<LibraryRun> {
  const now = options.now ?? Date.now;
  const entries: IndexScenarioEntry[] = [];
  const results = new Map<string, ScenarioResults>();
  let stopped: string | undefined;
  for (const [index, item] of options.items.entries()) {
    const name = item.kind === 'run' ? item.plan.scenario.name : item.scenario;
    if (stopped === undefined && item.kind === 'run' && options.signal.aborted) stopped = 'interrupted before it started';
    let entry: IndexScenarioEntry;
    if (stopped !== undefined) {
      entry = notRunEntry(name, stopped);
    } else if (item.kind === 'skip') {
      entry = notRunEntry(name, item.reason);
    } else {
      const startedAt = now();
      const wallSeconds = (): number => (now() - startedAt) / 1000;
      try {
        const outcome = await options.runPlan(item.plan);
        results.set(name, outcome.results);
        entry = withError(
          finishedEntry({ scenario: name, results: outcome.results, exitCode: outcome.exitCode, interrupted: options.signal.aborted, wallSeconds: wallSeconds(), files: outcome.files, indexDir: options.indexDir }),
          outcome.error,
          options.warn,
        );
        if (outcome.unfitPlatform !== undefined) stopped = `no further run on this engine: ${outcome.unfitPlatform}`;
      } catch (error) {
        options.warn(describeError(error));
        const failed = errorEntry(name, exitCodeOfError(error), errorMessage(error), wallSeconds());
        entry = options.signal.aborted ? { ...failed, status: 'interrupted' } : failed;
      }
      if (entry.status === 'error') stopped ??= `${name} stopped with an error`;
      if (options.signal.aborted) stopped ??= 'interrupted before it started';
    }
    entries.push(entry);
    options.say(libraryProgressLine(entry, index + 1, options.items.length, options.indexDir));
  }
  return { entries, results, interrupted: options.signal.aborted };
}

/** The severest exit code of the scenarios (see `severest`); 130 when the library was interrupted. */
export function libraryExitCode(entries: readonly IndexScenarioEntry[], interrupted: boolean): ExitCode {
  if (interrupted) return ExitCode.interrupted;
  return severest(entries.flatMap((entry) => (entry.exitCode === null ? [] : [entry.exitCode])));
}

export interface LibraryDocumentMeta {
  readonly command: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly platform: string;
}

export function libraryDocument(run: LibraryRun, meta: LibraryDocumentMeta): IndexDocument {
  const exitCode = libraryExitCode(run.entries, run.interrupted);
  return {
    schemaVersion: INDEX_SCHEMA_VERSION,
    command: meta.command,
    startedAt: meta.startedAt.toISOString(),
    finishedAt: meta.finishedAt.toISOString(),
    platform: meta.platform,
    exitCode,
    verdict: verdictOfExitCode(exitCode),
    interrupted: run.interrupted,
    scenarios: run.entries,
  };
}

/** `chaos run --all --out 'my reports'`: the arguments as a shell would take them back. */
export function commandLine(args: readonly string[]): string {
  return ['chaos', ...args].map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** A scenario that wrote its reports and then stopped with an error: the error's code counts too. */
function withError(entry: IndexScenarioEntry, error: unknown, warn: (line: string) => void): IndexScenarioEntry {
  if (error === undefined) return entry;
  warn(describeError(error));
  const exitCode = severest([entry.exitCode ?? ExitCode.ok, exitCodeOfError(error)]);
  return { ...entry, status: entry.status === 'interrupted' ? 'interrupted' : 'error', exitCode, verdict: verdictOfExitCode(exitCode), reason: errorMessage(error) };
}

const exitCodeOfError = (error: unknown): ExitCode => (isChaosError(error) ? error.exitCode : ExitCode.infrastructure);

const describeError = (error: unknown): string => (isChaosError(error) ? error.describe() : `UNEXPECTED: ${errorMessage(error)}`);
