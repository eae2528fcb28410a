import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { exactDuration, rehearsalDefinition, scenarioOffset } from '../../../harness/rehearsal/rehearsal-scenario.js';
import { recordScenario } from '../../../harness/rehearsal/scenario-recorder.js';
import { parseDuration } from '../../../harness/scenario/duration.js';
import { validateScenario } from '../../../harness/scenario/define-scenario.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { HistoryBuilder } from '../verdict/history-builder.js';

/** A dedicated rehearsal: steady state, the operator takes over at 10 s (T0), one scenario hour per second. */
function rehearsalHistory(): HistoryEvent[] {
  const b = new HistoryBuilder('dedicated').steady();
  b.samples(10_000, 30_000, (t) => ({ online: t < 12_000 ? 1_000 : t < 16_000 ? 800 : 1_000, ok: 99, failed: 1, accepted: 10, received: 10 }));
  b.ledger(20_000, 'fleet-1', { accepted: ['m-1'] }).ledger(20_500, 'fleet-2', { received: ['m-1'] });
  const events = b.phase(30_000, 'rollback').end(30_500).build();
  const inject = { do: 'inject', id: 'inject-1', target: { links: { from: 'any', to: { group: 'offline-messages' } } }, toxic: { type: 'latency', attributes: { latency: 3000 } } };
  const commands: HistoryEvent[] = [
    { t: 11_000, type: 'command', source: 'page', text: 'mark go', outcome: 'done', offsetMs: 1_000, action: { do: 'mark', label: 'go' } },
    { t: 12_000, type: 'command', source: 'page', text: 'inject latency any->offline-messages latency=3000', outcome: 'done', offsetMs: 2_000, action: inject },
    { t: 12_500, type: 'command', source: 'prompt', text: 'inject latency any->fleets', outcome: 'refused', offsetMs: 2_500, message: 'no' },
    { t: 13_000, type: 'command', source: 'prompt', text: 'crash supernodes 1', outcome: 'failed', offsetMs: 3_000, action: { do: 'crash', id: 'crash-1', target: { nodes: { group: 'supernodes', count: 1 } } } },
    { t: 15_500, type: 'command', source: 'dead-man', text: 'heal inject-1', outcome: 'done', offsetMs: 5_500, action: { do: 'heal', id: 'inject-1' } },
    { t: 16_000, type: 'command', source: 'dead-man', text: 'heal crash-1', outcome: 'done', offsetMs: 6_000, action: { do: 'heal', id: 'crash-1' } },
  ];
  return [...events, ...commands].sort((a, c) => a.t - c.t);
}

describe('recording a rehearsal as a scenario', () => {
  it('keeps the topology, puts the operator\'s done actions at their scenario offsets, and passes the scenario validation', () => {
    const events = rehearsalHistory();
    const scenario = recordScenario(events, { now: new Date('2025-01-02T03:04:05Z') });
    expect(() => validateScenario(JSON.parse(JSON.stringify(scenario)))).not.toThrow();
    expect(scenario.name).toBe('fixture-rehearsal');
    expect(Object.keys(scenario.architectures)).toEqual(['dedicated']);
    expect(scenario.architectures.dedicated?.topology).toEqual((events[0] as { definition: { architectures: { dedicated: { topology: unknown } } } }).definition.architectures.dedicated.topology);
    expect(scenario.timeline).toEqual([
      { at: '1h', action: { do: 'mark', label: 'go' } },
      { at: '2h', action: expect.objectContaining({ do: 'inject', id: 'inject-1' }) },
      { at: '5h30m', action: { do: 'heal', id: 'inject-1' } },
    ]);
    expect(scenario.duration).toBe('20h');
    expect(scenario.architectures.dedicated?.expectation).toBe('meets-targets');
  });

  it('leaves out the source\'s fidelity rows, which a shorter recording could not measure', () => {
    const events = rehearsalHistory().map((e): HistoryEvent =>
      e.type === 'run-start' ? { ...e, definition: { ...e.definition, fidelity: [{ quantity: 'online at 25 h', published: 'about 30%', expected: 0.3, measure: { of: 'online-at', at: '25h' } }] } } : e,
    );
    const scenario = recordScenario(events);
    expect(scenario.duration).toBe('20h');
    expect(scenario.fidelity).toBeUndefined();
    expect(rehearsalDefinition(skype2010, 'p2p').fidelity).toBeUndefined();
  });

  it('proposes targets from what was measured, each with its derivation in the description', () => {
    const scenario = recordScenario(rehearsalHistory(), { name: 'my-game-day' });
    const targets = scenario.architectures.dedicated?.targets ?? {};
    expect(scenario.name).toBe('my-game-day');
    expect(targets.availabilityFloor).toBe(0.75);
    expect(targets.maxMessagesLost).toBe(0);
    expect(scenario.description).toContain('availabilityFloor 0.75: online low point measured 0.8 of steady state, less a 0.05 margin');
    expect(scenario.description).toContain('maxMessagesLost 0: 0 of 1 messages lost, plus 2 * sqrt(0) rounded up');
    for (const key of Object.keys(targets)) expect(scenario.description).toContain(`${key} `);
  });

  it('writes offsets to the scenario millisecond, so a replay starts each step where the operator gave it', () => {
    expect(scenarioOffset(0, 1_000)).toBe('0s');
    expect(scenarioOffset(2_500, 1_000)).toBe('2h30m');
    expect(scenarioOffset(7_503.4, 1_000)).toBe('7h30m12.24s');
    expect(scenarioOffset(1_234, 10_000)).toBe('7m24.24s');
    expect(exactDuration(3_600_000 + 1)).toBe('1h0.001s');
    for (const realMs of [1, 999, 12_345, 86_399]) expect(parseDuration(scenarioOffset(realMs, 2_000)) / 1_800).toBeCloseTo(realMs, 0);
  });

  it('refuses a history that never reached the operator phase', () => {
    const events = new HistoryBuilder('dedicated').build().filter((event) => !(event.type === 'phase' && event.phase === 'timeline'));
    expect(() => recordScenario(events)).toThrow(/never reached its operator phase/);
  });
});
