import { describe, expect, it } from 'vitest';
import { containerCostsSchema } from '../../../harness/docs/container-costs-data.js';
import { CONTAINER_COSTS_ABOUT, machineMismatch, withRun } from '../../bench/container-costs-file.js';
import { costRun, fleetRun } from '../helpers/container-cost-runs.js';

const file = 'bench/container-costs.json';
const larger = fleetRun(1_000, { steadyCpu: 0.12, timelineCpu: 0.23, timelineMemory: 60 });
const existing = { about: CONTAINER_COSTS_ABOUT, runs: [costRun] };

describe('bench/container-costs.json after a run', () => {
  it('is replaced by the run without --append, and is the run alone when there is no file yet', () => {
    expect(withRun(existing, larger, false, file)).toEqual({ data: { about: CONTAINER_COSTS_ABOUT, runs: [larger] }, appended: false });
    expect(withRun(undefined, larger, true, file)).toEqual({ data: { about: CONTAINER_COSTS_ABOUT, runs: [larger] }, appended: false });
  });

  it('has the run added after its runs with --append, in the shape the docs read', () => {
    const update = withRun(existing, larger, true, file);
    expect(update).toEqual({ data: { about: CONTAINER_COSTS_ABOUT, runs: [costRun, larger] }, appended: true });
    expect('data' in update && containerCostsSchema.parse(update.data)).toEqual({ about: CONTAINER_COSTS_ABOUT, runs: [costRun, larger] });
    const third = withRun({ about: 'older words', runs: [costRun, larger] }, costRun, true, file);
    expect('data' in third && third.data.runs).toHaveLength(3);
  });

  it('refuses --append of a run on another machine: other cores, CPU or Docker engine', () => {
    const elsewhere = { ...larger, machine: { ...larger.machine, cores: 8, dockerEngine: '27.3.1' } };
    expect(withRun(existing, elsewhere, true, file)).toEqual({
      refused:
        '--append adds runs of one machine, but bench/container-costs.json was measured on another (run 1 has cores 2, this machine 8; run 1 has Docker engine "20.10.24+dfsg1", this machine "27.3.1"): ' +
        'their costs are not comparable. Drop --append to replace the file with this run, or measure on the machine of its runs.',
    });
    expect(machineMismatch([costRun], { ...costRun.machine, cpuModel: 'Intel Xeon' })).toBe('run 1 has CPU model "AMD EPYC", this machine "Intel Xeon"');
    expect(machineMismatch([costRun], { ...costRun.machine, dockerEngine: null })).toBe('run 1 has Docker engine "20.10.24+dfsg1", this machine null');
    // Another day, commit, load and uncommitted work are the same machine.
    expect(machineMismatch([costRun], { ...costRun.machine, date: '2026-12-07T10:00:00.000Z', loadAverageAtStart: [1, 1, 1], uncommittedFiles: 3 } as typeof costRun.machine)).toBeUndefined();
  });

  it('refuses a file in the single-run shape, which has no runs', () => {
    const { set: _set, chaosCommand: _chaos, ...single } = costRun;
    expect(containerCostsSchema.safeParse({ about: 'x', ...single }).success).toBe(false);
    expect(containerCostsSchema.safeParse({ about: 'x', runs: [] }).error?.issues[0]?.path).toEqual(['runs']);
  });
});
