import { describe, expect, it } from 'vitest';
import type { HistoryEvent, RunPhase } from '../../../harness/observe/history-types.js';
import { runPhaseTimes, slowestRun } from '../../../harness/observe/run-phase-times.js';

const runStart = { t: 1, type: 'run-start' } as HistoryEvent;
const phase = (t: number, name: RunPhase): HistoryEvent => ({ t, type: 'phase', phase: name });
const complete = (shift = 0): HistoryEvent[] => [
  runStart,
  phase(1, 'deploying'),
  phase(39_465, 'steady-state'),
  { t: 50_000, type: 'mark', label: 'between phases' } as HistoryEvent,
  phase(109_682 + shift, 'timeline'),
  phase(169_804 + shift, 'rollback'),
  phase(169_805 + shift, 'teardown'),
  phase(178_447 + shift, 'done'),
];

describe('runPhaseTimes', () => {
  it('splits a run from its start to done into deploy, steady state, timeline and teardown (with the rollback), in seconds to a tenth', () => {
    expect(runPhaseTimes(complete())).toEqual({ seconds: 178.4, deploySeconds: 39.5, steadyStateSeconds: 70.2, timelineSeconds: 60.1, teardownSeconds: 8.6 });
  });

  it('gives nothing for a run cut off before it was done, or a history without its start', () => {
    expect(runPhaseTimes(complete().slice(0, -1))).toBeUndefined();
    expect(runPhaseTimes(complete().slice(1))).toBeUndefined();
    expect(runPhaseTimes([])).toBeUndefined();
  });

  it('takes the slowest of architectures run side by side, passing over one without a complete history', () => {
    const quick = runPhaseTimes(complete());
    const slow = runPhaseTimes(complete(5_000));
    expect(slowestRun([quick, undefined, slow])?.seconds).toBe(183.4);
    expect(slowestRun([undefined, quick])).toEqual(quick);
    expect(slowestRun([undefined])).toBeUndefined();
  });
});
