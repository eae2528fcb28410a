import type { FidelityUnit } from '../scenario/types.js';
import { minMedianMax } from './repeat-figures.js';
import type { ArchitectureVerdict } from './verdict-types.js';

/** One fidelity row of the scenario over repeated runs: the published figure and the spread of what the runs measured. */
export interface FidelityStats {
  readonly quantity: string;
  readonly published: string;
  readonly expected: number;
  readonly unit: FidelityUnit;
  /** Over the runs that measured it, saturated runs left out; null when none did. */
  readonly min: number | null;
  readonly median: number | null;
  readonly max: number | null;
  /** One entry per run, in run order, saturated runs included; null where that run measured nothing. */
  readonly values: readonly (number | null)[];
  /** Runs the statistics cover that measured nothing. */
  readonly nulls: number;
  /** Runs left out of min/median/max because the harness was saturated. */
  readonly saturated: number;
}

/** The rows by position: every run of one scenario has the same rows. `excluded` marks the saturated runs. */
export function fidelityStats(runs: readonly ArchitectureVerdict[], excluded: readonly boolean[]): FidelityStats[] {
  const rows = runs.map((run) => run.summary.fidelity).reduce((longest, figures) => (figures.length > longest.length ? figures : longest), []);
  return rows.map((row, index) => {
    const values = runs.map((run) => run.summary.fidelity[index]?.measured ?? null);
    const covered = values.filter((_, i) => excluded[i] !== true);
    const numbers = covered.filter((value): value is number => value !== null);
    return {
      quantity: row.quantity,
      published: row.published,
      expected: row.expected,
      unit: row.unit,
      ...minMedianMax(numbers),
      values,
      nulls: covered.length - numbers.length,
      saturated: values.length - covered.length,
    };
  });
}
