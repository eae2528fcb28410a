import { describe, expect, it } from 'vitest';
import { heartbeatPhaseMs } from '../../../services/supernode/login-conversation.js';

describe('the phase of a supernode membership check within its heartbeat interval', () => {
  it('is drawn from the name alone: the same in every run, within the interval', () => {
    expect(heartbeatPhaseMs('peer-01', 4_000)).toBe(heartbeatPhaseMs('peer-01', 4_000));
    for (let i = 0; i < 64; i += 1) {
      const phase = heartbeatPhaseMs(`peer-${i}`, 4_000);
      expect(phase).toBeGreaterThanOrEqual(0);
      expect(phase).toBeLessThan(4_000);
    }
  });

  it('spreads supernodes that start together over the interval: 32 names fill each quarter of it', () => {
    const quarters = [0, 0, 0, 0];
    for (let i = 1; i <= 32; i += 1) {
      const quarter = Math.floor(heartbeatPhaseMs(`peer-${String(i).padStart(2, '0')}`, 4_000) / 1_000);
      quarters[quarter] = (quarters[quarter] ?? 0) + 1;
    }
    for (const count of quarters) expect(count).toBeGreaterThanOrEqual(3);
  });
});
