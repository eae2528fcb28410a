import type { Clock } from '../common/clock.js';
import { SlidingWindowCounter } from '../common/sliding-window-counter.js';

/** Whether the store answers one more inbox query now. */
export interface QueryAdmission {
  admit(): boolean;
}

export const admitsEveryQuery: QueryAdmission = { admit: () => true };

/**
 * At most `perSecond` queries answered over the last second; a query beyond them is refused (its
 * caller answers an error) and is not counted, so the store answers again once the window drains.
 */
export class QueryCapacity implements QueryAdmission {
  private readonly answered: SlidingWindowCounter;

  constructor(
    private readonly perSecond: number,
    clock: Clock,
  ) {
    this.answered = new SlidingWindowCounter(clock, 1_000, 10);
  }

  admit(): boolean {
    if (this.answered.ratePerSecond() >= this.perSecond) return false;
    this.answered.add();
    return true;
  }
}

/** The store's admission: every query without a capacity. */
export function queryAdmission(perSecond: number | undefined, clock: Clock): QueryAdmission {
  return perSecond === undefined ? admitsEveryQuery : new QueryCapacity(perSecond, clock);
}
