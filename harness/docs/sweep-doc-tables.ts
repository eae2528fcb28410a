import { formatMeasured } from '../report/format-values.js';
import { formatInterval } from '../report/repeat-format.js';
import { unitOf } from '../sweep/sweep-margin.js';
import { gatheredTables, tableFamily } from './gathered-tables.js';
import { markdownTable } from './markdown-table.js';
import { measuredByText } from './measured-by.js';
import type { SweepEntry, SweepPointData, SweepResultsData } from './sweep-results-data.js';

/** `sweep-<id>`: one table per entry of bench/sweeps.json; `sweep-others` gathers those no page names. */
export const SWEEP_TABLES = tableFamily('sweep-');

export function sweepTables(data: SweepResultsData): Record<string, string> {
  return Object.fromEntries(data.entries.map((entry) => [`${SWEEP_TABLES.prefix}${entry.id}`, entryTable(entry)]));
}

export function otherSweeps(data: SweepResultsData, marked: ReadonlySet<string>): string {
  return gatheredTables(sweepTables(data), marked, { none: '_No sweep is recorded yet._', allShown: '_Every recorded sweep is shown above._' });
}

/** `3/3`, then the runs left out of it: `2/2, 1 saturated`. */
function runsMet(met: SweepPointData['met']): string {
  const leftOut = [...(met.saturated > 0 ? [`${met.saturated} saturated`] : []), ...(met.unknown > 0 ? [`${met.unknown} unknown`] : [])];
  return [`${met.passes}/${met.runs}`, ...leftOut].join(', ');
}

function pointRow(entry: SweepEntry, point: SweepPointData): string[] {
  return [
    `${formatMeasured(point.value)}${point.value === entry.shipped ? ' (shipped)' : ''}`,
    point.status,
    runsMet(point.met),
    point.met.runs === 0 ? '—' : formatInterval(point.wilson95),
  ];
}

/** The margin line as a sentence: `Holds down to 25 requests/s (breaks at 20); ships 150: margin 6x.` */
const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

function entryTable(entry: SweepEntry): string {
  const unit = unitOf(entry.param);
  const swept = `Swept from ${formatMeasured(entry.from)} to ${formatMeasured(entry.to)}${unit === '' ? '' : ` ${unit}`}, shipped ${formatMeasured(entry.shipped)}; expected: ${entry.expectation}; ${entry.repeat} run${entry.repeat === 1 ? '' : 's'} a point, seeds ${entry.seeds.join(', ')}.`;
  const table = markdownTable([unit === '' ? 'value' : `value (${unit})`, 'point', 'runs met', '95% CI'], entry.points.map((point) => pointRow(entry, point)));
  return `**${entry.scenario}, ${entry.architecture}, \`${entry.param}\`**: ${measuredByText(entry)} ${swept}\n\n${table}\n\n${sentence(entry.margin)}`;
}
