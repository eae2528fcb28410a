import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../../harness/scenario/define-scenario.js';
import { ChaosError } from '../../../harness/errors.js';
import { validScenario } from '../scenario/scenario-fixture.js';
import { control } from './control-fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function problemsOf(mutate: (scenario: any) => void): readonly string[] {
  const scenario = validScenario();
  mutate(scenario);
  try {
    validateScenario(scenario);
    return [];
  } catch (error) {
    if (error instanceof ChaosError) return error.details;
    throw error;
  }
}

describe('control rules', () => {
  it('accept controls that run on a defined architecture and break targets it states', () => {
    const controls = [control({ name: 'pinned' }), control({ name: 'steady', mustBreak: ['steadyState'] }), control({ name: 'p2p', architecture: 'p2p', set: { 'timeline[4].action.count': 0 }, mustBreak: ['maxOnlineLowPoint'] })];
    expect(problemsOf((s) => (s.controls = controls))).toEqual([]);
  });

  it('refuse a control on an architecture the scenario does not define', () => {
    const problems = problemsOf((s) => {
      delete s.architectures.p2p;
      s.timeline = s.timeline.filter((step: { only?: string[] }) => step.only === undefined);
      s.controls = [control({ name: 'p2p', architecture: 'p2p', set: { 'load.crashProbability': 0 }, mustBreak: ['maxOnlineLowPoint'] })];
    });
    expect(problems).toEqual(['controls[0].architecture: "p2p" is not an architecture of this scenario (run the control on dedicated)']);
  });

  it('refuse a target the architecture does not state', () => {
    const problems = problemsOf((s) => (s.controls = [control({ name: 'x', mustBreak: ['recoveryWithin', 'maxCascadeAmplification'] })]));
    expect(problems).toEqual([
      'controls[0].mustBreak[1]: "maxCascadeAmplification" is not a target dedicated states, so no run can break it (name one of recoveryWithin, availabilityFloor, maxMessagesLost, steadyState, or state the target under architectures.dedicated)',
    ]);
  });

  it('refuse an outage field the signature does not state', () => {
    const problems = problemsOf((s) => {
      s.architectures.p2p.outage = { maxOnlineLowPoint: 0.3, maxOnlineAfterLowPoint: 0.5 };
      s.controls = [control({ name: 'p2p', architecture: 'p2p', set: { 'load.crashProbability': 0 }, mustBreak: ['maxOnlineAfterLowPoint', 'supernodeLossDirect'] })];
    });
    expect(problems).toEqual([
      'controls[0].mustBreak[1]: "supernodeLossDirect" is not a target p2p states, so no run can break it (name one of maxOnlineLowPoint, maxOnlineAfterLowPoint, steadyState, or state the target under architectures.p2p)',
    ]);
  });

  it('refuse two controls of one name', () => {
    const problems = problemsOf((s) => (s.controls = [control({ name: 'twice' }), control({ name: 'twice' })]));
    expect(problems).toEqual(['controls[1].name: "twice" is already the name of controls[0] (give each control its own name: it names its report folder)']);
  });

  it('refuse a set path that does not parse, one of the other architecture, and a step that does not run on the control architecture', () => {
    const problems = problemsOf(
      (s) =>
        (s.controls = [
          control({ name: 'paths', set: { 'load..crashProbability': 0, 'architectures.p2p.topology.supernodes': 1, 'timeline[4].action.count': 0 } }),
        ]),
    );
    expect(problems).toEqual([
      'controls[0].set["load..crashProbability"]: is not a field path (write dot-separated names with [i] for list entries, e.g. architectures.dedicated.topology.defects or load.reconnect)',
      'controls[0].set["architectures.p2p.topology.supernodes"]: sets a field of p2p, but the control runs dedicated (set a field under architectures.dedicated, or run the control on p2p)',
      'controls[0].set["timeline[4].action.count"]: timeline[4] runs only on p2p, so it changes nothing the control runs on dedicated (set a step that runs on dedicated)',
    ]);
  });

  it('leave the shape of a control to the schema', () => {
    const problems = problemsOf((s) => (s.controls = [{ name: 'Bad Name', architecture: 'dedicated', sabotages: '', set: {}, mustBreak: ['nonsense'] }]));
    expect(problems.some((problem) => problem.startsWith('controls[0].name:'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('controls[0].set:'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('controls[0].mustBreak[0]:'))).toBe(true);
    expect(problems.filter((problem) => problem.includes('no run can break it'))).toEqual([]);
  });
});
