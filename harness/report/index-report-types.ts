import type { ExitCode } from '../errors.js';
import type { Architecture, Expectation } from '../scenario/types.js';
import type { RepeatDocument } from '../verdict/repeat-summary.js';
import type { CheckOutcome, RunReport } from '../verdict/verdict-types.js';
import type { ControlsOnlyDocument } from './controls-only-report.js';

/** Raised when a field of index.json changes its meaning or goes away; adding a field keeps it. */
export const INDEX_SCHEMA_VERSION = 1;

/** What one scenario of `chaos run --all` produced: the document its own report.json holds. */
export type ScenarioResults =
  | { readonly kind: 'run'; readonly report: RunReport }
  | { readonly kind: 'repeat'; readonly document: RepeatDocument }
  | { readonly kind: 'only-controls'; readonly document: ControlsOnlyDocument };

/**
 * finished: it ran to its reports; interrupted: SIGINT or SIGTERM arrived while it ran (its reports are
 * still written); error: it stopped with an error before its reports; not-run: it never started.
 */
export type ScenarioStatus = 'finished' | 'interrupted' | 'error' | 'not-run';

/** A verdict read off an exit code: 0 pass, 1 fail, 2 error, 3 unknown, 130 interrupted; not-run has none. */
export type LibraryVerdict = CheckOutcome | 'error' | 'interrupted' | 'not-run';

/** One architecture of a scenario: its verdict over its runs (one, or K with --repeat). */
export interface IndexArchitecture {
  readonly architecture: Architecture;
  readonly expectation: Expectation;
  readonly verdict: CheckOutcome;
  readonly runs: number;
  /** Runs that met the expectation. */
  readonly passed: number;
}

/** The negative controls of a scenario, counted by outcome. */
export interface IndexControls {
  /** Controls run. */
  readonly total: number;
  readonly caught: number;
  readonly missed: number;
  readonly unknown: number;
  /** Controls on an architecture `--arch` left out. */
  readonly notRun: number;
}

/** A scenario's own reports, relative to the index's directory. */
export interface IndexReportFiles {
  readonly html: string;
  readonly json: string;
  readonly junit: string;
}

export interface IndexScenarioEntry {
  readonly scenario: string;
  readonly status: ScenarioStatus;
  readonly verdict: LibraryVerdict;
  readonly exitCode: ExitCode | null;
  /** Why it stopped with an error, was interrupted, or did not run. */
  readonly reason?: string;
  /** Which reports it wrote: a run's, a repeat's (`--repeat K`) or the controls' alone (`--only-controls`). */
  readonly mode: ScenarioResults['kind'] | null;
  /** The seed of a run, the base seed of a repeat or of the controls. */
  readonly seed: number | null;
  readonly architectures: readonly IndexArchitecture[];
  readonly controls: IndexControls | null;
  readonly wallSeconds: number | null;
  readonly reports: IndexReportFiles | null;
}

/** The shape of `index.json`. */
export interface IndexDocument {
  readonly schemaVersion: typeof INDEX_SCHEMA_VERSION;
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly platform: string;
  /** What `chaos run --all` exited with: the severest of the scenarios', 130 when interrupted. */
  readonly exitCode: ExitCode;
  readonly verdict: LibraryVerdict;
  readonly interrupted: boolean;
  readonly scenarios: readonly IndexScenarioEntry[];
}
