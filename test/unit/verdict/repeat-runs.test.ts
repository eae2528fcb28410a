import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../harness/errors.js';
import { MAX_REPEAT, repeatRunDir, repeatRuns, repeatSeed, repeatSeeds } from '../../../harness/runner/repeat-runs.js';
import type { RunScenarioOptions, RunScenarioResult } from '../../../harness/runner/run-scenario.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { repeatReport } from './repeat-fixtures.js';

/*
 * Pinned seeds, computed by an independent Python implementation of the documented derivation
 * (FNV-1a 32-bit over "<base>:repeat:<i>", MurmurHash3 fmix32, >>> 1):
 *   base 2010 -> 2010, 1101061811, 1859513356, 645391225, 961676152
 *   base 7    -> 7, 2080219062, 800647959
 *   base -5   -> -5, 692772041, 197200127
 */
describe('repeat seeds', () => {
  it('uses the base seed for run 0 and the documented hash after it', () => {
    expect(repeatSeeds(2010, 5)).toEqual([2010, 1101061811, 1859513356, 645391225, 961676152]);
    expect(repeatSeeds(7, 3)).toEqual([7, 2080219062, 800647959]);
    expect(repeatSeeds(-5, 3)).toEqual([-5, 692772041, 197200127]);
    expect(repeatSeeds(2010, 1)).toEqual([2010]);
  });

  it('gives distinct non-negative 31-bit seeds, unrelated for neighbouring bases', () => {
    const seeds = repeatSeeds(42, MAX_REPEAT);
    expect(new Set(seeds).size).toBe(MAX_REPEAT);
    for (const seed of seeds.slice(1)) {
      expect(Number.isInteger(seed)).toBe(true);
      expect(seed).toBeGreaterThanOrEqual(0);
      expect(seed).toBeLessThan(2 ** 31);
    }
    const neighbours = repeatSeeds(43, MAX_REPEAT);
    expect(seeds.slice(1).filter((seed) => neighbours.includes(seed))).toEqual([]);
    expect(repeatSeed(42, 3)).toBe(seeds[3]);
  });

  it('names each run directory by index and seed', () => {
    expect(repeatRunDir(0, 2010)).toBe('run-0-seed-2010');
    expect(repeatRunDir(3, 645391225)).toBe('run-3-seed-645391225');
  });
});

describe('repeatRuns', () => {
  const scenario = { name: 'skype-2010', seed: 2010 } as unknown as ScenarioDefinition;

  function fakeRun(calls: RunScenarioOptions[], onCall?: (index: number) => void) {
    return async (options: RunScenarioOptions): Promise<RunScenarioResult> => {
      calls.push(options);
      onCall?.(calls.length - 1);
      const report = { ...repeatReport(0), seed: options.seed };
      const file = (name: string) => join(options.outDir, name);
      return { report, exitCode: ExitCode.ok, files: { json: file('report.json'), junit: file('junit.xml'), html: file('report.html') }, histories: {} };
    };
  }

  const base = (signal: AbortSignal) => ({ scenario, architectures: ['p2p', 'dedicated'] as const, platform: 'local' as const, signal, baseSeed: 2010, outDir: 'out' });

  it('runs K times with the derived seeds, each into its own directory', async () => {
    const calls: RunScenarioOptions[] = [];
    const started: string[] = [];
    const result = await repeatRuns({ ...base(new AbortController().signal), count: 3, run: fakeRun(calls), onRunStart: (i, seed, dir) => started.push(`${i}:${seed}:${dir}`) });
    expect(calls.map((c) => c.seed)).toEqual([2010, 1101061811, 1859513356]);
    expect(calls.map((c) => c.outDir)).toEqual([join('out', 'run-0-seed-2010'), join('out', 'run-1-seed-1101061811'), join('out', 'run-2-seed-1859513356')]);
    expect(calls.every((c) => c.junitFile === undefined && c.architectures.length === 2)).toBe(true);
    expect(started).toEqual(['0:2010:run-0-seed-2010', '1:1101061811:run-1-seed-1101061811', '2:1859513356:run-2-seed-1859513356']);
    expect(result.inputs.map((i) => [i.seed, i.dir, i.report.seed])).toEqual([
      [2010, 'run-0-seed-2010', 2010],
      [1101061811, 'run-1-seed-1101061811', 1101061811],
      [1859513356, 'run-2-seed-1859513356', 1859513356],
    ]);
    expect(result.interrupted).toBe(false);
    expect(result.error).toBeUndefined();
  });

  it('starts no run after an interrupt', async () => {
    const controller = new AbortController();
    const calls: RunScenarioOptions[] = [];
    const result = await repeatRuns({ ...base(controller.signal), count: 5, run: fakeRun(calls, (i) => i === 1 && controller.abort()) });
    expect(calls).toHaveLength(2);
    expect(result.inputs).toHaveLength(2);
    expect(result.interrupted).toBe(true);
  });

  it('stops at a run that throws and keeps the runs before it', async () => {
    const calls: RunScenarioOptions[] = [];
    const boom = new Error('no engine');
    const run = fakeRun(calls, (i) => {
      if (i === 2) throw boom;
    });
    const result = await repeatRuns({ ...base(new AbortController().signal), count: 4, run });
    expect(calls).toHaveLength(3);
    expect(result.inputs.map((i) => i.seed)).toEqual([2010, 1101061811]);
    expect(result.error).toBe(boom);
  });

  it('starts no run on an engine the last run did not leave fit, and says why with the fix', async () => {
    const calls: RunScenarioOptions[] = [];
    const fit = fakeRun(calls);
    const run = async (options: RunScenarioOptions): Promise<RunScenarioResult> => {
      const result = await fit(options);
      return calls.length === 2 ? { ...result, unfitPlatform: 'Docker engine not answering: the network list had no answer for 30 s' } : result;
    };
    const result = await repeatRuns({ ...base(new AbortController().signal), count: 5, run });
    expect(calls).toHaveLength(2);
    expect(result.inputs).toHaveLength(2);
    expect(result.error).toMatchObject({ code: 'ENGINE_NOT_ANSWERING', exitCode: 3 });
    expect((result.error as Error).message).toBe('run 2 of 5 did not leave the engine fit for the next: Docker engine not answering: the network list had no answer for 30 s');
    expect((result.error as { hint: string }).hint).toContain('restart dockerd');
  });

  it('accepts 1..100 runs only', async () => {
    const signal = new AbortController().signal;
    await expect(repeatRuns({ ...base(signal), count: 0, run: fakeRun([]) })).rejects.toThrow(RangeError);
    await expect(repeatRuns({ ...base(signal), count: 101, run: fakeRun([]) })).rejects.toThrow(RangeError);
    await expect(repeatRuns({ ...base(signal), count: 2.5, run: fakeRun([]) })).rejects.toThrow(RangeError);
  });
});
