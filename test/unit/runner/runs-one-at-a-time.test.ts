import { describe, expect, it } from 'vitest';
import { askedOrdering } from '../../../harness/commands/run-command.js';
import { ChaosError } from '../../../harness/errors.js';
import { runsOneAtATime } from '../../../harness/runner/run-scenario.js';
import { coldCache } from '../../../scenarios/cold-cache.js';
import { coldCacheFixed } from '../../../scenarios/cold-cache-fixed.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { skype2010Backoff } from '../../../scenarios/skype-2010-backoff.js';

describe('one network at a time', () => {
  it('runs as the command asks, else as the scenario says, else side by side', () => {
    expect(runsOneAtATime(undefined, {})).toBe(false);
    expect(runsOneAtATime(undefined, { oneAtATime: true })).toBe(true);
    expect(runsOneAtATime(undefined, { oneAtATime: false })).toBe(false);
    expect(runsOneAtATime(true, {})).toBe(true);
    expect(runsOneAtATime(true, { oneAtATime: false })).toBe(true);
    expect(runsOneAtATime(false, { oneAtATime: true })).toBe(false);
  });

  it('is asked by cold-cache, its counterfactual and skype-2010-backoff (its two p2p controls), whose networks side by side load a 2-core host past its fleets, and not by skype-2010', () => {
    expect(runsOneAtATime(undefined, coldCache)).toBe(true);
    expect(runsOneAtATime(undefined, coldCacheFixed)).toBe(true);
    expect(runsOneAtATime(undefined, skype2010Backoff)).toBe(true);
    expect(runsOneAtATime(undefined, skype2010)).toBe(false);
    expect(runsOneAtATime(askedOrdering({ sideBySide: true }), coldCache)).toBe(false);
    expect(runsOneAtATime(askedOrdering({ oneAtATime: true }), skype2010)).toBe(true);
  });

  it('reads --one-at-a-time and --side-by-side, and refuses both at once, naming the fix', () => {
    expect(askedOrdering({})).toBeUndefined();
    expect(askedOrdering({ oneAtATime: true })).toBe(true);
    expect(askedOrdering({ sideBySide: true })).toBe(false);
    let refusal: unknown;
    try {
      askedOrdering({ oneAtATime: true, sideBySide: true });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ChaosError);
    expect((refusal as ChaosError).code).toBe('INVALID_CONFIG');
    expect((refusal as ChaosError).message).toBe('--one-at-a-time and --side-by-side ask for opposite things');
  });
});
