import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { recordScenario } from '../../../harness/rehearsal/scenario-recorder.js';
import { stepStartOf } from '../../../harness/verdict/history-series.js';
import { actionsOf } from '../../integration/helpers/replay-actions.js';
import { HistoryBuilder } from '../verdict/history-builder.js';

/*
 * A live session and its replay compared as test/integration/rehearse-replay.test.ts compares them:
 * each action where its step began. A Docker kill that took 0.3 s live and 1.9 s in the replay (a
 * loaded engine) is the same crash at the same offset.
 */

const crash = { do: 'crash', id: 'box', target: { nodes: { group: 'supernodes', count: 1 } } };

/** T0 at 10 s; the crash begins `startMs` after T0 and is done `tookMs` later; the mark comes 2 s after the crash began. */
function history(startMs: number, tookMs: number, options: { readonly stamped?: boolean; readonly command?: boolean } = {}): HistoryEvent[] {
  const stamped = options.stamped ?? true;
  const events = new HistoryBuilder('dedicated').steady().samples(10_000, 20_000, { online: 1_000 }).phase(20_000, 'rollback').end(20_500).build();
  const begun = 10_000 + startMs;
  const steps: HistoryEvent[] = [
    { t: begun + tookMs, type: 'fault', id: 'box', action: 'inject', kind: 'crash', targets: ['sn-01'], ...(stamped ? { startedT: begun } : {}) },
    { t: begun + 2_000 + 1, type: 'mark', label: 'parity', ...(stamped ? { startedT: begun + 2_000 } : {}) },
  ];
  const commands: HistoryEvent[] = options.command === true ? [{ t: begun + tookMs, type: 'command', source: 'prompt', text: 'crash supernodes 1 as box', outcome: 'done', offsetMs: startMs, action: crash }] : [];
  return [...events, ...steps, ...commands].sort((a, b) => a.t - b.t);
}

describe('the actions a replay repeats', () => {
  it('are at the offset their step began: a kill that took 1.6 s longer in the replay is at the same offset', () => {
    const live = actionsOf(history(3_000, 300), new Set(['parity']));
    const replay = actionsOf(history(3_040, 1_900), new Set(['parity']));
    expect(live).toEqual([
      { what: 'inject crash box on sn-01', offsetMs: 3_000 },
      { what: 'mark parity', offsetMs: 5_000 },
    ]);
    expect(replay.map((action) => action.what)).toEqual(live.map((action) => action.what));
    expect(replay.map((action, index) => Math.abs(action.offsetMs - (live[index]?.offsetMs ?? Number.NaN)))).toEqual([40, 40]);
  });

  it('fall back to when each was done in a history written before steps carried their start', () => {
    expect(actionsOf(history(3_000, 300, { stamped: false }), new Set(['parity']))).toEqual([
      { what: 'inject crash box on sn-01', offsetMs: 3_300 },
      { what: 'mark parity', offsetMs: 5_001 },
    ]);
    expect(stepStartOf({ t: 700 })).toBe(700);
    expect(stepStartOf({ t: 700, startedT: 400 })).toBe(400);
  });

  it('match the recording, which puts each step where the operator\'s command began, not where the slow kill was done', () => {
    const events = history(3_000, 2_900, { command: true });
    expect(recordScenario(events).timeline).toEqual([{ at: '3h', action: crash }]);
    expect(actionsOf(events, new Set())[0]?.offsetMs).toBe(3_000);
  });
});
