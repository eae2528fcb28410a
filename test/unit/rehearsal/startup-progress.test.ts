import { describe, expect, it } from 'vitest';
import { startupProgress } from '../../../harness/rehearsal/startup-progress.js';

const update = (phase: 'steady-state' | 'timeline', online: number) => ({
  architecture: 'p2p' as const,
  phase,
  elapsedMs: 30_000,
  scenarioHours: 0,
  online,
  onlineFraction: null,
  supernodesServing: 8,
  supernodesTotal: 10,
});

describe('the rehearsal before the operator takes over', () => {
  it('says how the network settles, one line per phase or 10 s, with the run\'s events, and nothing once handed over', () => {
    const lines: string[] = [];
    const progress = startupProgress((line) => lines.push(line));
    progress.update(update('steady-state', 10));
    progress.update(update('steady-state', 20));
    progress.event('p2p: error: the steady state did not hold');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[p2p\] steady-state .* online 10 .*supernodes 8\/10/);
    expect(lines[1]).toBe('· p2p: error: the steady state did not hold');
    progress.handOver();
    progress.update(update('timeline', 30));
    progress.event('p2p: inject latency');
    expect(lines).toHaveLength(2);
  });
});
