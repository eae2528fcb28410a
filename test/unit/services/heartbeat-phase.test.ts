import { describe, expect, it } from 'vitest';
import { heartbeatPhaseMs, heartbeatTurnDelayMs } from '../../../services/supernode/login-conversation.js';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { supernodeConfigSchema } from '../../../services/supernode/supernode-config.js';

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

describe('a supernode’s turn for its membership checks on the wall clock (heartbeatSlot)', () => {
  const intervalMs = 4_000;

  it('falls at index / of of each interval counted from the epoch, whenever the supernode started', () => {
    const slot = { index: 3, of: 32 };
    for (const startedAt of [0, 1_234, 1_733_600_000_777, 1_733_600_003_999]) {
      const turn = startedAt + heartbeatTurnDelayMs(startedAt, intervalMs, slot, false);
      expect(turn % intervalMs).toBe(375);
      expect(turn - startedAt).toBeLessThan(intervalMs);
    }
    expect(heartbeatTurnDelayMs(8_375, intervalMs, slot, false)).toBe(0);
  });

  it('spreads the 32 turns evenly: one every 125 ms, each 73 ms answer done before the next turn', () => {
    const turns = Array.from({ length: 32 }, (_, index) => (1_000_000 + heartbeatTurnDelayMs(1_000_000, intervalMs, { index, of: 32 }, false)) % intervalMs).sort((a, b) => a - b);
    expect(turns.slice(1).map((turn, i) => turn - (turns[i] ?? 0))).toEqual(Array.from({ length: 31 }, () => 125));
  });

  it('after a turn, waits for the next one: a timer a little early takes no turn twice, one late skips none', () => {
    const slot = { index: 0, of: 4 };
    expect(heartbeatTurnDelayMs(8_000, intervalMs, slot, true)).toBe(4_000);
    expect(heartbeatTurnDelayMs(7_999, intervalMs, slot, true)).toBe(4_001);
    expect(heartbeatTurnDelayMs(8_250, intervalMs, slot, true)).toBe(3_750);
  });

  it('is refused without heartbeatDeadline, or outside its count, naming the field', () => {
    const base = { secret: 'secret-123', mode: 'dedicated', clientAddress: 'h:1', overlayAddress: 'h:2', loginAddress: 'h:3', capacity: { sessions: 1, requestsPerSecond: 1 }, registrationTimeoutMs: 600 };
    const parse = (extra: object) => parseRoleConfig('supernode', supernodeConfigSchema, { ...base, ...extra });
    expect(() => parse({ heartbeatSlot: { index: 0, of: 2 } })).toThrow(/heartbeatSlot needs heartbeatDeadline/);
    expect(() => parse({ heartbeatDeadline: true, heartbeatSlot: { index: 2, of: 2 } })).toThrow(/heartbeatSlot.index must be below heartbeatSlot.of/);
    expect(parse({ heartbeatDeadline: true, heartbeatSlot: { index: 1, of: 2 } }).heartbeatSlot).toEqual({ index: 1, of: 2 });
  });
});
