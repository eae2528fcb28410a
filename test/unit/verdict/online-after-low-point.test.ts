import { describe, expect, it } from 'vitest';
import { outageCheckers } from '../../../harness/verdict/target-checks.js';
import { measureOnlineAfterLowPoint } from '../../../harness/verdict/online-after-low-point.js';
import { HistoryBuilder } from './history-builder.js';

/** Steady at 1000 online, a fall to 100 at 12 s, then back up to `recoveredTo` from 16 s. */
const outage = (recoveredTo: number) =>
  new HistoryBuilder('p2p')
    .steady()
    .fault(10_000, 'trigger', 'inject')
    .samples(10_000, 20_000, (t) => ({ online: t < 12_000 ? 1_000 : t < 16_000 ? 100 : recoveredTo }))
    .end(20_000)
    .build();

const signature = { supernodeLossDirect: { min: 0, max: 1 }, minCascadeAmplification: 0, maxOnlineLowPoint: 1, cascadeContinuesAfterHeal: false, maxOnlineAfterLowPoint: 0.5 };
const check = outageCheckers(signature).find((c) => c(outage(400)).name === 'outage: no recovery after the low point');

describe('online after the low point', () => {
  it('is the highest online fraction from the low point on, not the steady state before it', () => {
    expect(measureOnlineAfterLowPoint(outage(400))).toMatchObject({ max: 0.4, lowAt: 12_000 });
    expect(measureOnlineAfterLowPoint(outage(100)).max).toBe(0.1);
  });

  it('passes when the network stays below the bound to the end, fails when it comes back above it', () => {
    expect(check).toBeDefined();
    expect(check?.(outage(400))).toMatchObject({ measured: 0.4, outcome: 'pass' });
    expect(check?.(outage(900))).toMatchObject({ measured: 0.9, outcome: 'fail' });
  });

  it('is only checked when the signature asks for it', () => {
    const { maxOnlineAfterLowPoint: _unused, ...without } = signature;
    expect(outageCheckers(without).map((c) => c(outage(400)).name)).not.toContain('outage: no recovery after the low point');
  });
});
