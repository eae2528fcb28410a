import { describe, expect, it } from 'vitest';
import { selectControls } from '../../../harness/controls/select-controls.js';
import { ChaosError, ExitCode } from '../../../harness/errors.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';

describe('selectControls (--control)', () => {
  it('keeps only the named controls, in the scenario order, and leaves the scenario whole without names', () => {
    const picked = selectControls(skype2010, ['lossy-offline-store', 'no-self-protection']);
    expect(picked.controls?.map((control) => control.name)).toEqual(['no-self-protection', 'lossy-offline-store']);
    expect(selectControls(skype2010, undefined)).toBe(skype2010);
    expect(selectControls(skype2010, [])).toBe(skype2010);
  });

  it('refuses a name the scenario does not declare, listing the ones it does (exit 2)', () => {
    let refused: unknown;
    try {
      selectControls(skype2010, ['half-capacity']);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ChaosError);
    const error = refused as ChaosError;
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    expect(error.message).toBe('--control half-capacity: skype-2010 declares no such negative control');
    expect(error.hint).toContain('capacity-regression');
  });
});
