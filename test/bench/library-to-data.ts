import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ControlsSection } from '../../harness/controls/control-types.js';
import { libraryResultsSchema, type LibraryRunEntry, type LibraryScenarioData } from '../../harness/docs/library-results-data.js';
import type { IndexDocument, IndexScenarioEntry } from '../../harness/report/index-report-types.js';
import { readHistory, historyFileName } from '../../harness/observe/history-writer.js';
import { runPhaseTimes, slowestRun, type RunPhaseTimes } from '../../harness/observe/run-phase-times.js';
import { ARCHITECTURES } from '../../harness/scenario/architecture-rules.js';
import { entrySource, type EntrySourceOptions, entryToolArgs, putEntry, runEntryTool } from './bench-entry.js';

/**
 * Adds a run of the whole library (the `--out` directory of `chaos run --all`) to
 * bench/library-runs.json as one entry (replacing an entry of the same id): the index's verdicts and
 * wall times, and each scenario's negative controls read from its own report.json. `npm run docs` then
 * renders its table, `library-<id>`.
 *
 *   tsx test/bench/library-to-data.ts --dir OUT --id ID --command "..." --conditions "..." \
 *     [--machine "..."] [--commit SHA] [--date YYYY-MM-DD] [--file bench/library-runs.json]
 */

export const LIBRARY_FILE = fileURLToPath(new URL('../../bench/library-runs.json', import.meta.url));

export const LIBRARY_ABOUT =
  'Runs of the whole scenario library (chaos run --all), as measured: one entry per run. Each entry records the machine, the date, the commit the run ' +
  'started on, the command and the conditions, the run\'s wall time, exit code and library verdict, and per scenario its verdict, each architecture\'s ' +
  'expectation and verdict (runs passed of runs made), each negative control\'s outcome, its wall time, and where its own run\'s time went (its slowest ' +
  'architecture: deploy, steady state, timeline, teardown; absent where no complete history was kept). docs/benchmarks.md renders its tables from ' +
  'this file (npm run docs); test/bench/library-to-data.ts adds an entry from the --out directory of chaos run --all.';

export interface LibraryToDataOptions extends EntrySourceOptions {
  readonly dir: string;
  readonly id: string;
  readonly file?: string | undefined;
}

async function controlsOf(dir: string, scenario: IndexScenarioEntry): Promise<LibraryScenarioData['controls']> {
  if (scenario.reports === null || scenario.controls === null) return [];
  const file = join(dir, scenario.reports.json);
  if (!existsSync(file)) throw new Error(`${file} does not exist: the index of ${dir} names a report that is not there`);
  const report = JSON.parse(await readFile(file, 'utf8')) as { readonly controls?: ControlsSection };
  return (report.controls?.controls ?? []).map((control) => ({
    name: control.name,
    architecture: control.architecture,
    outcome: control.outcome,
    caught: control.caught,
    requested: control.requested,
  }));
}

/** The scenario's own run, from the histories beside its report; undefined when none is complete. */
async function runOf(dir: string, scenario: IndexScenarioEntry): Promise<RunPhaseTimes | undefined> {
  if (scenario.reports === null) return undefined;
  const scenarioDir = dirname(join(dir, scenario.reports.json));
  const files = ARCHITECTURES.map((architecture) => join(scenarioDir, historyFileName(architecture))).filter((file) => existsSync(file));
  return slowestRun(await Promise.all(files.map(async (file) => runPhaseTimes(await readHistory(file)))));
}

async function scenarioData(dir: string, scenario: IndexScenarioEntry): Promise<LibraryScenarioData> {
  return {
    scenario: scenario.scenario,
    status: scenario.status,
    verdict: scenario.verdict,
    ...(scenario.reason === undefined ? {} : { reason: scenario.reason }),
    seed: scenario.seed,
    architectures: scenario.architectures.map(({ architecture, expectation, verdict, runs, passed }) => ({ architecture, expectation, verdict, runs, passed })),
    controls: await controlsOf(dir, scenario),
    wallSeconds: scenario.wallSeconds,
    ...await runOf(dir, scenario).then((run) => (run === undefined ? {} : { run })),
  };
}

/** The entry an index directory makes. Reads the scenarios' report.json files beside it; pure but for the machine's cores and (without `commit`) git. */
export async function libraryEntry(dir: string, options: Omit<LibraryToDataOptions, 'dir' | 'file'>): Promise<LibraryRunEntry> {
  const indexFile = join(dir, 'index.json');
  if (!existsSync(indexFile)) throw new Error(`${indexFile} does not exist: pass the --out directory of chaos run --all`);
  const index = JSON.parse(await readFile(indexFile, 'utf8')) as IndexDocument;
  return {
    id: options.id,
    ...entrySource(options, index.startedAt),
    platform: index.platform,
    startedAt: index.startedAt,
    finishedAt: index.finishedAt,
    wallSeconds: Math.round((Date.parse(index.finishedAt) - Date.parse(index.startedAt)) / 100) / 10,
    exitCode: index.exitCode,
    verdict: index.verdict,
    scenarios: await Promise.all(index.scenarios.map((scenario) => scenarioData(dir, scenario))),
  };
}

/** Reads `<dir>/index.json` and puts its entry into the data file; says which. */
export async function libraryToData(options: LibraryToDataOptions): Promise<string> {
  const entry = await libraryEntry(options.dir, options);
  const done = await putEntry(options.file ?? LIBRARY_FILE, libraryResultsSchema, LIBRARY_ABOUT, entry);
  const controls = entry.scenarios.reduce((sum, scenario) => sum + scenario.controls.length, 0);
  return `library-${entry.id}: ${done}, ${entry.scenarios.length} scenarios, ${controls} controls`;
}

runEntryTool('library-to-data.ts', async () => {
  const args = entryToolArgs();
  const { dir, id, command, conditions } = args;
  if (dir === undefined || id === undefined || command === undefined || conditions === undefined) throw new Error('--dir, --id, --command and --conditions are required');
  return libraryToData({ ...args, dir, id, command, conditions });
});
