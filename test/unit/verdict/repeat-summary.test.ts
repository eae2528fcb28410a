import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../harness/errors.js';
import { figureStats, minMedianMax, numericLeaves } from '../../../harness/verdict/repeat-figures.js';
import { repeatExitCode, summarizeRepeat, type ArchitectureRepeat, type RepeatInput } from '../../../harness/verdict/repeat-summary.js';
import type { RunReport } from '../../../harness/verdict/verdict-types.js';
import { repeatInputs, SEEDS } from './repeat-fixtures.js';

const now = new Date('2024-12-22T12:00:00.000Z');
const document = summarizeRepeat(repeatInputs(), { scenario: 'skype-2010', requested: 4, baseSeed: 2010, now });
const arch = (name: string): ArchitectureRepeat => document.repeat.architectures.find((a) => a.architecture === name)!;
const figure = (a: ArchitectureRepeat, name: string) => a.figures.find((f) => f.name === name);

describe('summarizeRepeat', () => {
  it('lists the runs, seeds and architectures', () => {
    expect(document.scenario).toBe('skype-2010');
    expect(document.platform).toBe('local');
    expect(document.generatedAt).toBe('2024-12-22T12:00:00.000Z');
    expect(document.repeat).toMatchObject({ count: 4, requested: 4, baseSeed: 2010, seeds: [...SEEDS], stoppedEarly: false });
    expect(document.repeat.architectures.map((a) => a.architecture)).toEqual(['p2p', 'dedicated']);
    expect(arch('dedicated').expectation).toBe('meets-targets');
    expect(arch('dedicated').runs).toEqual([
      { seed: 2010, verdict: 'pass', saturated: false, dir: 'run-0-seed-2010' },
      { seed: 111, verdict: 'fail', saturated: false, dir: 'run-1-seed-111' },
      { seed: 222, verdict: 'pass', saturated: false, dir: 'run-2-seed-222' },
      { seed: 333, verdict: 'unknown', saturated: true, dir: 'run-3-seed-333' },
    ]);
  });

  it('counts passes per target, leaves saturated and unknown runs out of the rate, and gives the Wilson interval', () => {
    const dedicated = arch('dedicated');
    // 2 of 3 judged runs met the expectation; Wilson 95% for 2/3 is [0.2077, 0.9385].
    expect(dedicated.met).toMatchObject({ passes: 2, fails: 1, runs: 3, saturated: 1, unknown: 0, failingSeeds: [111] });
    expect(dedicated.met.rate).toBeCloseTo(2 / 3, 10);
    expect(dedicated.met.wilson95[0]).toBeCloseTo(0.20766, 4);
    expect(dedicated.met.wilson95[1]).toBeCloseTo(0.938508, 4);

    const lost = dedicated.targets.find((t) => t.name === 'messages lost')!;
    expect(lost).toMatchObject({ passes: 2, fails: 1, runs: 3, saturated: 1, failingSeeds: [111] });
    const lookup = dedicated.targets.find((t) => t.name === 'lookup success')!;
    expect(lookup).toMatchObject({ passes: 0, fails: 0, runs: 0, saturated: 1, unknown: 3, rate: null, wilson95: [0, 1] });

    // p2p: 4/4 -> Wilson [0.5101, 1] (Python: 0.510109).
    expect(arch('p2p').met).toMatchObject({ passes: 4, runs: 4, saturated: 0, rate: 1 });
    expect(arch('p2p').met.wilson95[0]).toBeCloseTo(0.510109, 5);
    expect(arch('p2p').met.wilson95[1]).toBe(1);
  });

  it('gives min / median / max of every numeric summary field and target measurement, nulls counted, saturated runs left out', () => {
    const dedicated = arch('dedicated');
    // recoverySeconds per run: 10, null, 20, (30 saturated) -> stats over 10 and 20.
    expect(figure(dedicated, 'summary.recoverySeconds')).toEqual({ name: 'summary.recoverySeconds', min: 10, median: 15, max: 20, values: [10, null, 20, 30], nulls: 1, saturated: 1 });
    // messagesLost 0, 3, 1, (0) -> sorted 0, 1, 3: median 1.
    expect(figure(dedicated, 'summary.messagesLost')).toMatchObject({ min: 0, median: 1, max: 3, nulls: 0 });
    expect(figure(dedicated, 'target.messages lost')).toMatchObject({ min: 0, median: 1, max: 3, values: [0, 3, 1, 0] });
    // No run measured it: still reported, as all null.
    expect(figure(dedicated, 'summary.cascadeAmplification')).toMatchObject({ min: null, median: null, max: null, nulls: 3, saturated: 1 });
    expect(figure(dedicated, 'target.lookup success')).toMatchObject({ min: null, nulls: 3 });
    // Flags, text and series are not figures.
    for (const name of ['summary.recovered', 'summary.fidelity', 'summary', 'target.run completed']) expect(figure(dedicated, name)).toBeUndefined();
    expect(dedicated.figures.map((f) => f.name).filter((n) => n.startsWith('load'))).toEqual([]);
  });

  it('gives min / median / max of each fidelity row\'s measured value, with its published figure, nulls counted, saturated runs left out', () => {
    expect(arch('dedicated').fidelity).toEqual([
      {
        quantity: 'online users 20 h after T0, share of normal',
        published: 'about 30%',
        expected: 0.3,
        unit: 'share',
        min: 0.9,
        median: 0.925,
        max: 0.95,
        values: [0.9, null, 0.95, 0.5],
        nulls: 1,
        saturated: 1,
      },
    ]);
    expect(arch('p2p').fidelity[0]).toMatchObject({ min: 0.3, median: 0.3, max: 0.3, nulls: 0, saturated: 0 });
  });

  it('has no fidelity rows when the runs measured none', () => {
    const inputs = repeatInputs().map((input) => ({ ...input, report: { ...input.report, runs: input.report.runs.map((run) => ({ ...run, summary: { ...run.summary, fidelity: [] } })) } }));
    const plain = summarizeRepeat(inputs, { scenario: 'plain', requested: 4, baseSeed: 2010, now });
    expect(plain.repeat.architectures.map((a) => a.fidelity)).toEqual([[], []]);
  });

  it('picks up every numeric field of an optional load object, generically', () => {
    const p2p = arch('p2p');
    const load = p2p.figures.filter((f) => f.name.startsWith('load.')).map((f) => f.name);
    expect(load).toEqual(['load.steadyRequestsPerSupernode', 'load.peakRequestsPerSupernode', 'load.peakLoad', 'load.busiestLoad', 'load.surgeFactor']);
    expect(figure(p2p, 'load.peakLoad')).toEqual({ name: 'load.peakLoad', min: 1.5, median: 1.5, max: 1.5, values: [null, null, 1.5, null], nulls: 3, saturated: 0 });
    expect(figure(p2p, 'summary.recoverySeconds')).toMatchObject({ min: 40, median: 41.5, max: 43 });
    expect(figure(p2p, 'target.online low point')?.max).toBeCloseTo(0.4, 10);
  });

  it('says when the repeat stopped early', () => {
    const partial = summarizeRepeat(repeatInputs().slice(0, 2), { scenario: 'skype-2010', requested: 4, baseSeed: 2010, now });
    expect(partial.repeat).toMatchObject({ count: 2, requested: 4, seeds: [2010, 111], stoppedEarly: true });
  });
});

