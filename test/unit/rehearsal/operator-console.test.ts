import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import type { ExecutableAction } from '../../../harness/faults/registry.js';
import type { HistoryRecord } from '../../../harness/observe/history-types.js';
import { OperatorConsole } from '../../../harness/rehearsal/operator-console.js';
import { rehearsalDefinition } from '../../../harness/rehearsal/rehearsal-scenario.js';
import { validateScenario } from '../../../harness/scenario/define-scenario.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';

function setup(options: { failOn?: string; executeTakesMs?: number; elapsedMs?: () => number } = {}) {
  const records: HistoryRecord[] = [];
  const executed: { action: ExecutableAction; key: string }[] = [];
  const active: string[] = [];
  let elapsed = 0;
  let ended: string | undefined;
  const scenario = rehearsalDefinition(validScenarioDefinition(), 'dedicated');
  const operator = new OperatorConsole({
    architecture: 'dedicated',
    scenario,
    msPerScenarioHour: 1_000,
    elapsedMs: options.elapsedMs ?? (() => elapsed),
    execute: async (action, key) => {
      elapsed += options.executeTakesMs ?? 0;
      if (options.failOn === action.do) throw new ChaosError('TOXIPROXY_UNAVAILABLE', 'Toxiproxy failed', { hint: 'fake' });
      executed.push({ action, key });
      if (action.do === 'heal') active.splice(active.indexOf(action.id), 1);
      else if ('id' in action) active.push(action.id);
    },
    activeFaults: () => active,
    record: (event) => records.push(event),
    end: (source) => (ended = source),
    status: () => 'status line',
  });
  return { operator, records, executed, active, scenario, at: (ms: number) => (elapsed = ms), ended: () => ended };
}

/** What the scenario validation says of a timeline holding this one step. */
function scenarioSays(action: unknown): string[] {
  const scenario = { ...rehearsalDefinition(validScenarioDefinition(), 'dedicated'), timeline: [{ at: '0h', action, only: ['dedicated'] }] };
  try {
    validateScenario(scenario);
  } catch (error) {
    return [...(error as ChaosError).details];
  }
  return [];
}

