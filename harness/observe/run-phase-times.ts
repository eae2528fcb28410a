import type { EventOf, HistoryEvent } from './history-types.js';

/** Where one architecture's run spent its wall time, in seconds: the run-start to the last phase. */
export interface RunPhaseTimes {
  readonly seconds: number;
  readonly deploySeconds: number;
  readonly steadyStateSeconds: number;
  readonly timelineSeconds: number;
  /** The rollback and the teardown. */
  readonly teardownSeconds: number;
}

const seconds = (ms: number): number => Math.round(ms / 100) / 10;

/** The phases of a run that went through every one of them; undefined for a run cut off before it was done. */
export function runPhaseTimes(events: readonly HistoryEvent[]): RunPhaseTimes | undefined {
  const start = events.find((event) => event.type === 'run-start');
  const phases = new Map(events.filter((event): event is EventOf<'phase'> => event.type === 'phase').map((event) => [event.phase, event.t]));
  const steadyState = phases.get('steady-state');
  const timeline = phases.get('timeline');
  const rollback = phases.get('rollback');
  const done = phases.get('done');
  if (start === undefined || steadyState === undefined || timeline === undefined || rollback === undefined || done === undefined) return undefined;
  return {
    seconds: seconds(done - start.t),
    deploySeconds: seconds(steadyState - start.t),
    steadyStateSeconds: seconds(timeline - steadyState),
    timelineSeconds: seconds(rollback - timeline),
    teardownSeconds: seconds(done - rollback),
  };
}

/** The slowest of a scenario's architectures run side by side: the one that sets the scenario's run time. */
export function slowestRun(runs: readonly (RunPhaseTimes | undefined)[]): RunPhaseTimes | undefined {
  return runs.reduce<RunPhaseTimes | undefined>((slowest, run) => (run !== undefined && (slowest === undefined || run.seconds > slowest.seconds) ? run : slowest), undefined);
}
