import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../harness/errors.js';
import { exitCodeOf } from '../../../harness/verdict/run-report.js';
import type { Architecture } from '../../../harness/scenario/types.js';
import { unmeasuredSummary as summary } from '../report/fixtures.js';
import type { ArchitectureVerdict, CheckOutcome, RunReport } from '../../../harness/verdict/verdict-types.js';

const run = (architecture: Architecture, verdict: CheckOutcome, outcome: ArchitectureVerdict['outcome'] = 'completed'): ArchitectureVerdict => ({
  architecture,
  expectation: 'meets-targets',
  verdict,
  outcome,
  summary,
  targets: [],
});

const report = (...runs: ArchitectureVerdict[]): RunReport => ({
  scenario: 'fixture',
  description: 'exit codes',
  seed: 1,
  platform: 'local',
  generatedAt: '2026-01-01T00:00:00.000Z',
  runs,
});

describe('exitCodeOf', () => {
  it('is 0 when every run passed', () => {
    expect(exitCodeOf(report(run('p2p', 'pass'), run('dedicated', 'pass')), false)).toBe(0);
    expect(ExitCode.ok).toBe(0);
  });

  it('is 1 when any run failed, even beside an unknown one', () => {
    expect(exitCodeOf(report(run('p2p', 'pass'), run('dedicated', 'fail')), false)).toBe(1);
    expect(exitCodeOf(report(run('p2p', 'unknown'), run('dedicated', 'fail')), false)).toBe(1);
    expect(exitCodeOf(report(run('p2p', 'fail', 'aborted')), false)).toBe(1);
  });

  it('is 3 when nothing failed but a run could not be judged', () => {
    expect(exitCodeOf(report(run('p2p', 'pass'), run('dedicated', 'unknown')), false)).toBe(3);
    expect(exitCodeOf(report(run('p2p', 'unknown', 'failed')), false)).toBe(3);
  });

  it('is 3, not 0, for a report without runs', () => {
    expect(exitCodeOf(report(), false)).toBe(3);
  });

  it('is 130 when interrupted, whatever the verdicts', () => {
    expect(exitCodeOf(report(run('p2p', 'pass')), true)).toBe(130);
    expect(exitCodeOf(report(run('p2p', 'fail')), true)).toBe(130);
    expect(exitCodeOf(report(), true)).toBe(130);
  });

  it('is 130 when a run ended interrupted though the signal was not seen', () => {
    expect(exitCodeOf(report(run('p2p', 'fail'), run('dedicated', 'unknown', 'interrupted')), false)).toBe(130);
  });
});