describe('the operator console', () => {
  it('runs a command as a timeline step through the executor and writes it to the history', async () => {
    const { operator, records, executed, at } = setup();
    at(2_500);
    const reply = await operator.submit('inject latency any->offline-messages latency=3000', 'page');
    expect(reply).toEqual({ ok: true, message: 'inject inject-1 in place' });
    expect(executed).toEqual([{ key: 'timeline[0]', action: { do: 'inject', id: 'inject-1', target: { links: { from: 'any', to: { group: 'offline-messages' } } }, toxic: { type: 'latency', attributes: { latency: 3000 } } } }]);
    expect(records).toEqual([
      { type: 'command', source: 'page', text: 'inject latency any->offline-messages latency=3000', outcome: 'done', offsetMs: 2500, action: executed[0]?.action },
    ]);
    expect(operator.steps()).toEqual([{ at: '2h30m', action: executed[0]?.action, only: ['dedicated'] }]);
    expect(operator.faults()).toEqual([{ id: 'inject-1', kind: 'inject', command: 'inject latency any->offline-messages latency=3000', sinceMs: 2500, healable: true }]);
  });

  it('writes the moment the executor started the step as its offset: not when the line came in, not when it was done', async () => {
    // The line comes in at 2 s, its check ends at 2.04 s, the crash takes 1.5 s.
    const readings = [2_000, 2_040];
    let now = 0;
    const { operator, records } = setup({ elapsedMs: () => (now = readings.shift() ?? now + 1_500) });
    expect((await operator.submit('crash supernodes 1 as box', 'prompt')).ok).toBe(true);
    expect(records).toEqual([expect.objectContaining({ type: 'command', outcome: 'done', offsetMs: 2_040 })]);
    expect(operator.steps().map((step) => step.at)).toEqual(['2h2m24s']);
    expect(operator.faults()[0]?.sinceMs).toBe(2_040);
    // A refusal is written when it was refused.
    readings.push(5_000);
    await operator.submit('heal box', 'prompt');
    expect(records.at(-1)).toMatchObject({ outcome: 'refused', offsetMs: 5_000 });
  });

  it('refuses a step with word for word what a scenario step is told, and records the refusal', async () => {
    const { operator, records, executed } = setup();
    const reply = await operator.submit('inject latency any->offline-messages latency=-5 colour=3 as x', 'prompt');
    expect(reply.ok).toBe(false);
    const expected = scenarioSays({ do: 'inject', id: 'x', target: { links: { from: 'any', to: { group: 'offline-messages' } } }, toxic: { type: 'latency', attributes: { latency: -5, colour: 3 } } });
    expect(expected.length).toBe(2);
    for (const detail of expected) expect(reply.message).toContain(detail);
    expect(reply.message.startsWith('INVALID_SCENARIO: the inject step has 2 problems')).toBe(true);
    expect(executed).toEqual([]);
    expect(records[0]).toMatchObject({ type: 'command', outcome: 'refused', source: 'prompt' });
  });

  it('refuses groups and shares as the scenario does', async () => {
    const { operator } = setup();
    const fleets = await operator.submit('cut any->fleets', 'page');
    expect(fleets.message).toContain(scenarioSays({ do: 'cut', id: 'cut-1', target: { links: { from: 'any', to: { group: 'fleets' } } } })[0]);
    const share = await operator.submit('crash supernodes 150%', 'page');
    expect(share.message).toContain('must be between 0 and 1');
    const mega = await operator.submit('add 2 mega', 'page');
    expect(mega.message).toContain('"mega" needs architectures.dedicated.topology.megaSupernode');
  });

  it('refuses heals of unknown, healed and crash faults with the scenario rules', async () => {
    const { operator } = setup();
    expect((await operator.submit('heal nothing', 'page')).message).toContain('heal of unknown fault "nothing"');
    await operator.submit('cut clients->supernodes', 'page');
    expect((await operator.submit('up cut-1', 'page')).ok).toBe(true);
    expect((await operator.submit('heal cut-1', 'page')).message).toContain('"cut-1" is already healed by timeline[1]');
    await operator.submit('crash supernodes 1', 'page');
    expect((await operator.submit('heal crash-1', 'page')).message).toContain('"crash-1" is a crash, which cannot be healed');
    expect((await operator.submit('inject latency any->login latency=1 as crash-1', 'page')).message).toContain('"crash-1" is already used by timeline[2]');
  });

  it('heal all heals every healable fault as heal steps, saying why', async () => {
    const { operator, records, active } = setup();
    await operator.submit('inject latency any->offline-messages latency=3000', 'page');
    await operator.submit('pause supernodes 1', 'page');
    await operator.submit('crash supernodes 1', 'page');
    records.length = 0;
    const reply = await operator.healAll('dead-man', 'dead-man: no operator for 61s');
    expect(reply).toEqual({ ok: true, message: 'healed inject-1\nhealed pause-1' });
    expect(active).toEqual(['crash-1']);
    expect(records[0]).toEqual({ type: 'mark', label: 'dead-man: no operator for 61s: healing 2 faults (inject-1, pause-1)' });
    expect(records.slice(1).map((r) => (r.type === 'command' ? `${r.source} ${r.text} ${r.outcome}` : r.type))).toEqual(['dead-man heal inject-1 done', 'dead-man heal pause-1 done']);
    expect(operator.hasHealableFaults()).toBe(false);
  });

  it('records a step that fails and keeps going', async () => {
    const { operator, records } = setup({ failOn: 'inject' });
    const reply = await operator.submit('inject latency any->login latency=10', 'page');
    expect(reply.ok).toBe(false);
    expect(records.map((r) => r.type)).toEqual(['command', 'error']);
    expect(records[1]).toMatchObject({ type: 'error', message: 'step timeline[0] (inject) failed: Toxiproxy failed' });
    expect((await operator.submit('mark still here', 'page')).ok).toBe(true);
  });

  it('runs each step under the key its replay gives it, so victims are drawn alike', async () => {
    const { operator, executed } = setup({ failOn: 'pause' });
    await operator.submit('crash supernodes 1 as a', 'page');
    await operator.submit('pause supernodes 1 as p', 'page');
    await operator.submit('heal p', 'page');
    await operator.submit('inject latency any->login latency=10 as l', 'page');
    await operator.submit('heal l', 'page');
    // The failed pause and the heal of it are not recorded, so the inject is the replay's timeline[1].
    expect(executed.map((e) => `${e.key} ${e.action.do}`)).toEqual(['timeline[0] crash', 'timeline[1] heal', 'timeline[1] inject', 'timeline[2] heal']);
  });

  it('answers help, status, faults and end without touching the network', async () => {
    const { operator, executed, ended } = setup();
    expect((await operator.submit('help', 'prompt')).message).toContain('heal <id> | heal all');
    expect((await operator.submit('status', 'prompt')).message).toBe('status line');
    expect((await operator.submit('faults', 'prompt')).message).toBe('no fault in place');
    await operator.submit('end', 'prompt');
    expect(ended()).toBe('prompt');
    expect(executed).toEqual([]);
  });
});
