import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../harness/errors.js';
import { formatDuration, parseDuration, tryParseDuration } from '../../../harness/scenario/duration.js';
import { createTimeScale, drawRealMs, toRealDistribution } from '../../../harness/scenario/time-scale.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['1.5s', 1_500],
    ['30m', 1_800_000],
    ['20h', 72_000_000],
    ['250ms', 250],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['0h', 0],
  ])('parses %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '90', 's', '-5s', '1.5.2s', '2 hours', '10sec', ' 5s', '5S'])('rejects %j', (text) => {
    expect(tryParseDuration(text)).toBeUndefined();
    let caught: unknown;
    try {
      parseDuration(text);
    } catch (error) {
      caught = error;
    }
    expect(isChaosError(caught) && caught.code === 'INVALID_SCENARIO' && caught.hint.includes('"1.5s"')).toBe(true);
  });

  it('formats milliseconds back to a short form', () => {
    expect([250, 1_500, 150_000, 3_600_000, 5_400_000].map(formatDuration)).toEqual(['250ms', '1.5s', '2m30s', '1h', '1h30m']);
  });
});

describe('createTimeScale', () => {
  const scale = createTimeScale({ oneHour: '1.5s' });

  it('maps scenario time to real time and back', () => {
    expect(scale.msPerScenarioHour).toBe(1_500);
    expect(scale.toRealMs('20h')).toBe(30_000);
    expect(scale.toRealMs('30m')).toBe(750);
    expect(scale.toRealMs('90s')).toBeCloseTo(37.5, 9);
    expect(scale.toScenarioHours(30_000)).toBe(20);
  });

  it('rejects a zero hour', () => {
    expect(() => createTimeScale({ oneHour: '0s' })).toThrow(/longer than zero/);
  });

  it('converts distributions to real milliseconds', () => {
    expect(toRealDistribution({ kind: 'fixed', value: '2h' }, scale)).toEqual({ kind: 'fixed', valueMs: 3_000 });
    expect(toRealDistribution({ kind: 'uniform', min: '1h', max: '4h' }, scale)).toEqual({ kind: 'uniform', minMs: 1_500, maxMs: 6_000 });
    expect(toRealDistribution({ kind: 'exponential', mean: '2h', max: '8h' }, scale)).toEqual({ kind: 'exponential', meanMs: 3_000, maxMs: 12_000 });
    expect(toRealDistribution({ kind: 'exponential', mean: '2h' }, scale)).toEqual({ kind: 'exponential', meanMs: 3_000 });
  });

  it('draws from real distributions', () => {
    expect(drawRealMs({ kind: 'fixed', valueMs: 10 }, () => 0.9)).toBe(10);
    expect(drawRealMs({ kind: 'uniform', minMs: 100, maxMs: 200 }, () => 0.25)).toBe(125);
    expect(drawRealMs({ kind: 'exponential', meanMs: 1_000 }, () => 1 - Math.exp(-2))).toBeCloseTo(2_000, 6);
    expect(drawRealMs({ kind: 'exponential', meanMs: 1_000, maxMs: 1_500 }, () => 0.999)).toBe(1_500);
  });
});
