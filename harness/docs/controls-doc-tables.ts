import { formatMeasured } from '../report/format-values.js';
import type { ControlData, ControlRunData, ControlsEntry, ControlsResultsData } from './controls-results-data.js';
import { gatheredTables, tableFamily } from './gathered-tables.js';
import { markdownTable } from './markdown-table.js';
import { measuredByText } from './measured-by.js';

/** `controls-<id>`: one table per entry of bench/negative-controls.json; `controls-others` gathers those no page names. */
export const CONTROLS_TABLES = tableFamily('controls-');

export function controlsTables(data: ControlsResultsData): Record<string, string> {
  return Object.fromEntries(data.entries.map((entry) => [`${CONTROLS_TABLES.prefix}${entry.id}`, entryTable(entry)]));
}

export function otherControls(data: ControlsResultsData, marked: ReadonlySet<string>): string {
  return gatheredTables(controlsTables(data), marked, {
    none: '_No negative controls are recorded yet._',
    allShown: '_Every recorded run of negative controls is shown above._',
  });
}

/** A run's values of the targets the control must break, in the order it names them; `(missed)` or `(unknown)` after a run not caught. */
function runText(control: ControlData, run: ControlRunData): string {
  const values = control.mustBreak.map((name) => formatMeasured(run.measured[name] ?? null)).join(', ');
  return run.outcome === 'caught' ? values : `${values} (${run.outcome})`;
}

function controlRow(control: ControlData): string[] {
  const caught = `${control.caught}/${control.requested}${control.outcome === 'caught' ? '' : ` (${control.outcome})`}`;
  return [
    control.name,
    control.architecture,
    control.sabotages,
    control.mustBreak.join(', '),
    control.runs.length === 0 ? '—' : control.runs.map((run) => runText(control, run)).join('; '),
    caught,
  ];
}

function entryTable(entry: ControlsEntry): string {
  const caught = entry.controls.filter((control) => control.outcome === 'caught').length;
  const runs = `${entry.requested} run${entry.requested === 1 ? '' : 's'} each, seeds ${entry.seeds.join(', ')}${entry.stoppedEarly ? ' (stopped early: runs not made count as unknown)' : ''}.`;
  const skipped = entry.skipped.length === 0 ? '' : ` Not run: ${entry.skipped.map((control) => `${control.name} (${control.reason})`).join(', ')}.`;
  const table = markdownTable(['control', 'architecture', 'sabotages', 'must break', 'measured, run by run', 'caught'], entry.controls.map(controlRow));
  return `**${entry.scenario}**: ${measuredByText(entry)} **${caught} of ${entry.controls.length} control${entry.controls.length === 1 ? '' : 's'} caught.** ${runs}${skipped}\n\n${table}`;
}
