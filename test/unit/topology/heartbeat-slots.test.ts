import { describe, expect, it } from 'vitest';
import { directoryStorm } from '../../../scenarios/directory-storm.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { plannedNodeConfigs } from '../scenario/planned-node-configs.js';

const slotsOf = (configs: Record<string, Record<string, unknown>>): unknown[] =>
  Object.entries(configs)
    .filter(([name]) => name.startsWith('sn-') || name.startsWith('peer-'))
    .map(([, config]) => config['heartbeatSlot']);

describe('each supernode’s turn for its membership checks', () => {
  it('gives the supernodes that check their membership every turn of the interval once, in plan order', () => {
    expect(slotsOf(plannedNodeConfigs(directoryStorm, 'p2p'))).toEqual(Array.from({ length: 32 }, (_, index) => ({ index, of: 32 })));
    expect(slotsOf(plannedNodeConfigs(directoryStorm, 'dedicated'))).toEqual(Array.from({ length: 8 }, (_, index) => ({ index, of: 8 })));
  });

  it('gives none to supernodes without membership checks: skype-2010’s configs do not move', () => {
    for (const architecture of ['p2p', 'dedicated'] as const) {
      const slots = slotsOf(plannedNodeConfigs(skype2010, architecture));
      expect(slots.length).toBeGreaterThan(0);
      expect(slots.every((slot) => slot === undefined)).toBe(true);
    }
  });
});
