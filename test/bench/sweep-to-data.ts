import { fileURLToPath } from 'node:url';
import { DEFAULT_HOLDS_WHEN } from '../../harness/sweep/holds-when.js';
import { deliveryTally } from '../../harness/sweep/run-delivery.js';
import { pointsByValue, type SweepDocument } from '../../harness/sweep/sweep-document.js';
import { sweepResultsSchema, type SweepEntry } from '../../harness/docs/sweep-results-data.js';
import { entrySource, type EntrySourceOptions, entryToolArgs, putEntry, readReport, runEntryTool } from './bench-entry.js';

/**
 * Adds a `chaos sweep` report directory to bench/sweeps.json as one entry (replacing an entry of the
 * same id); `npm run docs` then renders its table, `sweep-<id>`. It records what the sweep's points
 * held by (`--holds-when`; a report from before the option held by the expectation) and, for a
 * delivered sweep, each point's delivery tally beside the expectation's.
 *
 *   tsx test/bench/sweep-to-data.ts --dir OUT --id ID --command "..." --conditions "..." \
 *     [--machine "..."] [--commit SHA] [--date YYYY-MM-DD] [--file bench/sweeps.json]
 */

export const SWEEPS_FILE = fileURLToPath(new URL('../../bench/sweeps.json', import.meta.url));

export const SWEEPS_ABOUT =
  'Sweeps of one numeric scenario field (chaos sweep), as measured: one entry per sweep. Each records the machine, the date the runs were ' +
  'recorded, the commit they started on, the command and the conditions; the field, the value the scenario ships and the range swept; and ' +
  'what a point holds by (holdsWhen: the expectation, the default when absent, or delivered: the harness delivering the load); ' +
  'every point by value: whether it held, the runs that met the expectation of those judged (saturated and unknown runs counted apart), their ' +
  '95% Wilson interval and, under delivered, the runs the load was delivered in (delivered); then the bracket and the margin to failure. docs/benchmarks.md renders its tables from this file (npm run docs); ' +
  'test/bench/sweep-to-data.ts adds an entry from a sweep directory.';

type Sweep = SweepDocument['sweep'];

/** report.json of `chaos sweep`; any other report has no `sweep`, and one from before `--holds-when` no `holdsWhen`. */
type SweepReport = Omit<SweepDocument, 'sweep'> & { readonly sweep?: Omit<Sweep, 'holdsWhen'> & { readonly holdsWhen?: Sweep['holdsWhen'] } };

export interface SweepToDataOptions extends EntrySourceOptions {
  readonly dir: string;
  readonly id: string;
  readonly file?: string | undefined;
}

/** The entry a sweep's report makes. Pure but for the machine's cores and (without `commit`) git. */
export function sweepEntry(document: SweepReport, options: Omit<SweepToDataOptions, 'dir' | 'file'>): SweepEntry {
  if (document.sweep === undefined) throw new Error(`the report of ${document.scenario} has no sweep: pass the --out directory of chaos sweep`);
  const sweep = { ...document.sweep, holdsWhen: document.sweep.holdsWhen ?? DEFAULT_HOLDS_WHEN };
  const delivered = sweep.holdsWhen === 'delivered';
  const scaleWith = (sweep.param.scaleWith ?? []).map((field) => ({ path: field.path, shipped: field.shipped }));
  return {
    id: options.id,
    scenario: document.scenario,
    architecture: sweep.architecture,
    expectation: sweep.expectation,
    param: sweep.param.path,
    shipped: sweep.param.shipped,
    from: sweep.param.from,
    to: sweep.param.to,
    repeat: sweep.repeat,
    seeds: [...sweep.seeds],
    holdsWhen: sweep.holdsWhen,
    ...(scaleWith.length === 0 ? {} : { scaleWith }),
    ...entrySource(options, document.generatedAt),
    points: pointsByValue({ ...document, sweep }).map((point) => ({
      value: point.value,
      status: point.status,
      met: { passes: point.met.passes, runs: point.met.runs, saturated: point.met.saturated, unknown: point.met.unknown },
      wilson95: [point.met.wilson95[0], point.met.wilson95[1]],
      ...(delivered ? { delivered: deliveredCount(point.delivered ?? deliveryTally(point.runs)) } : {}),
      ...(scaleWith.length === 0 || point.set === undefined ? {} : { set: { ...point.set } }),
    })),
    bracket: sweep.bracket === null ? null : { holds: sweep.bracket.holds, breaks: sweep.bracket.breaks },
    margin: sweep.margin.text,
  };
}

/** The delivery tally as the data file keeps it: its failures are the saturated runs, `runs - passes`. */
function deliveredCount(tally: NonNullable<Sweep['points'][number]['delivered']>): NonNullable<SweepEntry['points'][number]['delivered']> {
  return { passes: tally.passes, runs: tally.runs, unknown: tally.unknown, wilson95: [tally.wilson95[0], tally.wilson95[1]] };
}

/** Reads `<dir>/report.json` and puts its entry into the data file; says which. */
export async function sweepToData(options: SweepToDataOptions): Promise<string> {
  const entry = sweepEntry(await readReport<SweepReport>(options.dir), options);
  const done = await putEntry(options.file ?? SWEEPS_FILE, sweepResultsSchema, SWEEPS_ABOUT, entry);
  return `sweep-${entry.id}: ${done}, ${entry.points.length} points, ${entry.repeat} runs each; ${entry.margin}`;
}

runEntryTool('sweep-to-data.ts', async () => {
  const args = entryToolArgs();
  const { dir, id, command, conditions } = args;
  if (dir === undefined || id === undefined || command === undefined || conditions === undefined) throw new Error('--dir, --id, --command and --conditions are required');
  return sweepToData({ ...args, dir, id, command, conditions });
});
