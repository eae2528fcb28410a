import { join } from 'node:path';
import pLimit from 'p-limit';
import { ChaosError } from '../errors.js';
import type { ResourceOwner } from '../lifecycle/owner.js';
import type { PlatformKind } from '../platform/platform.js';
import { engineRestartHint } from '../platform/engine-watch.js';
import { MAX_REPEAT, repeatRunDir, repeatSeeds } from '../runner/repeat-runs.js';
import { runScenario, type RunScenarioOptions, type RunScenarioResult } from '../runner/run-scenario.js';
import type { ArchitectureVerdict } from '../verdict/verdict-types.js';
import type { PreparedControl } from './apply-control.js';

/** The most control runs at once: two controls side by side. */
export const CONTROLS_SIDE_BY_SIDE = 2;

/** `controls/<control>/run-<i>-seed-<seed>`: where run i of a control writes its reports, inside the report directory. */
export function controlRunDir(control: string, index: number, seed: number): string {
  return `controls/${control}/${repeatRunDir(index, seed)}`;
}

export interface RunControlsOptions {
  readonly controls: readonly PreparedControl[];
  readonly platform: PlatformKind | 'auto';
  readonly signal: AbortSignal;
  readonly owners?: Set<ResourceOwner>;
  /** Runs per control: the real runs' count (`--repeat K`, default 1). */
  readonly count: number;
  /** The real runs' base seed: control run i uses real run i's seed. */
  readonly baseSeed: number;
  /** The report directory; run i of control c writes into `<outDir>/controls/<c>/run-<i>-seed-<seed>/`. */
  readonly outDir: string;
  /** Control runs at once, 1 or 2 (default 2). */
  readonly sideBySide?: number;
  readonly onRunStart?: (control: PreparedControl, index: number, seed: number, dir: string) => void;
  readonly onRunDone?: (control: PreparedControl, index: number, seed: number, result: RunScenarioResult) => void;
  /** The single run (tests replace it); `runScenario` by default. */
  readonly run?: (options: RunScenarioOptions) => Promise<RunScenarioResult>;
}

/** One finished run of a control: its seed, its directory (relative to the report directory), its architecture's verdict. */
export interface ControlRunRecord {
  readonly seed: number;
  readonly dir: string;
  /** Undefined when the run's report holds no verdict for the control's architecture. */
  readonly verdict: ArchitectureVerdict | undefined;
}

export interface ControlRuns {
  readonly prepared: PreparedControl;
  /** The runs that finished, in order. */
  readonly runs: readonly ControlRunRecord[];
}

export interface RunControlsResult {
  readonly seeds: readonly number[];
  readonly controls: readonly ControlRuns[];
  /** Ctrl-C (or SIGTERM) came: no run was started after it. */
  readonly interrupted: boolean;
  /** What stopped the controls early (a run threw, or left the engine unfit); the runs before it are kept. */
  readonly error?: unknown;
}

/**
 * Runs every control `count` times on the real runs' seeds, each control's runs one after the other
 * and at most two controls side by side. Starts no run after an interrupt, an error, or a run that
 * left the platform unfit for the next.
 */
export async function runControls(options: RunControlsOptions): Promise<RunControlsResult> {
  const { controls, count, baseSeed, outDir, signal, run = runScenario } = options;
  if (!Number.isInteger(count) || count < 1 || count > MAX_REPEAT) throw new RangeError(`count must be an integer in 1..${MAX_REPEAT}, got ${count}`);
  const seeds = repeatSeeds(baseSeed, count);
  const limit = pLimit(Math.min(CONTROLS_SIDE_BY_SIDE, Math.max(1, options.sideBySide ?? CONTROLS_SIDE_BY_SIDE)));
  let error: unknown;
  let started = 0;
  const total = controls.length * seeds.length;
  const stopped = (): boolean => signal.aborted || error !== undefined;

  const runControl = async (prepared: PreparedControl): Promise<ControlRuns> => {
    const runs: ControlRunRecord[] = [];
    for (const [index, seed] of seeds.entries()) {
      if (stopped()) break;
      const dir = controlRunDir(prepared.control.name, index, seed);
      started += 1;
      options.onRunStart?.(prepared, index, seed, dir);
      let result: RunScenarioResult;
      try {
        result = await run({
          scenario: prepared.scenario,
          architectures: [prepared.control.architecture],
          platform: options.platform,
          seed,
          outDir: join(outDir, dir),
          signal,
          ...(options.owners === undefined ? {} : { owners: options.owners }),
        });
      } catch (thrown) {
        error ??= thrown;
        break;
      }
      runs.push({ seed, dir, verdict: result.report.runs.find((verdict) => verdict.architecture === prepared.control.architecture) });
      options.onRunDone?.(prepared, index, seed, result);
      if (result.unfitPlatform !== undefined && started < total) {
        error ??= new ChaosError('ENGINE_NOT_ANSWERING', `control ${prepared.control.name} run ${index + 1} did not leave the engine fit for the next run: ${result.unfitPlatform}`, { hint: engineRestartHint });
      }
    }
    return { prepared, runs };
  };

  const results = await Promise.all(controls.map((prepared) => limit(() => runControl(prepared))));
  return { seeds, controls: results, interrupted: signal.aborted, ...(error === undefined ? {} : { error }) };
}
