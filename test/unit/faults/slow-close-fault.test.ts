import { describe, expect, it } from 'vitest';
import { checkAction, faultKindNamed, faultNames } from '../../../harness/faults/registry.js';
import type { SlowCloseAction } from '../../../harness/faults/slow-close-fault.js';
import { completeCommand, helpText, parseOperatorCommand } from '../../../harness/rehearsal/operator-command.js';
import { validateScenario } from '../../../harness/scenario/define-scenario.js';
import { executorOnFakes } from '../runner/fake-network.js';
import { scenarioProblems as problemsOf, validScenario } from '../scenario/scenario-fixture.js';

const slowClose: SlowCloseAction = { do: 'slow-close', id: 'lingering', target: { nodes: { group: 'supernodes', count: 2 } }, delayMs: 5_000 };

describe('the slow-close fault', () => {
  it('puts a slow_close toxic on every link into the chosen nodes and removes them when healed', async () => {
    const { executor, journal, records, links } = await executorOnFakes();
    await executor.execute(slowClose, 'timeline[0]');
    const targets = ['clients->sn-01', 'supernodes->sn-01', 'clients->sn-02', 'supernodes->sn-02'];
    expect(records).toEqual([{ type: 'fault', id: 'lingering', action: 'inject', kind: 'slow_close', targets, detail: { delay: 5_000 }, startedT: 0 }]);
    expect(links.made.get('clients->sn-01')?.toxics.get('slow_close_1')).toEqual({ type: 'slow_close', attributes: { delay: 5_000 } });

    await executor.execute({ do: 'heal', id: 'lingering' }, 'timeline[1]');
    expect(journal.filter((line) => line.startsWith('remove'))).toHaveLength(4);
    expect(records.at(-1)).toEqual({ type: 'fault', id: 'lingering', action: 'heal', kind: 'toxic', targets, startedT: 0 });
    expect([...links.made.values()].every((link) => link.toxics.size === 0)).toBe(true);
  });

  it('is healed at rollback when no step healed it', async () => {
    const { executor, records } = await executorOnFakes();
    await executor.execute(slowClose, 'timeline[0]');
    expect(await executor.healAll()).toEqual([]);
    expect(records.map((r) => r.type === 'fault' && r.action)).toEqual(['inject', 'heal']);
  });

  it('is a registered kind a heal step may name, and checks its delay', () => {
    expect(faultNames.healable.has('slow-close')).toBe(true);
    expect(() => checkAction(faultKindNamed('slow-close'), { ...slowClose, delayMs: 0 })).toThrow(/does not fit its kind/);
  });
});

describe('slow-close in a scenario file (its step comes from the fault registry)', () => {
  const withSteps = (action: unknown): unknown => {
    const scenario = validScenario();
    scenario.timeline.push({ at: '4h', action }, { at: '6h', action: { do: 'heal', id: 'lingering' } });
    return scenario;
  };

  it('validates a slow-close step on a node group, healed by its id', () => {
    const scenario = validateScenario(withSteps(slowClose));
    expect(scenario.timeline.map((step) => step.action.do).slice(-2)).toEqual(['slow-close', 'heal']);
    expect(scenario.timeline.at(-2)?.action).toEqual(slowClose);
  });

  it("refuses a bad one with the kind's own messages", () => {
    expect(problemsOf(withSteps({ ...slowClose, delayMs: 0 }))).toEqual(['timeline[5].action.delayMs: must be greater than 0']);
    expect(problemsOf(withSteps({ ...slowClose, delayMs: 2.5 }))).toEqual(['timeline[5].action.delayMs: must be a whole number']);
    expect(problemsOf(withSteps({ ...slowClose, target: { links: { from: 'any', to: { group: 'supernodes' } } } }))).toEqual([
      'timeline[5].action.target.nodes: is missing (add an object)',
      'timeline[5].action.target.links: is not a known field (remove it or check its spelling)',
    ]);
  });
});

describe('slow-close at the operator prompt (its command comes from the fault registry)', () => {
  const parse = (line: string) => parseOperatorCommand(line, (kind) => `${kind}-1`);

  it('reads the same step a scenario holds', () => {
    expect(parse('slow-close supernodes 2 delay=5000 as lingering')).toEqual({ kind: 'step', action: slowClose });
    expect(parse('slow-close login delay=100')).toEqual({
      kind: 'step',
      action: { do: 'slow-close', id: 'slow-close-1', target: { nodes: { group: 'login' } }, delayMs: 100 },
    });
  });

  it('is in the help and the completions, and refuses a line without its delay', () => {
    expect(helpText('slow-close')).toContain('slow-close <group> [<share>] delay=<ms> [as <id>]');
    expect(completeCommand('slow', { toxicTypes: [], faultIds: [] })).toEqual([['slow-close'], 'slow']);
    expect(completeCommand('slow-close o', { toxicTypes: [], faultIds: [] })[0]).toEqual(['offline-messages']);
    expect(() => parse('slow-close supernodes')).toThrow('slow-close needs delay=<ms>');
  });
});
