import { describe, expect, it } from 'vitest';
import { applyControl, controlScenarioName, prepareControls } from '../../../harness/controls/apply-control.js';
import type { NegativeControl, ScenarioDefinition } from '../../../harness/scenario/types.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';
import { control } from './control-fixtures.js';
import { chaosRefusal } from '../helpers/chaos-refusal.js';

const scenario = (): ScenarioDefinition => validScenarioDefinition();

describe('applyControl', () => {
  it('sets objects by path, creating an absent leaf inside an existing object, and leaves the scenario as it was', () => {
    const original = scenario();
    const before = structuredClone(original);
    const sabotaged = applyControl(
      original,
      control({
        name: 'pinned',
        set: {
          'architectures.dedicated.topology.defects': { directoryPinsDeadSupernodes: true, offlineStoreDropsShare: 0.2 },
          'load.reconnect': { policy: 'naive', intervalMs: 500 },
        },
      }),
    );
    expect(sabotaged.architectures.dedicated?.topology.defects).toEqual({ directoryPinsDeadSupernodes: true, offlineStoreDropsShare: 0.2 });
    expect(sabotaged.load.reconnect).toEqual({ policy: 'naive', intervalMs: 500 });
    expect(original).toEqual(before);
  });

  it('sets numbers and list entries, in either path form', () => {
    const sabotaged = applyControl(
      scenario(),
      control({ name: 'fewer', set: { 'architectures.dedicated.topology.supernodes': 1, 'timeline[1].action.toxic.attributes.latency': 9_000, 'timeline.3.action.target.nodes.fraction': 0.9 } }),
    );
    expect(sabotaged.architectures.dedicated?.topology.supernodes).toBe(1);
    expect(sabotaged.timeline[1]?.action).toMatchObject({ toxic: { attributes: { latency: 9_000 } } });
    expect(sabotaged.timeline[3]?.action).toMatchObject({ target: { nodes: { fraction: 0.9 } } });
  });

  it('keeps only the control architecture and its steps, names the copy after the control, and drops the controls', () => {
    const withControls = { ...scenario(), controls: [control({ name: 'pinned' })] };
    const sabotaged = applyControl(withControls, control({ name: 'pinned' }));
    expect(Object.keys(sabotaged.architectures)).toEqual(['dedicated']);
    expect(sabotaged.timeline.map((step) => step.action.do)).toEqual(['mark', 'inject', 'heal', 'crash']);
    expect(sabotaged.name).toBe('fixture--control-pinned');
    expect(controlScenarioName('skype-2010', 'pinned')).toBe('skype-2010--control-pinned');
    expect('controls' in sabotaged).toBe(false);
    const onP2p = applyControl(withControls, control({ name: 'no-promotion', architecture: 'p2p', set: { 'architectures.p2p.topology.defects': { promotionOff: true } } }));
    expect(Object.keys(onP2p.architectures)).toEqual(['p2p']);
    expect(onP2p.timeline.map((step) => step.action.do)).toContain('add-supernodes');
  });

  it('drops a rollback heal of a fault only a dropped step created', () => {
    const base = scenario();
    const withP2pFault: ScenarioDefinition = {
      ...base,
      timeline: [...base.timeline, { at: '11h', action: { do: 'cut', id: 'p2p-cut', target: { links: { from: 'clients', to: { group: 'supernodes', count: 1 } } } }, only: ['p2p'] }],
      rollbacks: [...base.rollbacks, { do: 'heal', id: 'p2p-cut' }],
    };
    const sabotaged = applyControl(withP2pFault, control({ name: 'pinned' }));
    expect(sabotaged.rollbacks).toEqual([{ do: 'heal', id: 'trigger' }]);
  });

  it('refuses a path whose parent does not exist, naming the control, the path and what is there', () => {
    const error = chaosRefusal(() => applyControl(scenario(), control({ name: 'typo', set: { 'architectures.dedicated.topolgy.defects': { promotionOff: true } } })));
    expect(error.code).toBe('INVALID_SCENARIO');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('negative control "typo" of fixture makes an invalid scenario on dedicated');
    expect(error.hint).toContain('fix the set of control "typo"');
    expect(error.details).toEqual([
      'set["architectures.dedicated.topolgy.defects"]: has no field architectures.dedicated.topolgy (architectures.dedicated has topology, expectation, targets)',
    ]);
  });

  it('refuses a list entry that does not exist and a path that is not one', () => {
    const error = chaosRefusal(() => applyControl(scenario(), control({ name: 'bad-paths', set: { 'timeline[9]': 1, 'load..x': 1 } })));
    expect(error.details).toEqual([
      'set["timeline[9]"]: timeline is a list with entries [0] to [4]: only an existing entry can be set',
      'set["load..x"]: is not a field path (dot-separated names, [i] for list entries)',
    ]);
  });

  it('refuses a sabotaged scenario the language refuses, with each problem and its fix', () => {
    const error = chaosRefusal(() =>
      applyControl(scenario(), control({ name: 'broken', set: { 'architectures.dedicated.topology.supernodes': 0, 'architectures.dedicated.topology.defects': { bogus: true } } })),
    );
    expect(error.message).toContain('negative control "broken"');
    expect(error.details.some((detail) => detail.startsWith('architectures.dedicated.topology.supernodes:'))).toBe(true);
    expect(error.details.some((detail) => detail.includes('architectures.dedicated.topology.defects') && detail.includes('bogus'))).toBe(true);
  });
});

describe('prepareControls', () => {
  const controls: NegativeControl[] = [
    control({ name: 'pinned' }),
    control({ name: 'no-promotion', architecture: 'p2p', set: { 'architectures.p2p.topology.defects': { promotionOff: true } }, mustBreak: ['maxOnlineLowPoint'] }),
  ];

  it('applies the controls of the architectures selected, in order', () => {
    const all = prepareControls({ ...scenario(), controls });
    expect(all.map((entry) => [entry.control.name, entry.scenario.name])).toEqual([
      ['pinned', 'fixture--control-pinned'],
      ['no-promotion', 'fixture--control-no-promotion'],
    ]);
    expect(prepareControls({ ...scenario(), controls }, ['p2p']).map((entry) => entry.control.name)).toEqual(['no-promotion']);
    expect(prepareControls(scenario())).toEqual([]);
  });

  it('refuses every invalid control at once, each named', () => {
    const broken = [control({ name: 'zero', set: { 'architectures.dedicated.topology.supernodes': 0 } }), control({ name: 'typo', set: { 'load.nothing.x': 1 } })];
    const error = chaosRefusal(() => prepareControls({ ...scenario(), controls: broken }));
    expect(error.message).toBe('2 negative controls of fixture make invalid scenarios');
    expect(error.details.filter((line) => line.startsWith('negative control'))).toEqual([
      'negative control "zero" of fixture makes an invalid scenario on dedicated',
      'negative control "typo" of fixture makes an invalid scenario on dedicated',
    ]);
  });
});
