import { describe, expect, it } from 'vitest';
import { formatRatio, sweepMargin, unitOf } from '../../../harness/sweep/sweep-margin.js';

const capacity = 'architectures.dedicated.topology.supernode.capacity.requestsPerSecond';
const perFleet = 'architectures.dedicated.topology.clientsPerFleet';

describe('sweepMargin', () => {
  it('where smaller breaks, reads "holds down to" and divides the shipped value by the last that held', () => {
    const margin = sweepMargin({ direction: 'smaller-breaks', bracket: { holds: 22, breaks: 19 }, stop: { kind: 'steps' } }, { path: capacity, shipped: 40, from: 5, to: 100 });
    expect(margin.text).toBe('holds down to 22 requests/s (breaks at 19); ships 40: margin 1.8x');
    expect(margin.ratio).toBeCloseTo(40 / 22);
    expect(margin.shippedHolds).toBe(true);
  });

  it('where bigger breaks, reads "holds up to" and divides the last that held by the shipped value', () => {
    const margin = sweepMargin({ direction: 'bigger-breaks', bracket: { holds: 300, breaks: 320 }, stop: { kind: 'resolved' } }, { path: perFleet, shipped: 100, from: 50, to: 1000 });
    expect(margin.text).toBe('holds up to 300 clients a fleet (breaks at 320); ships 100: margin 3x');
    expect(margin.ratio).toBe(3);
  });

  it('says when the shipped value breaks (margin below 1) or lies inside the bracket', () => {
    const broken = sweepMargin({ direction: 'bigger-breaks', bracket: { holds: 60, breaks: 80 }, stop: { kind: 'steps' } }, { path: perFleet, shipped: 100, from: 50, to: 1000 });
    expect(broken.shippedHolds).toBe(false);
    expect(broken.text).toBe('holds up to 60 clients a fleet (breaks at 80); ships 100: margin 0.6x, the shipped value breaks');
    const inside = sweepMargin({ direction: 'smaller-breaks', bracket: { holds: 50, breaks: 30 }, stop: { kind: 'steps' } }, { path: capacity, shipped: 40, from: 5, to: 100 });
    expect(inside.shippedHolds).toBeNull();
    expect(inside.text).toMatch(/inside the bracket$/);
  });

  it('has no ratio without a bracket, and says what to do', () => {
    const throughout = sweepMargin({ direction: null, bracket: null, stop: { kind: 'holds-throughout' } }, { path: 'load.crashProbability', shipped: 0.4, from: 0, to: 1 });
    expect(throughout).toEqual({ ratio: null, shippedHolds: true, text: 'holds from 0 to 1; ships 0.4: no breaking point in the range (widen --from/--to)' });
    const saturated = sweepMargin({ direction: null, bracket: null, stop: { kind: 'unjudged-end', value: 2000, status: 'saturated' } }, { path: perFleet, shipped: 100, from: 50, to: 2000 });
    expect(saturated.ratio).toBeNull();
    expect(saturated.shippedHolds).toBeNull();
    expect(saturated.text).toBe('no margin: 2000 clients a fleet could not be judged (harness saturated); narrow the range away from it');
  });

  it('has no ratio at zero', () => {
    expect(sweepMargin({ direction: 'bigger-breaks', bracket: { holds: 0.5, breaks: 0.6 }, stop: { kind: 'steps' } }, { path: 'load.crashProbability', shipped: 0, from: 0, to: 1 }).ratio).toBeNull();
  });
});

describe('sweepMargin under --holds-when delivered', () => {
  it('speaks of the machine: how far the harness delivers, where it saturates, and the margin to that', () => {
    const margin = sweepMargin({ direction: 'bigger-breaks', bracket: { holds: 1200, breaks: 1400 }, stop: { kind: 'steps' } }, { path: perFleet, shipped: 100, from: 100, to: 2000 }, 'delivered');
    expect(margin).toEqual({ ratio: 12, shippedHolds: true, text: 'the harness delivers up to 1200 clients a fleet (saturates at 1400); ships 100: margin 12x' });
    const interval = sweepMargin({ direction: 'smaller-breaks', bracket: { holds: 500, breaks: 250 }, stop: { kind: 'steps' } }, { path: 'load.reconnect.intervalMs', shipped: 2000, from: 100, to: 10_000 }, 'delivered');
    expect(interval.text).toBe('the harness delivers down to 500 ms (saturates at 250); ships 2000: margin 4x');
  });

  it('says when the harness saturates at the shipped value, and when nothing in the range saturates or is delivered', () => {
    const short = sweepMargin({ direction: 'bigger-breaks', bracket: { holds: 60, breaks: 80 }, stop: { kind: 'steps' } }, { path: perFleet, shipped: 100, from: 50, to: 1000 }, 'delivered');
    expect(short.shippedHolds).toBe(false);
    expect(short.text).toBe('the harness delivers up to 60 clients a fleet (saturates at 80); ships 100: margin 0.6x, the harness saturates at the shipped value');
    expect(sweepMargin({ direction: null, bracket: null, stop: { kind: 'holds-throughout' } }, { path: perFleet, shipped: 100, from: 100, to: 2000 }, 'delivered')).toEqual({
      ratio: null,
      shippedHolds: true,
      text: 'the harness delivers from 100 to 2000 clients a fleet; ships 100: it saturates nowhere in the range (widen --from/--to)',
    });
    const nowhere = sweepMargin({ direction: null, bracket: null, stop: { kind: 'breaks-throughout' } }, { path: perFleet, shipped: 100, from: 100, to: 2000 }, 'delivered');
    expect(nowhere.shippedHolds).toBe(false);
    expect(nowhere.text).toBe('the harness saturates from 100 to 2000 clients a fleet; ships 100: no value in the range is delivered (widen --from/--to)');
  });

  it('has the same ratio and side as the expectation rule would, only other words', () => {
    const outcome = { direction: 'smaller-breaks', bracket: { holds: 22, breaks: 19 }, stop: { kind: 'steps' } } as const;
    const input = { path: capacity, shipped: 40, from: 5, to: 100 };
    const { text: _machine, ...delivered } = sweepMargin(outcome, input, 'delivered');
    const { text: _system, ...expected } = sweepMargin(outcome, input, 'expectation');
    expect(delivered).toEqual(expected);
    expect(sweepMargin(outcome, input).text).toBe('holds down to 22 requests/s (breaks at 19); ships 40: margin 1.8x');
  });
});

describe('units and ratios', () => {
  it('reads the unit from the field name', () => {
    expect(unitOf(capacity)).toBe('requests/s');
    expect(unitOf('load.reconnect.baseMs')).toBe('ms');
    expect(unitOf('load.crashProbability')).toBe('');
    expect(formatRatio(1.818)).toBe('1.8x');
    expect(formatRatio(null)).toBe('—');
  });
});