describe('figure helpers', () => {
  it('min / median / max with an odd and an even count', () => {
    expect(minMedianMax([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(minMedianMax([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(minMedianMax([])).toEqual({ min: null, median: null, max: null });
  });

  it('follows nested objects, treats non-finite numbers as null, and drops paths that are not always numeric', () => {
    const a = numericLeaves({ x: 1, nested: { y: 2 }, flag: true, mixed: 1 }, 'o');
    const b = numericLeaves({ x: Number.NaN, nested: { y: 4 }, flag: false, mixed: 'text', added: 7 }, 'o');
    const names = figureStats({ perRun: [a, b], keepAllNull: true }).map((f) => [f.name, f.values]);
    expect(names).toEqual([
      ['o.x', [1, null]],
      ['o.nested.y', [2, 4]],
      ['o.added', [null, 7]],
    ]);
  });
});

describe('repeatExitCode', () => {
  const inputs = repeatInputs();
  const only = (...indices: number[]): RepeatInput[] => indices.map((i) => inputs[i]!);
  const withRuns = (input: RepeatInput, edit: (report: RunReport) => RunReport): RepeatInput => ({ ...input, report: edit(input.report) });

  it('is 0 only when every run of every architecture passed', () => {
    expect(repeatExitCode(only(0, 2), false)).toBe(ExitCode.ok);
  });

  it('is 1 when a run missed its expectation', () => {
    expect(repeatExitCode(only(0, 1, 2, 3), false)).toBe(ExitCode.targetMissed);
  });

  it('is 3 when none failed but a run was saturated or unknown', () => {
    expect(repeatExitCode(only(0, 3), false)).toBe(ExitCode.infrastructure);
    const unknown = withRuns(inputs[0]!, (report) => ({ ...report, runs: report.runs.map((run) => ({ ...run, verdict: 'unknown' as const })) }));
    expect(repeatExitCode([unknown], false)).toBe(ExitCode.infrastructure);
    // A saturated run that also failed says nothing: unknown, not missed.
    const saturatedFail = withRuns(inputs[3]!, (report) => ({
      ...report,
      runs: report.runs.filter((run) => run.architecture === 'dedicated').map((run) => ({ ...run, verdict: 'fail' as const })),
    }));
    expect(saturatedFail.report.runs[0]?.saturation?.saturated).toBe(true);
    expect(repeatExitCode([inputs[0]!, saturatedFail], false)).toBe(ExitCode.infrastructure);
    expect(repeatExitCode([], false)).toBe(ExitCode.infrastructure);
  });

  it('is 130 when interrupted, whatever the runs said', () => {
    expect(repeatExitCode(only(0, 1), true)).toBe(ExitCode.interrupted);
  });
});
