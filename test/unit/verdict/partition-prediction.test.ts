import { describe, expect, it } from 'vitest';
import { predictOfferedLoad } from '../../../harness/verdict/load-prediction.js';
import { partition } from '../../../scenarios/partition.js';
import { partitionFixed } from '../../../scenarios/partition-fixed.js';

describe("partition's arithmetic, as docs/partition.md states it", () => {
  it('displaces the cut supernodes\' clients onto the 16 peers and 4 boxes left, over their capacity on both', () => {
    const p2p = predictOfferedLoad(partition, 'p2p');
    const dedicated = predictOfferedLoad(partition, 'dedicated');
    expect(p2p).toMatchObject({ directLossShare: 0, survivors: 16 });
    expect(p2p?.peakLoad).toBeCloseTo(5.77, 2);
    expect(p2p?.busiest.peakLoad).toBeCloseTo(10.46, 2);
    expect(dedicated).toMatchObject({ directLossShare: 0, survivors: 4 });
    expect(dedicated?.peakLoad).toBeCloseTo(2.26, 2);
    expect(dedicated?.busiest.peakLoad).toBeCloseTo(2.96, 2);
  });

  it('spreads the storm over 30 s under the counterfactual\'s backoff: under capacity on average, just over it on the busiest peer left', () => {
    const p2p = predictOfferedLoad(partitionFixed, 'p2p');
    expect(p2p?.attemptRequestsPerSecond).toBeCloseTo(2 / 30, 4);
    expect(p2p?.peakLoad).toBeCloseTo(0.81, 2);
    expect(p2p?.busiest.peakLoad).toBeCloseTo(1.127, 3);
    expect(predictOfferedLoad(partitionFixed, 'dedicated')).toBeUndefined();
  });
});
