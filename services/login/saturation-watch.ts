import type { Clock } from '../common/clock.js';

/** A gap between refusals longer than this ends a saturation episode (as a supernode's calm period ends an overload). */
export const SATURATION_CALM_MS = 1_000;

/**
 * Login's directory turning requests away (its queue full) without a pause. An episode starts at a
 * refusal and goes on while the next refusal comes within `calmMs`; once it has lasted `graceMs` the
 * watch trips. A burst that drains before the grace is forgotten at its first calm gap.
 */
export class SaturationWatch {
  private since: number | undefined;
  private lastRefusal = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly graceMs: number,
    private readonly calmMs = SATURATION_CALM_MS,
  ) {}

  /** A request was refused; true once the directory has been refusing for the grace period. */
  refused(): boolean {
    const now = this.clock.now();
    if (this.since === undefined || now - this.lastRefusal > this.calmMs) this.since = now;
    this.lastRefusal = now;
    return now - this.since >= this.graceMs;
  }

  /** How long the current episode has lasted; 0 outside one. */
  saturatedForMs(): number {
    const now = this.clock.now();
    return this.since === undefined || now - this.lastRefusal > this.calmMs ? 0 : now - this.since;
  }
}
