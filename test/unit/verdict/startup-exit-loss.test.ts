import { describe, expect, it } from 'vitest';
import { lostSupernodes } from '../../../harness/verdict/supernode-loss.js';
import { HistoryBuilder } from './history-builder.js';

describe('a supernode that exited while the network started', () => {
  it('is no supernode loss: the network it would be lost from was not up yet', () => {
    const b = new HistoryBuilder('p2p').phase(0, 'deploying').down(500, 'sn-02', 'self-protection', 75);
    b.phase(1_000, 'steady-state').samples(1_000, 10_000, { online: 1_000 }).phase(10_000, 'timeline');
    b.down(11_000, 'sn-01', 'client-bug').down(12_000, 'sn-03', 'self-protection');
    expect(lostSupernodes(b.phase(20_000, 'teardown').end(21_000).build())).toEqual({ direct: ['sn-01'], total: ['sn-01', 'sn-03'] });
  });
});
