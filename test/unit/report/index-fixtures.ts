import { join } from 'node:path';
import type { ControlsSection } from '../../../harness/controls/control-types.js';
import { controlsExitCode, summarizeControls } from '../../../harness/controls/summarize-controls.js';
import { type LibraryItem } from '../../../harness/commands/library-plan.js';
import { libraryDocument, runLibrary, type LibraryRun, type ScenarioOutcome } from '../../../harness/commands/run-all.js';
import { severest } from '../../../harness/commands/command-options.js';
import { controlsOnlyDocument } from '../../../harness/report/controls-only-report.js';
import type { IndexDocument } from '../../../harness/report/index-report-types.js';
import { writeControlsOnlyReports } from '../../../harness/report/write-controls-only-reports.js';
import { writeRepeatReports } from '../../../harness/report/write-repeat-reports.js';
import { writeReports } from '../../../harness/report/write-reports.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { repeatExitCode, summarizeRepeat } from '../../../harness/verdict/repeat-summary.js';
import { exitCodeOf } from '../../../harness/verdict/run-report.js';
import { controlRuns } from '../controls/control-fixtures.js';
import { repeatInputs } from '../verdict/repeat-fixtures.js';
import { fixtureHistories, fixtureReport } from './fixtures.js';

export const LIBRARY_STARTED = new Date('2024-12-22T10:00:00.000Z');
export const LIBRARY_FINISHED = new Date('2024-12-22T10:42:00.000Z');

/** A scenario name that HTML, XML and a link must all carry as text. */
export const HOSTILE_NAME = 'odd <img src=x onerror="window.__pwned=1"> & name';

export const controlsSection = (): ControlsSection => summarizeControls(controlRuns(), { requested: 2, seeds: [2010, 111], stoppedEarly: false });

/** How a fixture scenario runs: into its plan's directory, writing its reports as `chaos run` does. */
export type FixtureRun = (outDir: string, name: string) => Promise<ScenarioOutcome>;

/** A run of p2p (pass) and dedicated (fail), then its negative controls (one missed): exit 1. */
export const runWithControls: FixtureRun = async (outDir, name) => {
  const report = { ...fixtureReport(), scenario: name, controls: controlsSection() };
  const files = await writeReports(outDir, report, fixtureHistories());
  return { exitCode: severest([exitCodeOf(report, false), controlsExitCode(report.controls)]), results: { kind: 'run', report }, files: { ...files, junit: [files.junit] } };
};

/** p2p alone, which reproduces the outage: exit 0. */
export const passingRun: FixtureRun = async (outDir, name) => {
  const base = fixtureReport();
  const report = { ...base, scenario: name, runs: base.runs.filter((run) => run.architecture === 'p2p') };
  const files = await writeReports(outDir, report, { p2p: fixtureHistories().p2p });
  return { exitCode: exitCodeOf(report, false), results: { kind: 'run', report }, files: { ...files, junit: [files.junit] } };
};

/** Four runs: dedicated missed once and was saturated once: exit 1. */
export const repeatedRuns: FixtureRun = async (outDir, name) => {
  const inputs = repeatInputs();
  const document = summarizeRepeat(inputs, { scenario: name, requested: 4, baseSeed: 2010, now: LIBRARY_FINISHED });
  const files = await writeRepeatReports(outDir, document);
  return { exitCode: repeatExitCode(inputs, false), results: { kind: 'repeat', document }, files };
};

/** The negative controls alone: one missed: exit 1. */
export const controlsAlone: FixtureRun = async (outDir, name) => {
  const document = controlsOnlyDocument(controlsSection(), { scenario: name, description: 'controls alone', baseSeed: 2010, platform: 'local', now: LIBRARY_FINISHED });
  const files = await writeControlsOnlyReports(outDir, document);
  return { exitCode: controlsExitCode(document.controls), results: { kind: 'only-controls', document }, files };
};

export const planned = (name: string, dir: string): LibraryItem => ({
  kind: 'run',
  plan: { scenario: { name } as ScenarioDefinition, architectures: ['p2p', 'dedicated'], outDir: join(dir, name) },
});

export interface FixtureLibrary {
  readonly run: LibraryRun;
  readonly document: IndexDocument;
  readonly lines: readonly string[];
}

/**
 * A library of five scenarios run into `dir` by the real loop with fixture runs: a run with controls, a
 * passing run, a repeat, the controls alone under a hostile name, and one `--arch` left out.
 */
export async function fixtureLibrary(dir: string): Promise<FixtureLibrary> {
  const runs = new Map<string, FixtureRun>([
    ['skype-2010', runWithControls],
    ['skype-2010-no-remedy', passingRun],
    ['skype-2010-same-capacity', repeatedRuns],
    [HOSTILE_NAME, controlsAlone],
  ]);
  const items: LibraryItem[] = [...[...runs.keys()].map((name) => planned(name, dir)), { kind: 'skip', scenario: 'rehearsal-p2p', reason: '--arch dedicated: it defines only p2p' }];
  const lines: string[] = [];
  let clock = 0;
  const run = await runLibrary({
    items,
    indexDir: dir,
    signal: new AbortController().signal,
    runPlan: (plan) => runs.get(plan.scenario.name)!(plan.outDir, plan.scenario.name),
    say: (line) => lines.push(line),
    warn: (line) => lines.push(line),
    now: () => (clock += 61_500),
  });
  const document = libraryDocument(run, { command: 'chaos run --all --controls --platform local', startedAt: LIBRARY_STARTED, finishedAt: LIBRARY_FINISHED, platform: 'local' });
  return { run, document, lines };
}
