import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pointsByValue, type SweepDocument } from '../../harness/sweep/sweep-document.js';
import { sweepResultsSchema, type SweepEntry } from '../../harness/docs/sweep-results-data.js';
import { entrySource, putEntry, readReport, type EntrySourceOptions } from './bench-entry.js';

/**
 * Adds a `chaos sweep` report directory to bench/sweeps.json as one entry (replacing an entry of the
 * same id); `npm run docs` then renders its table, `sweep-<id>`.
 *
 *   tsx test/bench/sweep-to-data.ts --dir OUT --id ID --command "..." --conditions "..." \
 *     [--machine "..."] [--commit SHA] [--date YYYY-MM-DD] [--file bench/sweeps.json]
 */

export const SWEEPS_FILE = fileURLToPath(new URL('../../bench/sweeps.json', import.meta.url));

export const SWEEPS_ABOUT =
  'Sweeps of one numeric scenario field (chaos sweep), as measured: one entry per sweep. Each records the machine, the date the runs were ' +
  'recorded, the commit they started on, the command and the conditions; the field, the value the scenario ships and the range swept; and ' +
  'every point by value: whether it held, the runs that met the expectation of those judged (saturated and unknown runs counted apart), their ' +
  '95% Wilson interval, then the bracket and the margin to failure. docs/benchmarks.md renders its tables from this file (npm run docs); ' +
  'test/bench/sweep-to-data.ts adds an entry from a sweep directory.';

/** report.json of `chaos sweep`; any other report has no `sweep`. */
type SweepReport = Omit<SweepDocument, 'sweep'> & { readonly sweep?: SweepDocument['sweep'] };

export interface SweepToDataOptions extends EntrySourceOptions {
  readonly dir: string;
  readonly id: string;
  readonly file?: string | undefined;
}

/** The entry a sweep's report makes. Pure but for the machine's cores and (without `commit`) git. */
export function sweepEntry(document: SweepReport, options: Omit<SweepToDataOptions, 'dir' | 'file'>): SweepEntry {
  const { sweep } = document;
  if (sweep === undefined) throw new Error(`the report of ${document.scenario} has no sweep: pass the --out directory of chaos sweep`);
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
    ...entrySource(options, document.generatedAt),
    points: pointsByValue({ ...document, sweep }).map((point) => ({
      value: point.value,
      status: point.status,
      met: { passes: point.met.passes, runs: point.met.runs, saturated: point.met.saturated, unknown: point.met.unknown },
      wilson95: [point.met.wilson95[0], point.met.wilson95[1]],
    })),
    bracket: sweep.bracket === null ? null : { holds: sweep.bracket.holds, breaks: sweep.bracket.breaks },
    margin: sweep.margin.text,
  };
}

/** Reads `<dir>/report.json` and puts its entry into the data file; says which. */
export async function sweepToData(options: SweepToDataOptions): Promise<string> {
  const entry = sweepEntry(await readReport<SweepReport>(options.dir), options);
  const done = await putEntry(options.file ?? SWEEPS_FILE, sweepResultsSchema, SWEEPS_ABOUT, entry);
  return `sweep-${entry.id}: ${done}, ${entry.points.length} points, ${entry.repeat} runs each; ${entry.margin}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      id: { type: 'string' },
      command: { type: 'string' },
      conditions: { type: 'string' },
      machine: { type: 'string' },
      commit: { type: 'string' },
      date: { type: 'string' },
      file: { type: 'string' },
    },
  });
  const { dir, id, command, conditions } = values;
  if (dir === undefined || id === undefined || command === undefined || conditions === undefined) throw new Error('--dir, --id, --command and --conditions are required');
  process.stdout.write(`${await sweepToData({ ...values, dir, id, command, conditions })}\n`);
}

if (process.argv[1]?.endsWith('sweep-to-data.ts') === true) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
