import { join } from 'node:path';
import { ChaosError } from '../errors.js';
import { engineRestartHint } from '../platform/engine-watch.js';
import type { RepeatInput } from '../verdict/repeat-summary.js';
import { runScenario, type RunScenarioOptions, type RunScenarioResult } from './run-scenario.js';

/** The most runs `--repeat` accepts. */
export const MAX_REPEAT = 100;

/**
 * The seed of run `index` of a repeat. Run 0 uses the base seed itself, so `--repeat 1` is the
 * plain run; run i ≥ 1 uses a 31-bit hash of the base seed and i: FNV-1a over the text
 * `<base>:repeat:<i>`, then MurmurHash3's 32-bit finaliser, then `>>> 1` (a non-negative integer
 * below 2^31, which every seeded source of the harness takes as is). Deterministic: the same base
 * gives the same seeds on every machine, and neighbouring bases give unrelated ones.
 */
export function repeatSeed(base: number, index: number): number {
  if (index === 0) return base;
  let hash = 0x811c9dc5;
  for (const char of `${base}:repeat:${index}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 1;
}

/**
 * The seeds of a repeat of `count` runs: the first `count` distinct values of `repeatSeed(base, 0)`,
 * `repeatSeed(base, 1)`, ... (a collision, about one chance in 400,000 for 100 runs, moves the later
 * runs one index on), so no two runs share a seed.
 */
export function repeatSeeds(base: number, count: number): number[] {
  const seeds: number[] = [];
  for (let index = 0; seeds.length < count; index += 1) {
    const seed = repeatSeed(base, index);
    if (!seeds.includes(seed)) seeds.push(seed);
  }
  return seeds;
}

/** `run-<i>-seed-<seed>`: where run i writes its own reports, inside the repeat's directory. */
export function repeatRunDir(index: number, seed: number): string {
  return `run-${index}-seed-${seed}`;
}

export interface RepeatRunsOptions extends Omit<RunScenarioOptions, 'seed' | 'outDir' | 'junitFile'> {
  readonly count: number;
  readonly baseSeed: number;
  /** The repeat's directory; run i writes into `<outDir>/run-<i>-seed-<seed>/`. */
  readonly outDir: string;
  readonly onRunStart?: (index: number, seed: number, dir: string) => void;
  readonly onRunDone?: (index: number, seed: number, result: RunScenarioResult) => void;
  /** The single run (tests replace it); `runScenario` by default. */
  readonly run?: (options: RunScenarioOptions) => Promise<RunScenarioResult>;
}

export interface RepeatRunsResult {
  readonly seeds: readonly number[];
  /** The runs that finished, in order. */
  readonly inputs: readonly RepeatInput[];
  readonly results: readonly RunScenarioResult[];
  /** Ctrl-C (or SIGTERM) came: no run was started after it. */
  readonly interrupted: boolean;
  /** What stopped the repeat early, when a run threw; the runs before it are kept. */
  readonly error?: unknown;
}

/** Runs the scenario `count` times with derived seeds, one after the other; stops on interrupt or error. */
export async function repeatRuns(options: RepeatRunsOptions): Promise<RepeatRunsResult> {
  const { count, baseSeed, outDir, onRunStart, onRunDone, run = runScenario, ...shared } = options;
  if (!Number.isInteger(count) || count < 1 || count > MAX_REPEAT) throw new RangeError(`count must be an integer in 1..${MAX_REPEAT}, got ${count}`);
  const seeds = repeatSeeds(baseSeed, count);
  const inputs: RepeatInput[] = [];
  const results: RunScenarioResult[] = [];
  for (const [index, seed] of seeds.entries()) {
    if (shared.signal.aborted) break;
    const dir = repeatRunDir(index, seed);
    onRunStart?.(index, seed, dir);
    let result: RunScenarioResult;
    try {
      result = await run({ ...shared, seed, outDir: join(outDir, dir) });
    } catch (error) {
      return { seeds, inputs, results, interrupted: shared.signal.aborted, error };
    }
    results.push(result);
    inputs.push({ seed, dir, report: result.report });
    onRunDone?.(index, seed, result);
    if (result.unfitPlatform !== undefined && index < seeds.length - 1) {
      const error = new ChaosError('ENGINE_NOT_ANSWERING', `run ${index + 1} of ${seeds.length} did not leave the engine fit for the next: ${result.unfitPlatform}`, { hint: engineRestartHint });
      return { seeds, inputs, results, interrupted: shared.signal.aborted, error };
    }
  }
  return { seeds, inputs, results, interrupted: shared.signal.aborted };
}
