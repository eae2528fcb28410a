import { describe, expect, it } from 'vitest';
import { fieldsAt, scaledLabel, scaledNote, scaledValue, scalingText, settingsAt, type ScaledField } from '../../../harness/sweep/sweep-scale.js';
import type { SweepParam } from '../../../harness/sweep/sweep-param.js';

const supernodes: SweepParam = { path: 'architectures.p2p.topology.supernodes', segments: ['architectures', 'p2p', 'topology', 'supernodes'], shipped: 32 };
const field = (path: string, shipped: number, integer: boolean): ScaledField => ({ path, segments: path.split('.'), shipped, integer });
const perFleet = field('architectures.p2p.topology.clientsPerFleet', 100, true);
const standby = field('architectures.p2p.topology.standbyPeers', 8, true);

describe('scaledValue: shipped × value / shipped(param)', () => {
  it('scales whole numbers exactly where the ratio is whole or lands on one', () => {
    expect(scaledValue(100, 64, 32, true)).toBe(200);
    expect(scaledValue(8, 64, 32, true)).toBe(16);
    expect(scaledValue(100, 160, 32, true)).toBe(500);
    expect(scaledValue(8, 32, 32, true)).toBe(8);
    // 3 × 7 / 21 is 1, though 3 × (7 / 21) is 0.9999999999999999 in floating point.
    expect(scaledValue(3, 7, 21, true)).toBe(1);
  });

  it('rounds a whole-number field down', () => {
    expect(scaledValue(8, 151, 32, true)).toBe(37); // 37.75
    expect(scaledValue(100, 33, 32, true)).toBe(103); // 103.125
    expect(scaledValue(100, 48, 32, true)).toBe(150);
    expect(scaledValue(8, 47, 32, true)).toBe(11); // 11.75
  });

  it('keeps a whole-number field that ships at least 1 at 1 or more, and one that ships 0 at 0', () => {
    expect(scaledValue(8, 2, 32, true)).toBe(1); // 0.5
    expect(scaledValue(1, 1, 32, true)).toBe(1); // 0.03125
    expect(scaledValue(3, 0, 32, true)).toBe(1);
    expect(scaledValue(0, 64, 32, true)).toBe(0);
  });

  it('leaves a fraction field unrounded and never raises it to 1', () => {
    expect(scaledValue(0.3, 64, 32, false)).toBe(0.6);
    expect(scaledValue(2, 1, 32, false)).toBe(0.0625);
    expect(scaledValue(1.5, 33, 32, false)).toBe(1.546875);
  });

  it('drops floating-point noise before rounding, so a fractional sweep lands on whole numbers', () => {
    // A field shipped at 0.1 swept to 0.3: 3 × 0.3 / 0.1 is 8.999999999999998 in floating point, which would round down to 8.
    expect((3 * 0.3) / 0.1).toBeLessThan(9);
    expect(scaledValue(3, 0.3, 0.1, true)).toBe(9);
    expect(scaledValue(3, 0.4, 0.1, false)).toBe(12); // 12.000000000000002
    expect(scaledValue(100, 0.6, 0.4, true)).toBe(150);
  });
});

describe('what a point sets', () => {
  it('sets the swept field at the value, then each scaled field in the order given', () => {
    expect(settingsAt(supernodes, [perFleet, standby], 64)).toEqual({ [supernodes.path]: 64, [perFleet.path]: 200, [standby.path]: 16 });
    expect(Object.keys(settingsAt(supernodes, [standby, perFleet], 64))).toEqual([supernodes.path, standby.path, perFleet.path]);
    expect(fieldsAt(supernodes, [perFleet], 96).map((f) => [f.segments.at(-1), f.value])).toEqual([
      ['supernodes', 96],
      ['clientsPerFleet', 300],
    ]);
    expect(settingsAt(supernodes, [], 40)).toEqual({ [supernodes.path]: 40 });
  });

  it('names each scaled field by its last name, or its path when two end alike', () => {
    const paths = [perFleet.path, standby.path];
    expect(scaledNote(settingsAt(supernodes, [perFleet, standby], 64), [perFleet, standby])).toBe(' (clientsPerFleet 200, standbyPeers 16)');
    expect(scaledNote({ [supernodes.path]: 64 }, [])).toBe('');
    expect(scaledLabel(perFleet.path, paths)).toBe('clientsPerFleet');
    expect(scaledLabel('timeline[5].action.count', ['timeline[5].action.count', 'timeline[6].action.count'])).toBe('timeline[5].action.count');
    expect(scaledLabel('timeline[5].action.count', ['timeline[5].action.count', perFleet.path])).toBe('count');
    expect(scaledLabel('load.shares[1]', ['load.shares[1]'])).toBe('shares[1]');
    expect(scalingText([perFleet, standby])).toBe('scaling architectures.p2p.topology.clientsPerFleet (ships 100), architectures.p2p.topology.standbyPeers (ships 8) in proportion');
    expect(scalingText([])).toBe('');
  });
});
