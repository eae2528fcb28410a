import { describe, expect, it } from 'vitest';
import { createManualClock } from '../helpers/manual-clock.js';
import { createTimeScale } from '../../../harness/scenario/time-scale.js';
import { planTimeline, runTimeline, type ScheduledStep, type TimelinePlan } from '../../../harness/engine/timeline.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';

const scale = createTimeScale({ oneHour: '1s' });

const mark = (label: string): ScheduledStep['action'] => ({ do: 'mark', label });
const plan = (offsets: readonly number[], endMs = 10_000): TimelinePlan => ({
  architecture: 'p2p',
  endMs,
  steps: offsets.map((offsetMs, index) => ({ index, key: `timeline[${index}]`, at: `${offsetMs}ms`, offsetMs, action: mark(`m${index}`) })),
});

describe('planTimeline', () => {
  it('keeps the steps for the architecture, at real offsets, sorted stably', () => {
    const definition: ScenarioDefinition = {
      ...validScenarioDefinition(),
      timeline: [
        { at: '3h', action: mark('c') },
        { at: '1h', action: mark('a') },
        { at: '2h', action: mark('p2p only'), only: ['p2p'] },
        { at: '1h', action: mark('b') },
        { at: '30m', action: mark('dedicated only'), only: ['dedicated'] },
      ],
    };
    const p2p = planTimeline(definition, 'p2p', scale);
    expect(p2p.steps.map((s) => [s.index, s.offsetMs])).toEqual([
      [1, 1_000],
      [3, 1_000],
      [2, 2_000],
      [0, 3_000],
    ]);
    expect(p2p.endMs).toBe(20_000);
    expect(p2p.steps[0]?.key).toBe('timeline[1]');
    expect(planTimeline(definition, 'dedicated', scale).steps.map((s) => s.index)).toEqual([4, 1, 3, 0]);
  });
});

describe('runTimeline', () => {
  it('executes each step at its offset on the clock', async () => {
    const clock = createManualClock(5_000);
    const seen: [number, number][] = [];
    const done = runTimeline(plan([0, 1_000, 3_000], 4_000), {
      clock,
      execute: async (step) => {
        seen.push([step.index, clock.now() - 5_000]);
      },
    });
    await clock.advance(999);
    expect(seen).toEqual([[0, 0]]);
    await clock.advance(1);
    expect(seen).toEqual([
      [0, 0],
      [1, 1_000],
    ]);
    await clock.advance(3_000);
    const result = await done;
    expect(seen.at(-1)).toEqual([2, 3_000]);
    expect(result.aborted).toBe(false);
    expect(result.records.map((r) => r.late)).toEqual([false, false, false]);
  });

  it('runs a step whose time passed during a slow step at once and records it late', async () => {
    const clock = createManualClock();
    const done = runTimeline(plan([0, 1_000, 5_000], 5_000), {
      clock,
      execute: async (step) => {
        if (step.index === 0) await clock.sleep(2_500);
      },
    });
    await clock.advance(6_000);
    const { records } = await done;
    expect(records.map((r) => [r.startedMs, r.late, r.lateByMs])).toEqual([
      [0, false, 0],
      [2_500, true, 1_500],
      [5_000, false, 0],
    ]);
  });

  it('waits for the end of the run after the last step', async () => {
    const clock = createManualClock();
    let finished = false;
    const done = runTimeline(plan([0], 2_000), { clock, execute: async () => undefined }).then(() => (finished = true));
    await clock.advance(1_999);
    expect(finished).toBe(false);
    await clock.advance(1);
    await done;
    expect(finished).toBe(true);
  });

  it('stops when the signal aborts, leaving later steps unrun', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const executed: number[] = [];
    const done = runTimeline(plan([0, 1_000, 2_000]), {
      clock,
      signal: controller.signal,
      execute: async (step) => {
        executed.push(step.index);
      },
    });
    await clock.advance(1_500);
    controller.abort();
    const result = await done;
    expect(result.aborted).toBe(true);
    expect(executed).toEqual([0, 1]);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('records a failing step and continues, or stops when onStepError says so', async () => {
    const failing = async (step: ScheduledStep): Promise<void> => {
      if (step.index === 1) throw new Error('toxiproxy said no');
    };
    const clock = createManualClock();
    const errors: string[] = [];
    const goOn = runTimeline(plan([0, 0, 0], 0), { clock, execute: failing, onStepError: (_s, e) => void errors.push(String(e)) });
    const continued = await goOn;
    expect(continued.records.map((r) => r.outcome)).toEqual(['done', 'failed', 'done']);
    expect(errors).toEqual(['Error: toxiproxy said no']);

    const stopped = await runTimeline(plan([0, 0, 0], 0), { clock, execute: failing, onStepError: () => 'stop' });
    expect(stopped.records.map((r) => r.outcome)).toEqual(['done', 'failed']);
    expect(stopped.stoppedAfterError).toBe(true);
  });
});
