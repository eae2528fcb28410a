import { fileURLToPath } from 'node:url';
import type { ControlsSection, ControlSummary } from '../../harness/controls/control-types.js';
import { checkNameOf } from '../../harness/controls/target-check-names.js';
import { controlsResultsSchema, type ControlData, type ControlsEntry } from '../../harness/docs/controls-results-data.js';
import { entrySource, type EntrySourceOptions, entryToolArgs, putEntry, readReport, runEntryTool } from './bench-entry.js';

/**
 * Adds the negative controls of a `chaos run <scenario> --controls [--repeat K]` report directory to
 * bench/negative-controls.json as one entry (replacing an entry of the same id); `npm run docs` then
 * renders its table, `controls-<id>`.
 *
 *   tsx test/bench/controls-to-data.ts --dir OUT --command "..." --conditions "..." \
 *     [--id ID (default the scenario)] [--machine "..."] [--commit SHA] [--date YYYY-MM-DD] [--file bench/negative-controls.json]
 */

export const CONTROLS_FILE = fileURLToPath(new URL('../../bench/negative-controls.json', import.meta.url));

export const CONTROLS_ABOUT =
  'Negative controls of the shipped scenarios (chaos run --controls), as measured: one entry per scenario. A control is the scenario with one thing ' +
  'sabotaged, which the targets it names must catch. Each entry records the machine, the date the runs were recorded, the commit they started on, ' +
  'the command and the conditions; each control the targets it must break (as the verdict names them), every run with its seed, outcome and the ' +
  'measured value of each of those targets (null: not measured), and how many of its runs caught it. docs/benchmarks.md renders its tables ' +
  'from this file (npm run docs); test/bench/controls-to-data.ts adds an entry from a report directory.';

/** What report.json has with --controls: a single run's, a repeat's, or that of the controls alone. */
interface ReportWithControls {
  readonly scenario: string;
  readonly generatedAt: string;
  readonly controls?: ControlsSection;
}

export interface ControlsToDataOptions extends EntrySourceOptions {
  readonly dir: string;
  readonly id?: string | undefined;
  readonly file?: string | undefined;
}

function controlData(control: ControlSummary): ControlData {
  const measured = (targets: ControlSummary['runs'][number]['targets']): ControlData['runs'][number]['measured'] =>
    Object.fromEntries(control.mustBreak.map((key) => [checkNameOf(key), targets.find((target) => target.key === key)?.measured ?? null]));
  return {
    name: control.name,
    architecture: control.architecture,
    sabotages: control.sabotages,
    mustBreak: control.mustBreak.map(checkNameOf),
    runs: control.runs.map((run) => ({ seed: run.seed, outcome: run.outcome, measured: measured(run.targets) })),
    caught: control.caught,
    requested: control.requested,
    outcome: control.outcome,
  };
}

/** The entry a report's controls make. Pure but for the machine's cores and (without `commit`) git. */
export function controlsEntry(report: ReportWithControls, options: Omit<ControlsToDataOptions, 'dir' | 'file'>): ControlsEntry {
  const { controls } = report;
  if (controls === undefined) throw new Error(`the report of ${report.scenario} has no negative controls: run it with --controls`);
  if (controls.controls.length === 0) throw new Error(`no negative control of ${report.scenario} ran: nothing to record`);
  return {
    id: options.id ?? report.scenario,
    scenario: report.scenario,
    ...entrySource(options, report.generatedAt),
    requested: controls.requested,
    seeds: [...controls.seeds],
    stoppedEarly: controls.stoppedEarly,
    controls: controls.controls.map(controlData),
    skipped: controls.skipped.map(({ name, architecture, reason }) => ({ name, architecture, reason })),
  };
}

/** Reads `<dir>/report.json` and puts its entry into the data file; says which. */
export async function controlsToData(options: ControlsToDataOptions): Promise<string> {
  const entry = controlsEntry(await readReport<ReportWithControls>(options.dir), options);
  const done = await putEntry(options.file ?? CONTROLS_FILE, controlsResultsSchema, CONTROLS_ABOUT, entry);
  return `controls-${entry.id}: ${done}, ${entry.controls.length} controls, ${entry.requested} runs each`;
}

runEntryTool('controls-to-data.ts', async () => {
  const args = entryToolArgs();
  const { dir, command, conditions } = args;
  if (dir === undefined || command === undefined || conditions === undefined) throw new Error('--dir, --command and --conditions are required');
  return controlsToData({ ...args, dir, command, conditions });
});
