import { describe, expect, it } from 'vitest';
import { summariseTurns } from '../../bench/membership-turns.js';

describe("directory-storm's membership checks at steady state, simulated", () => {
  it('on evenly spaced turns, none waits past the deadline even with host jitter; at random phases, some draws do', () => {
    expect(summariseTurns('even', 300, 200)).toMatchObject({ lateDrawShare: 0 });
    expect(summariseTurns('even', 300, 200).medianSlowestMs).toBeLessThan(300);
    expect(summariseTurns('random', 0, 200).lateDrawShare).toBeGreaterThan(0);
  });
});
