import { wallTimeText } from '../report/index-report-format.js';
import { gatheredTables, tableFamily } from './gathered-tables.js';
import type { LibraryResultsData, LibraryRunEntry, LibraryScenarioData } from './library-results-data.js';
import { markdownTable } from './markdown-table.js';
import { measuredByText } from './measured-by.js';

/** `library-<id>`: one table per entry of bench/library-runs.json; `library-others` gathers those no page names. */
export const LIBRARY_TABLES = tableFamily('library-');

export function libraryTables(data: LibraryResultsData): Record<string, string> {
  return Object.fromEntries(data.entries.map((entry) => [`${LIBRARY_TABLES.prefix}${entry.id}`, entryTable(entry)]));
}

export function otherLibraryRuns(data: LibraryResultsData, marked: ReadonlySet<string>): string {
  return gatheredTables(libraryTables(data), marked, {
    none: '_No run of the whole library is recorded yet._',
    allShown: '_Every recorded run of the whole library is shown above._',
  });
}

function architecturesText(scenario: LibraryScenarioData): string {
  if (scenario.architectures.length === 0) return scenario.reason ?? '—';
  return scenario.architectures
    .map((arch) => {
      const runs = arch.runs === 1 ? '' : ` (${arch.passed}/${arch.runs})`;
      return `${arch.architecture}: ${arch.expectation} → ${arch.verdict}${runs}`;
    })
    .join('; ');
}

/** The controls of a scenario that did not finish never ran to a verdict: they count as not run, not as missed or unknown. */
const controlsRun = (scenario: LibraryScenarioData): LibraryScenarioData['controls'] => (scenario.status === 'finished' ? scenario.controls : []);

function controlsText(scenario: LibraryScenarioData): string {
  if (scenario.controls.length === 0) return '—';
  if (scenario.status !== 'finished') return `${scenario.controls.length} not run (${scenario.status})`;
  const caught = scenario.controls.filter((control) => control.outcome === 'caught').length;
  const notCaught = scenario.controls.filter((control) => control.outcome !== 'caught').map((control) => `${control.name} (${control.architecture}) ${control.outcome}`);
  return `${caught}/${scenario.controls.length} caught${notCaught.length === 0 ? '' : `: ${notCaught.join(', ')}`}`;
}

/** "2 min 58 s (39 + 70 + 60 + 9 s)": the run, then its deploy, steady state, timeline and teardown. */
function runText(run: LibraryScenarioData['run']): string {
  if (run === undefined) return '—';
  const parts = [run.deploySeconds, run.steadyStateSeconds, run.timelineSeconds, run.teardownSeconds].map((seconds) => String(Math.round(seconds)));
  return `${wallTimeText(run.seconds)} (${parts.join(' + ')} s)`;
}

function scenarioRow(scenario: LibraryScenarioData, withRuns: boolean): string[] {
  return [
    scenario.scenario,
    scenario.verdict,
    architecturesText(scenario),
    controlsText(scenario),
    ...(withRuns ? [runText(scenario.run)] : []),
    scenario.wallSeconds === null ? '—' : wallTimeText(scenario.wallSeconds),
  ];
}

const RUN_COLUMN = 'its own run: deploy + steady state + timeline + teardown';

function entryTable(entry: LibraryRunEntry): string {
  const passed = entry.scenarios.filter((scenario) => scenario.verdict === 'pass').length;
  const controls = entry.scenarios.flatMap(controlsRun);
  const caught = controls.filter((control) => control.outcome === 'caught').length;
  const unfinished = entry.scenarios.filter((scenario) => scenario.status !== 'finished').length;
  const headline =
    `**${passed} of ${entry.scenarios.length} scenarios passed` +
    (unfinished === 0 ? '' : ` (${unfinished} did not finish)`) +
    (controls.length === 0 ? '' : `, ${caught} of ${controls.length} controls run caught`) +
    `; library verdict ${entry.verdict} (exit ${entry.exitCode}), ${wallTimeText(entry.wallSeconds)} in all.**`;
  const withRuns = entry.scenarios.some((scenario) => scenario.run !== undefined);
  const columns = ['scenario', 'verdict', 'per architecture: expected → got', 'controls', ...(withRuns ? [RUN_COLUMN] : []), withRuns ? 'wall time, with controls' : 'wall time'];
  const table = markdownTable(columns, entry.scenarios.map((scenario) => scenarioRow(scenario, withRuns)));
  return `${measuredByText(entry)} ${headline}\n\n${table}`;
}
