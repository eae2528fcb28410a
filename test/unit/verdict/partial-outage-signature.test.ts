import { describe, expect, it } from 'vitest';
import { judgeRun } from '../../../harness/verdict/judge-run.js';
import { HistoryBuilder } from './history-builder.js';

/** A login stampede, not a cascade: no supernode lost, online falls to 10% at 12 s and comes back to `recoveredTo` from 16 s. */
const stampede = (recoveredTo: number) =>
  new HistoryBuilder('p2p', { outage: { maxOnlineLowPoint: 0.3, maxOnlineAfterLowPoint: 0.5 } })
    .steady()
    .fault(10_000, 'trigger', 'inject')
    .samples(10_000, 20_000, (t) => ({ online: t < 12_000 ? 1_000 : t < 16_000 ? 100 : recoveredTo }))
    .end(20_000)
    .build();

const judged = (recoveredTo: number) => judgeRun(stampede(recoveredTo)).targets.map((t) => [t.name, t.measured, t.outcome]);

describe('an outage signature that states only some fields', () => {
  it('checks only the low point and the bound after it, and passes a stampede that stays down', () => {
    expect(judged(400)).toEqual([
      ['run completed', 'completed', 'pass'],
      ['timeline steps ran', 'all', 'pass'],
      ['outage: online low point', 0.1, 'pass'],
      ['outage: no recovery after the low point', 0.4, 'pass'],
    ]);
    expect(judgeRun(stampede(400)).verdict).toBe('pass');
  });

  it('fails the outage when online comes back above the bound after its low point', () => {
    const verdict = judgeRun(stampede(900));
    expect(verdict.verdict).toBe('fail');
    expect(verdict.targets.filter((t) => t.outcome === 'fail').map((t) => t.name)).toEqual(['outage: no recovery after the low point']);
  });

  it('says unknown, never pass, for a history whose signature checks nothing', () => {
    for (const outage of [{}, { cascadeContinuesAfterHeal: false }]) {
      const events = new HistoryBuilder('p2p', { outage }).steady().samples(10_000, 20_000, { online: 100 }).end(20_000).build();
      const verdict = judgeRun(events);
      expect(verdict.verdict).toBe('unknown');
      expect(verdict.targets.at(-1)).toMatchObject({ name: 'outage signature', outcome: 'unknown', detail: 'the scenario states no outage signature that checks anything' });
    }
  });
});
