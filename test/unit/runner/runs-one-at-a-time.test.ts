import { describe, expect, it } from 'vitest';
import { runsOneAtATime } from '../../../harness/runner/run-scenario.js';
import { coldCache } from '../../../scenarios/cold-cache.js';
import { coldCacheFixed } from '../../../scenarios/cold-cache-fixed.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';

describe('one network at a time', () => {
  it('runs side by side unless asked, by the command or by the scenario', () => {
    expect(runsOneAtATime(false, {})).toBe(false);
    expect(runsOneAtATime(true, {})).toBe(true);
    expect(runsOneAtATime(false, { oneAtATime: true })).toBe(true);
    expect(runsOneAtATime(false, { oneAtATime: false })).toBe(false);
  });

  it('is asked by cold-cache and its counterfactual, whose networks side by side load a 2-core host past its fleets, and not by skype-2010', () => {
    expect(runsOneAtATime(false, coldCache)).toBe(true);
    expect(runsOneAtATime(false, coldCacheFixed)).toBe(true);
    expect(runsOneAtATime(false, skype2010)).toBe(false);
  });
});
