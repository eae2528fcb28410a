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

/** `2/3`, then the runs neither delivered nor saturated: `2/2, 1 unknown`. */
function runsDelivered(delivered: NonNullable<SweepPointData['delivered']>): string {
  return [`${delivered.passes}/${delivered.runs}`, ...(delivered.unknown > 0 ? [`${delivered.unknown} unknown`] : [])].join(', ');
}

/**
 * A delivered sweep's point in the machine's words: it holds when the harness delivered the load in
 * every run, breaks when the harness saturated in one; neither is the system's verdict.
 */
const loadStatus: Record<SweepPointData['status'], string> = { holds: 'delivered', breaks: 'saturated', saturated: 'saturated', unknown: 'unknown' };

/** `(clientsPerFleet 200, standbyPeers 16)`: the fields a `--scale-with` sweep set beside the swept one, by their last names. */
function scaledValues(entry: SweepEntry, point: SweepPointData): string {
  if (entry.scaleWith === undefined || point.set === undefined) return '';
  const values = entry.scaleWith.flatMap((field) => {
    const value = point.set?.[field.path];
    return value === undefined ? [] : [`${field.path.split('.').at(-1) ?? field.path} ${formatMeasured(value)}`];
  });
  return values.length === 0 ? '' : ` (${values.join(', ')})`;
}

function pointRow(entry: SweepEntry, point: SweepPointData): string[] {
  const value = `${formatMeasured(point.value)}${scaledValues(entry, point)}${point.value === entry.shipped ? ' (shipped)' : ''}`;
  const { delivered } = point;
  if (delivered !== undefined) {
    return [value, loadStatus[point.status], runsDelivered(delivered), delivered.runs === 0 ? '—' : formatInterval(delivered.wilson95), runsMet(point.met)];
  }
  return [value, point.status, runsMet(point.met), point.met.runs === 0 ? '—' : formatInterval(point.wilson95)];
}

/**
 * The sweep report's margin line as a sentence: `Holds down to 25 requests/s (breaks at 20); ships 150: margin 6x.`;
 * a delivered sweep's is of the machine already: `The harness delivers up to 1200 clients a fleet (saturates at 1400); ...`.
 */
const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

/** The columns after the value's: a delivered sweep's are of the load, then the expectation's runs beside. */
const columns = {
  expectation: ['point', 'runs met', '95% CI'],
  delivered: ['load', 'runs delivered', '95% CI', 'runs met (expectation)'],
} as const;

function entryTable(entry: SweepEntry): string {
  const unit = unitOf(entry.param);
  const delivered = entry.holdsWhen === 'delivered';
  const holdsWhen = delivered ? 'holds when the harness delivers the load (not the expectation); ' : '';
  const scaled = entry.scaleWith === undefined ? '' : `scaling ${entry.scaleWith.map((field) => `\`${field.path}\` (ships ${formatMeasured(field.shipped)})`).join(', ')} in proportion; `;
  const swept = `Swept from ${formatMeasured(entry.from)} to ${formatMeasured(entry.to)}${unit === '' ? '' : ` ${unit}`}, shipped ${formatMeasured(entry.shipped)}; ${scaled}${holdsWhen}expected: ${entry.expectation}; ${entry.repeat} run${entry.repeat === 1 ? '' : 's'} a point, seeds ${entry.seeds.join(', ')}.`;
  const head = [unit === '' ? 'value' : `value (${unit})`, ...columns[delivered ? 'delivered' : 'expectation']];
  const table = markdownTable(head, entry.points.map((point) => pointRow(entry, point)));
  return `**${entry.scenario}, ${entry.architecture}, \`${entry.param}\`**: ${measuredByText(entry)} ${swept}\n\n${table}\n\n${sentence(entry.margin)}`;
}
