import { describe, expect, it } from 'vitest';
import { measureSupernodeLoss } from '../../../harness/verdict/supernode-loss.js';
import { exitCauseOf, NodeExitCode } from '../../../services/protocol/exit-codes.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';
import { HistoryBuilder, supernodeAt } from './history-builder.js';

describe('dedicated boxes that run client software (the boxesRunClientVersion defect)', () => {
  it('count as supernodes lost directly when their client crashes, though they report peer mode', () => {
    const dedicated = validScenarioDefinition().architectures.dedicated;
    if (dedicated === undefined) throw new Error('the fixture has a dedicated run');
    const topology = { ...dedicated.topology, defects: { boxesRunClientVersion: 'buggy' } };
    const boxesInPeerMode = { nodes: { 'sn-01': supernodeAt(0.5, 'peer'), 'sn-02': supernodeAt(0.5, 'peer') } };
    const b = new HistoryBuilder('dedicated', { topology }).phase(0, 'deploying').phase(1_000, 'steady-state');
    b.samples(1_000, 11_000, { online: 1_000, ...boxesInPeerMode }).phase(10_000, 'timeline');
    const crashCause = exitCauseOf(NodeExitCode.clientBugCrash);
    b.down(11_000, 'sn-01', crashCause, NodeExitCode.clientBugCrash).down(11_200, 'sn-02', crashCause, NodeExitCode.clientBugCrash);
    b.samples(11_500, 15_000, { online: 800, serving: 8, supernodes: 8 });
    const loss = measureSupernodeLoss(b.end(15_000).build());
    expect(loss.direct).toEqual(['sn-01', 'sn-02']);
    expect(loss.directShare).toBe(0.2);
  });
});
