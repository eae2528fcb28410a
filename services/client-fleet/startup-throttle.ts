import type { Clock } from '../common/clock.js';

/**
 * A fleet's start-ups (registrations with a supernode) spread to at most `perSecond`: each takes
 * the next free slot, so a crowd that lost its supernode at once reconnects as a steady stream.
 */
export class StartupThrottle {
  private nextSlot = -Infinity;
  private readonly gapMs: number;

  constructor(
    perSecond: number,
    private readonly clock: Clock,
  ) {
    this.gapMs = 1_000 / perSecond;
  }

  /** Takes the next slot; how long until it, in ms. */
  reserve(): number {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.gapMs;
    return slot - now;
  }
}
