/** Numeric figures gathered over repeated runs: min, median and max of whatever is numeric. */

export interface FigureStats {
  /** Where the figure comes from: `summary.<field>`, `target.<target name>` or `load.<field>[.<field>]`. */
  readonly name: string;
  /** Over the runs that gave a number, saturated runs left out; null when none did. */
  readonly min: number | null;
  readonly median: number | null;
  readonly max: number | null;
  /** One entry per run, in run order, saturated runs included; null where that run gave no number. */
  readonly values: readonly (number | null)[];
  /** How many of the runs the statistics cover gave no number (null, missing, or not finite). */
  readonly nulls: number;
  /** Runs left out of min/median/max because the harness was saturated (their figures say nothing). */
  readonly saturated: number;
}

/** A value at a path of one run: a number, nothing (null, missing, not finite), or something else (text, a flag). */
type Leaf = number | null | 'other';

/**
 * The numeric leaves of a plain object, by dotted path: numbers (non-finite ones as null) and
 * nulls are leaves, nested objects are followed, arrays are skipped, every other value (text,
 * booleans, and the object nodes themselves) is marked `other` so that a path that is not always
 * numeric is not taken for a figure. Generic on purpose: a field added later is picked up as is.
 */
export function numericLeaves(value: unknown, prefix: string, into: Map<string, Leaf> = new Map()): Map<string, Leaf> {
  if (value === null || value === undefined) {
    into.set(prefix, null);
  } else if (typeof value === 'number') {
    into.set(prefix, Number.isFinite(value) ? value : null);
  } else if (Array.isArray(value)) {
    // Series (e.g. the fidelity rows, aggregated on their own) are not one figure per run.
  } else if (typeof value === 'object') {
    into.set(prefix, 'other');
    for (const [key, inner] of Object.entries(value)) numericLeaves(inner, `${prefix}.${key}`, into);
  } else {
    into.set(prefix, 'other');
  }
  return into;
}

export interface FigureSource {
  /** One map per run, in run order (from `numericLeaves`). */
  readonly perRun: readonly ReadonlyMap<string, Leaf>[];
  /** Keep a path that no run gave a number for (e.g. `summary.recoverySeconds` when no run recovered). */
  readonly keepAllNull: boolean;
  /** Per run: left out of the statistics (a saturated run); none when absent. */
  readonly excluded?: readonly boolean[];
}

/** Every path that is numeric (or null) in every run that has it, with its statistics, in first-seen order. */
export function figureStats(source: FigureSource): FigureStats[] {
  const paths: string[] = [];
  for (const leaves of source.perRun) {
    for (const path of leaves.keys()) if (!paths.includes(path)) paths.push(path);
  }
  const figures: FigureStats[] = [];
  for (const path of paths) {
    const leaves = source.perRun.map((leaves) => leaves.get(path) ?? null);
    if (leaves.some((leaf) => leaf === 'other')) continue;
    const values = leaves as (number | null)[];
    if (values.every((v) => v === null) && !source.keepAllNull) continue;
    const covered = values.filter((_, index) => source.excluded?.[index] !== true);
    const numbers = covered.filter((v): v is number => v !== null);
    const saturated = values.length - covered.length;
    figures.push({ name: path, ...minMedianMax(numbers), values, nulls: covered.length - numbers.length, saturated });
  }
  return figures;
}

/** min, median (the mean of the middle two for an even count) and max; all null for no numbers. */
export function minMedianMax(numbers: readonly number[]): { min: number | null; median: number | null; max: number | null } {
  if (numbers.length === 0) return { min: null, median: null, max: null };
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}
