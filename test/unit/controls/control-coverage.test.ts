import { describe, expect, it } from 'vitest';
import { uncoveredTargets } from '../../../harness/controls/control-coverage.js';
import { statedTargetKeys } from '../../../harness/scenario/stated-targets.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';
import { control } from './control-fixtures.js';

describe('statedTargetKeys', () => {
  const { p2p, dedicated } = validScenarioDefinition().architectures;

  it('takes each target set (recoveryHold with recoveryWithin), and the outage checks under reproduces-outage', () => {
    expect(statedTargetKeys(dedicated)).toEqual(['recoveryWithin', 'availabilityFloor', 'maxMessagesLost']);
    expect(statedTargetKeys(p2p)).toEqual(['supernodeLossDirect', 'minCascadeAmplification', 'maxOnlineLowPoint', 'cascadeContinuesAfterHeal']);
  });

  it('counts no outage field under meets-targets, nor a cascade the signature does not demand', () => {
    expect(statedTargetKeys({ ...p2p, expectation: 'meets-targets' })).toEqual([]);
    const signature = { ...p2p!.outage!, cascadeContinuesAfterHeal: false, maxOnlineAfterLowPoint: 0.5 };
    expect(statedTargetKeys({ ...p2p, outage: signature, targets: { rehomeWithin: '2h' } })).toEqual([
      'rehomeWithin',
      'supernodeLossDirect',
      'minCascadeAmplification',
      'maxOnlineLowPoint',
      'maxOnlineAfterLowPoint',
    ]);
  });

  it('reads raw input without throwing', () => {
    expect(statedTargetKeys(undefined)).toEqual([]);
    expect(statedTargetKeys({ targets: 'none', outage: 3, expectation: 'reproduces-outage' })).toEqual([]);
  });
});

describe('uncoveredTargets', () => {
  const scenario = (controls: ScenarioDefinition['controls']): ScenarioDefinition => ({ ...validScenarioDefinition(), ...(controls === undefined ? {} : { controls }) });

  it('lists every stated target of every architecture when there is no control', () => {
    expect(uncoveredTargets(scenario(undefined))).toEqual([
      { architecture: 'p2p', target: 'supernodeLossDirect' },
      { architecture: 'p2p', target: 'minCascadeAmplification' },
      { architecture: 'p2p', target: 'maxOnlineLowPoint' },
      { architecture: 'p2p', target: 'cascadeContinuesAfterHeal' },
      { architecture: 'dedicated', target: 'recoveryWithin' },
      { architecture: 'dedicated', target: 'availabilityFloor' },
      { architecture: 'dedicated', target: 'maxMessagesLost' },
    ]);
  });

  it('counts a target covered only by a control of its own architecture', () => {
    const controls = [
      control({ name: 'pinned', mustBreak: ['recoveryWithin', 'availabilityFloor'] }),
      control({ name: 'drops', mustBreak: ['maxMessagesLost', 'steadyState'] }),
      control({ name: 'p2p-only', architecture: 'p2p', set: { 'load.crashProbability': 0 }, mustBreak: ['supernodeLossDirect', 'minCascadeAmplification'] }),
    ];
    expect(uncoveredTargets(scenario(controls))).toEqual([
      { architecture: 'p2p', target: 'maxOnlineLowPoint' },
      { architecture: 'p2p', target: 'cascadeContinuesAfterHeal' },
    ]);
    const all = [...controls, control({ name: 'rest', architecture: 'p2p', set: { 'load.crashProbability': 0 }, mustBreak: ['maxOnlineLowPoint', 'cascadeContinuesAfterHeal'] })];
    expect(uncoveredTargets(scenario(all))).toEqual([]);
  });
});
