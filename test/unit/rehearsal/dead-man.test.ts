import { describe, expect, it } from 'vitest';
import { DeadManSwitch } from '../../../harness/rehearsal/dead-man.js';
import { createManualClock } from '../helpers/manual-clock.js';

function setup(afterMs = 60_000) {
  const clock = createManualClock(0);
  const trips: number[] = [];
  let faults = true;
  const deadMan = new DeadManSwitch({ clock, afterMs, faultsInPlace: () => faults, trip: (idle) => void trips.push(idle) });
  return { clock, trips, deadMan, setFaults: (value: boolean) => (faults = value) };
}

describe('the dead-man switch', () => {
  it('trips once when no operator has been present for the set time', async () => {
    const { clock, trips, deadMan } = setup();
    await clock.advance(59_999);
    expect(await deadMan.check()).toBe(false);
    await clock.advance(1);
    expect(await deadMan.check()).toBe(true);
    await clock.advance(10_000);
    expect(await deadMan.check()).toBe(false);
    expect(trips).toEqual([60_000]);
  });

  it('never trips while an operator page is connected; counts from when it disconnects', async () => {
    const { clock, trips, deadMan } = setup();
    const gone = deadMan.connected();
    await clock.advance(120_000);
    expect(await deadMan.check()).toBe(false);
    expect(deadMan.remainingMs()).toBeNull();
    gone();
    gone();
    await clock.advance(30_000);
    expect(deadMan.remainingMs()).toBe(30_000);
    await clock.advance(30_000);
    expect(await deadMan.check()).toBe(true);
    expect(trips).toEqual([60_000]);
  });

  it('a command at the prompt resets it, and re-arms it after a trip', async () => {
    const { clock, trips, deadMan } = setup(10_000);
    await clock.advance(9_000);
    deadMan.seen();
    await clock.advance(9_000);
    expect(await deadMan.check()).toBe(false);
    await clock.advance(1_000);
    expect(await deadMan.check()).toBe(true);
    deadMan.seen();
    await clock.advance(10_000);
    expect(await deadMan.check()).toBe(true);
    expect(trips).toEqual([10_000, 10_000]);
  });

  it('does nothing with no fault in place, or when off', async () => {
    const { clock, trips, deadMan, setFaults } = setup(1_000);
    setFaults(false);
    await clock.advance(5_000);
    expect(await deadMan.check()).toBe(false);
    const off = new DeadManSwitch({ clock, afterMs: 0, faultsInPlace: () => true, trip: () => void trips.push(-1) });
    await clock.advance(5_000);
    expect(await off.check()).toBe(false);
    expect(off.enabled).toBe(false);
    expect(trips).toEqual([]);
  });
});
