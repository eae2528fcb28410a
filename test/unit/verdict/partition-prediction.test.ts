import { describe, expect, it } from 'vitest';
import { predictOfferedLoad } from '../../../harness/verdict/load-prediction.js';
import { partition } from '../../../scenarios/partition.js';
import { partitionFixed } from '../../../scenarios/partition-fixed.js';

describe("partition's arithmetic, as docs/partition.md states it", () => {
  it('displaces the cut supernodes\' clients onto the 20 peers and 5 boxes left, over their capacity on both', () => {
    const p2p = predictOfferedLoad(partition, 'p2p');
    const dedicated = predictOfferedLoad(partition, 'dedicated');
    expect(p2p).toMatchObject({ directLossShare: 0, survivors: 20 });
    expect(p2p?.peakLoad).toBeCloseTo(3.56, 2);
    expect(p2p?.busiest.peakLoad).toBeCloseTo(7.37, 2);
    expect(dedicated).toMatchObject({ directLossShare: 0, survivors: 5 });
    expect(dedicated?.peakLoad).toBeCloseTo(2.09, 2);
    expect(dedicated?.busiest.peakLoad).toBeCloseTo(2.97, 2);
  });

  it('spreads the storm over 30 s under the counterfactual\'s backoff: under capacity on the busiest peer left', () => {
    const p2p = predictOfferedLoad(partitionFixed, 'p2p');
    expect(p2p?.attemptRequestsPerSecond).toBeCloseTo(2 / 30, 4);
    expect(p2p?.peakLoad).toBeCloseTo(0.58, 2);
    expect(p2p?.busiest.peakLoad).toBeCloseTo(0.835, 3);
    expect(predictOfferedLoad(partitionFixed, 'dedicated')).toBeUndefined();
  });
});
